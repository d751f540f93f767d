from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kaveri.access.declarations import ClientData, Owners, owned_as
from kaveri.benefits.queries import ApplicationQuerySet, InformationRequestQuerySet
from kaveri.rules.fields import (
    imported_as_history_fields,
    rule_code,
    ruleset_version_field,
    source_system_field,
)
from kaveri.transitions.fields import row_version_field, state_field, state_matches


def application_owners(application, rules) -> Owners:
    """The organisation that decided it; before that, the authority that decides the benefit."""
    if application.deciding_organisation_id:
        return Owners.of([application.deciding_organisation])
    return Owners(frozenset(), frozenset({rules.benefits[application.benefit].decided_by}))


class Application(models.Model):
    """A benefit application (hakemus), its expected decision date and its decision."""

    class Status(models.TextChoices):
        PENDING = "PENDING", _("Pending")
        INFORMATION_REQUESTED = "INFORMATION_REQUESTED", _("Information requested")
        DECIDED = "DECIDED", _("Decided")
        WITHDRAWN = "WITHDRAWN", _("Withdrawn")

    class Outcome(models.TextChoices):
        GRANTED = "GRANTED", _("Granted")
        PARTLY_GRANTED = "PARTLY_GRANTED", _("Partly granted")
        DENIED = "DENIED", _("Denied")

    client = models.ForeignKey(
        "people.Client", on_delete=models.CASCADE, related_name="applications"
    )
    benefit = rule_code("benefit", verbose_name=_("benefit"))
    deciding_organisation = models.ForeignKey(
        "access.Organisation", on_delete=models.PROTECT, null=True, blank=True
    )
    submitted_on = models.DateField(_("submitted on"))
    completed_on = models.DateField(
        _("complete on"),
        null=True,
        blank=True,
        help_text=_("When the application became complete; the processing time runs from here."),
    )
    urgent = models.BooleanField(_("urgent"), default=False)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.PENDING)
    expected_decision_on = models.DateField(_("expected decision by"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_mailed_on = models.DateField(
        _("decision mailed on"),
        null=True,
        blank=True,
        help_text=_("The mailing date printed on the decision; the appeal period runs from it."),
    )
    appeal_due_on = models.DateField(
        _("appeal by"),
        null=True,
        blank=True,
        help_text=_("The last day to appeal, computed by the rule set from the mailing date."),
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    granted_from = models.DateField(null=True, blank=True)
    granted_until = models.DateField(null=True, blank=True)
    row_version = row_version_field()
    ruleset_version = ruleset_version_field()
    imported_as_history, refused_by_rules = imported_as_history_fields()
    source_system = source_system_field()

    objects = ApplicationQuerySet.as_manager()
    client_data = ClientData(
        section="applications",
        client="client",
        category="BENEFITS",
        owner=application_owners,
        export=(
            "id",
            "benefit",
            "deciding_organisation",
            "submitted_on",
            "completed_on",
            "urgent",
            "status",
            "expected_decision_on",
            "decided_on",
            "decision_mailed_on",
            "appeal_due_on",
            "outcome",
            "granted_from",
            "granted_until",
            "ruleset_version",
            "source_system",
        ),
    )

    class Meta:
        ordering = ["-submitted_on"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["status", "expected_decision_on"], name="application_waiting"),
            models.Index(fields=["granted_until"], name="application_grant_end"),
            # The observed decision times, refreshed daily per benefit.
            models.Index(fields=["benefit", "decided_on"], name="application_decided"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("submitted_on")),
                name="application_decided_after_submission",
            ),
            models.CheckConstraint(
                condition=(Q(status="DECIDED") & Q(decided_on__isnull=False) & ~Q(outcome=""))
                | (~Q(status="DECIDED") & Q(decided_on__isnull=True) & Q(outcome="")),
                name="application_decided_state",
            ),
            models.CheckConstraint(
                condition=Q(decision_mailed_on__isnull=True)
                | Q(decision_mailed_on__gte=F("decided_on")),
                name="application_mailed_after_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.benefit} {self.submitted_on} ({self.client})"


class InformationRequest(models.Model):
    """A request for additional information (lisätietopyyntö) on an application."""

    class State(models.TextChoices):
        OPEN = "OPEN", _("Waiting for the answer")
        ANSWERED = "ANSWERED", _("Answered")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="information_requests"
    )
    requested_on = models.DateField(_("requested on"))
    due_on = models.DateField(_("answer due"))
    what = models.TextField(_("what is asked"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    state = state_field(State.choices, State.OPEN)
    row_version = row_version_field()

    objects = InformationRequestQuerySet.as_manager()
    client_data = ClientData(
        section="information_requests",
        client="application.client",
        category="BENEFITS",
        owner=owned_as("application"),
        export=("id", "application", "requested_on", "due_on", "what", "answered_on", "answer"),
    )

    class Meta:
        ordering = ["-requested_on"]
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        indexes = [models.Index(fields=["answered_on", "due_on"], name="inforequest_open_due")]
        constraints = [
            state_matches(
                "ANSWERED",
                Q(answered_on__isnull=False),
                Q(answered_on__isnull=True),
                "inforequest_answered_state",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requested_on}: {self.what[:40]}"


class Appeal(models.Model):
    """An appeal or request for review against a decision, at one stage of the review path
    the rule set gives the benefit (e.g. Kela's own check, the Social Security Appeal
    Board, the Insurance Court)."""

    class State(models.TextChoices):
        OPEN = "OPEN", _("Being considered")
        DECIDED = "DECIDED", _("Decided")
        WITHDRAWN = "WITHDRAWN", _("Withdrawn")

    class Outcome(models.TextChoices):
        CHANGED = "CHANGED", _("Decision changed")
        REJECTED = "REJECTED", _("Appeal rejected")
        RETURNED = "RETURNED", _("Returned for a new decision")
        DISMISSED = "DISMISSED", _("Not examined")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="appeals")
    filed_on = models.DateField(_("filed on"))
    due_on = models.DateField(
        _("appeal by"),
        null=True,
        blank=True,
        help_text=_("The deadline the appeal was filed against; a later filing is late."),
    )
    stage = models.PositiveSmallIntegerField(
        _("stage"), default=0, help_text=_("Index of the stage in the rule set's appeal path.")
    )
    state = state_field(State.choices, State.OPEN)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_mailed_on = models.DateField(_("decision mailed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    next_due_on = models.DateField(
        _("next stage by"),
        null=True,
        blank=True,
        help_text=_("The last day to appeal this stage's decision to the next stage."),
    )
    row_version = row_version_field()
    source_system = source_system_field()

    client_data = ClientData(
        section="appeals",
        client="application.client",
        category="BENEFITS",
        owner=owned_as("application"),
        export=(
            "id",
            "application",
            "filed_on",
            "due_on",
            "stage",
            "state",
            "decided_on",
            "decision_mailed_on",
            "outcome",
            "next_due_on",
            "source_system",
        ),
    )

    class Meta:
        ordering = ["filed_on", "stage", "pk"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            state_matches(
                "DECIDED",
                Q(decided_on__isnull=False) & ~Q(outcome=""),
                Q(decided_on__isnull=True) & Q(outcome=""),
                "appeal_decided_state",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("filed_on")),
                name="appeal_decided_after_filing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} appeal {self.filed_on}"

    @property
    def filed_late(self) -> bool:
        return self.due_on is not None and self.filed_on > self.due_on


def statement_owners(statement, _rules) -> Owners:
    """The organisation that gave it holds it; the authority that decides the benefit sees it."""
    return Owners(
        frozenset({statement.given_by_id}),
        frozenset({statement.given_by.authority, statement.goes_to}),
    )


class EmploymentStatement(models.Model):
    """A statement of the employment authority for a benefit (työvoimapoliittinen lausunto):
    the benefit's decider (Kela or an unemployment fund) decides on it."""

    client = models.ForeignKey(
        "people.Client", on_delete=models.CASCADE, related_name="employment_statements"
    )
    kind = rule_code("employment_statement", verbose_name=_("statement"))
    benefit = rule_code("benefit", verbose_name=_("benefit"))
    given_on = models.DateField(_("given on"))
    given_by = models.ForeignKey(
        "access.Organisation", on_delete=models.PROTECT, related_name="statements_given"
    )
    goes_to = rule_code("authority", verbose_name=_("goes to"))
    content = models.TextField(_("content"), blank=True)
    ruleset_version = ruleset_version_field()
    source_system = source_system_field()

    client_data = ClientData(
        section="employment_statements",
        client="client",
        category="BENEFITS",
        owner=statement_owners,
        export=(
            "id",
            "kind",
            "benefit",
            "given_on",
            "given_by",
            "goes_to",
            "content",
            "ruleset_version",
            "source_system",
        ),
    )

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("statement for a benefit")
        verbose_name_plural = _("statements for benefits")

    def __str__(self) -> str:
        return f"{self.kind} {self.given_on}"


class ObservedProcessingTime(models.Model):
    """How long the region's decisions on one benefit took, as the last refresh found them
    (`kaveri.benefits.observed`): no person's data, only the count and the spread."""

    benefit = rule_code("benefit", verbose_name=_("benefit"), unique=True)
    computed_on = models.DateField(_("computed on"))
    window_start = models.DateField(_("decisions from"))
    decisions = models.PositiveIntegerField(_("decisions"))
    p10_days = models.PositiveIntegerField(null=True)
    median_days = models.PositiveIntegerField(null=True)
    p90_days = models.PositiveIntegerField(null=True)
    within_target = models.PositiveIntegerField(_("decided within the target"), default=0)

    class Meta:
        verbose_name = _("observed processing time")
        verbose_name_plural = _("observed processing times")

    def __str__(self) -> str:
        return f"{self.benefit}: {self.decisions} decisions"
