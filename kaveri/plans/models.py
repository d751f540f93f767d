import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaveri.access.declarations import ClientData, owned_as, owned_by
from kaveri.plans.queries import MeasureQuerySet, PlanQuerySet
from kaveri.rules.fields import (
    imported_as_history_fields,
    rule_code,
    ruleset_version_field,
    source_system_field,
)
from kaveri.transitions.fields import row_version_field, state_field, state_matches


class Plan(models.Model):
    """One version of a plan (aktivointisuunnitelma, monialainen työllistymissuunnitelma,
    työllistymissuunnitelma). Versions of one plan share `series`; one is current."""

    class State(models.TextChoices):
        IN_FORCE = "IN_FORCE", _("In force, awaiting the client's approval")
        APPROVED = "APPROVED", _("In force, approved by the client")
        SUPERSEDED = "SUPERSEDED", _("Replaced by a later version")

    series = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    client = models.ForeignKey("people.Client", on_delete=models.CASCADE, related_name="plans")
    plan_type = rule_code("plan", verbose_name=_("plan type"))
    process = rule_code("process", verbose_name=_("process"), blank=True)
    relationship = models.ForeignKey(
        "casework.ClientRelationship",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plans",
    )
    parties = models.ManyToManyField(
        "access.Organisation", related_name="plans", verbose_name=_("parties")
    )
    made_on = models.DateField(_("made on"))
    review_interval = models.CharField(
        _("review interval"),
        max_length=8,
        help_text=_("Chosen within the rule set's bounds for this plan type, e.g. 3M."),
    )
    next_review_on = models.DateField(_("next review"))
    client_approved_on = models.DateField(_("approved by the client"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        "access.Worker", on_delete=models.SET_NULL, null=True, blank=True
    )
    state = state_field(State.choices, State.IN_FORCE)
    row_version = row_version_field()
    ruleset_version = ruleset_version_field()
    source_system = source_system_field()
    imported_as_history, refused_by_rules = imported_as_history_fields()

    objects = PlanQuerySet.as_manager()
    client_data = ClientData(
        section="plans",
        client="client",
        category="PLANS",
        owner=owned_by("relationship.organisation", "parties"),
        export=(
            "id",
            "series",
            "version",
            "is_current",
            "plan_type",
            "process",
            "relationship",
            "made_on",
            "review_interval",
            "next_review_on",
            "client_approved_on",
            "summary",
            "created_by",
            "ruleset_version",
            "source_system",
        ),
    )

    class Meta:
        ordering = ["-made_on", "-version"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="plan_version_unique"),
            models.UniqueConstraint(
                fields=["series"], condition=Q(is_current=True), name="plan_one_current_version"
            ),
            state_matches(
                "SUPERSEDED", Q(is_current=False), Q(is_current=True), "plan_superseded_state"
            ),
            state_matches(
                "APPROVED",
                Q(client_approved_on__isnull=False),
                Q(state="SUPERSEDED") | Q(client_approved_on__isnull=True),
                "plan_approved_state",
            ),
        ]
        indexes = [
            models.Index(fields=["is_current", "next_review_on"], name="plan_review_due"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_type} v{self.version} ({self.client})"


class Measure(models.Model):
    """A measure agreed in a plan (section 8), with its responsible party."""

    class Status(models.TextChoices):
        AGREED = "AGREED", _("Agreed")
        IN_PROGRESS = "IN_PROGRESS", _("In progress")
        DONE = "DONE", _("Done")
        CANCELLED = "CANCELLED", _("Cancelled")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    measure = rule_code("measure", verbose_name=_("measure"))
    responsible_authority = rule_code("authority", verbose_name=_("responsible authority"))
    responsible_organisation = models.ForeignKey(
        "access.Organisation", on_delete=models.PROTECT, null=True, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AGREED)
    due_on = models.DateField(_("due"), null=True, blank=True)
    client_acknowledged_on = models.DateField(
        _("progress acknowledged by the client"), null=True, blank=True
    )
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        help_text=_("The same measure in the plan version before, when the review kept it."),
    )
    row_version = row_version_field()

    objects = MeasureQuerySet.as_manager()
    client_data = ClientData(
        section="measures",
        client="plan.client",
        category="PLANS",
        owner=owned_as("plan"),
        export=(
            "id",
            "plan",
            "measure",
            "responsible_authority",
            "responsible_organisation",
            "description",
            "status",
            "due_on",
            "client_acknowledged_on",
            "carried_from",
        ),
    )

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return f"{self.measure} ({self.responsible_authority})"
