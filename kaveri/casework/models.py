from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kaveri.access.declarations import ClientData, Owners, owned_by
from kaveri.casework.queries import (
    AssessmentQuerySet,
    NamedWorkerQuerySet,
    RegistrationQuerySet,
    RelationshipQuerySet,
)
from kaveri.people.queries import ClientRecordQuerySet
from kaveri.rules.fields import (
    ends_with_reason,
    imported_as_history_fields,
    rule_code,
    ruleset_version_field,
    source_system_field,
)
from kaveri.transitions.fields import row_version_field, state_field, state_matches


class Contact(models.Model):
    """How a case began (yhteydenotto): who made contact, to which organisation, how."""

    client = models.ForeignKey("people.Client", on_delete=models.CASCADE, related_name="contacts")
    organisation = models.ForeignKey("access.Organisation", on_delete=models.PROTECT)
    occurred_on = models.DateField(_("date"))
    initiator = rule_code("contact_initiator", verbose_name=_("who made contact"))
    channel = rule_code("contact_channel", verbose_name=_("channel"))
    referred_by = models.ForeignKey(
        "access.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_made",
        verbose_name=_("referred by"),
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        "access.Worker", on_delete=models.SET_NULL, null=True, blank=True
    )
    source_system = source_system_field()

    objects = ClientRecordQuerySet.as_manager()
    client_data = ClientData(
        section="contacts",
        client="client",
        category="BASIC",
        owner=owned_by("organisation"),
        export=(
            "id",
            "organisation",
            "occurred_on",
            "initiator",
            "channel",
            "referred_by",
            "notes",
            "source_system",
        ),
    )

    class Meta:
        ordering = ["-occurred_on"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.initiator} → {self.organisation}"


class ClientRelationship(models.Model):
    """A client relationship (asiakkuus) at one organisation, of a kind from the rule set."""

    class State(models.TextChoices):
        OPEN = "OPEN", _("Open")
        CLOSED = "CLOSED", _("Closed")

    client = models.ForeignKey(
        "people.Client", on_delete=models.CASCADE, related_name="relationships"
    )
    organisation = models.ForeignKey(
        "access.Organisation", on_delete=models.PROTECT, related_name="relationships"
    )
    kind = rule_code("relationship_kind", verbose_name=_("kind"))
    pathway = rule_code("pathway", verbose_name=_("pathway"), blank=True)
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = rule_code("closure_reason", verbose_name=_("closure reason"), blank=True)
    feedback_offered_on = models.DateField(
        _("feedback form offered on"),
        null=True,
        blank=True,
        help_text=_("TYP: the client is offered a feedback form when the relationship closes."),
    )
    client_feedback = models.TextField(_("client's feedback"), blank=True)
    state = state_field(State.choices, State.OPEN)
    row_version = row_version_field()
    ruleset_version = ruleset_version_field()
    imported_as_history, refused_by_rules = imported_as_history_fields()
    source_system = source_system_field()

    objects = RelationshipQuerySet.as_manager()
    client_data = ClientData(
        section="relationships",
        client="client",
        category="BASIC",
        owner=owned_by("organisation"),
        export=(
            "id",
            "organisation",
            "kind",
            "pathway",
            "opened_on",
            "closed_on",
            "closure_reason",
            "feedback_offered_on",
            "client_feedback",
            "ruleset_version",
            "source_system",
        ),
    )

    class Meta:
        ordering = ["-opened_on"]
        verbose_name = _("client relationship")
        verbose_name_plural = _("client relationships")
        indexes = [
            models.Index(fields=["organisation", "closed_on"], name="relationship_org_open"),
            models.Index(fields=["client", "closed_on"], name="relationship_client_open"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="relationship_closes_after_opening",
            ),
            ends_with_reason("closed_on", "closure_reason", "relationship_closure_has_reason"),
            state_matches(
                "CLOSED",
                Q(closed_on__isnull=False),
                Q(closed_on__isnull=True),
                "relationship_closed_state",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.client} @ {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class NamedWorker(models.Model):
    """A worker named to a client relationship (omatyöntekijä, vastuuvirkailija, työpari)."""

    relationship = models.ForeignKey(
        ClientRelationship, on_delete=models.CASCADE, related_name="named_workers"
    )
    worker = models.ForeignKey("access.Worker", on_delete=models.PROTECT, related_name="named_in")
    role = rule_code("worker_role", verbose_name=_("role in the case"))
    from_date = models.DateField(_("from"))
    to_date = models.DateField(_("to"), null=True, blank=True)

    objects = NamedWorkerQuerySet.as_manager()
    client_data = ClientData(
        section="named_workers",
        client="relationship.client",
        category="BASIC",
        owner=owned_by("relationship.organisation"),
        export=("id", "relationship", "worker", "role", "from_date", "to_date"),
    )

    class Meta:
        verbose_name = _("named worker")
        verbose_name_plural = _("named workers")
        indexes = [models.Index(fields=["worker", "to_date"], name="named_worker_current")]

    def __str__(self) -> str:
        return f"{self.role}: {self.worker}"


class ServiceNeedAssessment(models.Model):
    """A service need assessment (palvelutarpeen arvio) made at one authority."""

    client = models.ForeignKey(
        "people.Client", on_delete=models.CASCADE, related_name="assessments"
    )
    relationship = models.ForeignKey(
        ClientRelationship,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments",
    )
    organisation = models.ForeignKey("access.Organisation", on_delete=models.PROTECT)
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey("access.Worker", on_delete=models.SET_NULL, null=True, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    guided_services = models.JSONField(_("guided to services"), default=list, blank=True)
    guided_benefits = models.JSONField(_("guided to benefits"), default=list, blank=True)
    is_final = models.BooleanField(
        _("final assessment"), default=False, help_text=_("A TYP final assessment (loppuarvio).")
    )
    ruleset_version = ruleset_version_field()
    source_system = source_system_field()

    objects = AssessmentQuerySet.as_manager()
    client_data = ClientData(
        section="assessments",
        client="client",
        category=lambda record, rules: assessment_category(record, rules),
        owner=owned_by("organisation"),
        export=(
            "id",
            "relationship",
            "organisation",
            "assessed_on",
            "assessor",
            "findings",
            "guided_services",
            "guided_benefits",
            "is_final",
            "ruleset_version",
            "source_system",
        ),
    )

    class Meta:
        ordering = ["-assessed_on"]
        verbose_name = _("service need assessment")
        verbose_name_plural = _("service need assessments")

    def __str__(self) -> str:
        return f"{self.assessed_on} {self.organisation}"


class JobSeekerRegistration(models.Model):
    """Registration as an unemployed job seeker (ilmoittautuminen työttömäksi työnhakijaksi)."""

    client = models.ForeignKey(
        "people.Client", on_delete=models.CASCADE, related_name="job_seeker_registrations"
    )
    organisation = models.ForeignKey("access.Organisation", on_delete=models.PROTECT)
    registered_on = models.DateField(_("registered on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    source_system = source_system_field()

    objects = RegistrationQuerySet.as_manager()
    client_data = ClientData(
        section="job_seeker_registrations",
        client="client",
        category="BASIC",
        owner=owned_by("organisation"),
        export=("id", "organisation", "registered_on", "ended_on", "source_system"),
    )

    class Meta:
        ordering = ["-registered_on"]
        verbose_name = _("job seeker registration")
        verbose_name_plural = _("job seeker registrations")
        indexes = [models.Index(fields=["client", "ended_on"], name="jobseeker_client_open")]

    def __str__(self) -> str:
        return f"{self.registered_on} {self.organisation}"


def assessment_category(assessment: ServiceNeedAssessment, rules) -> str:
    """Social welfare's assessments are social work notes; the others are plans."""
    social_welfare = set(rules.data.consent_rules.social_welfare)
    if assessment.organisation.authority in social_welfare:
        return "SOCIAL_WORK_NOTES"
    return "PLANS"


def told_owners(change: "SituationChange", _rules) -> Owners:
    """A reported change belongs to the authorities the client told: those serving the
    client when it was reported. No one changes it afterwards."""
    return Owners(frozenset(), frozenset(change.told))


class SituationChange(models.Model):
    """A change in the client's situation (work, illness, family leave, moving, prison)
    that the client reported to their workers, in the portal or through a worker."""

    client = models.ForeignKey(
        "people.Client", on_delete=models.CASCADE, related_name="situation_changes"
    )
    kind = rule_code("situation_change", verbose_name=_("change"))
    starts_on = models.DateField(_("from"))
    details = models.TextField(_("in the client's words"), blank=True)
    reported_on = models.DateField(_("reported on"))
    told = models.JSONField(
        _("authorities told"),
        default=list,
        help_text=_("The authorities serving the client when the change was reported."),
    )
    reported_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        "access.Worker", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = rule_code(
        "contact_channel",
        blank=True,
        verbose_name=_("how the worker heard it"),
        help_text=_("Empty when the client reported it in the portal themselves."),
    )
    client_confirmed = models.BooleanField(_("the client confirmed it"), default=False)
    ruleset_version = ruleset_version_field()

    objects = ClientRecordQuerySet.as_manager()
    client_data = ClientData(
        section="situation_changes",
        client="client",
        category="BASIC",
        owner=told_owners,
        export=("id", "kind", "starts_on", "details", "reported_on", "told", "channel"),
    )

    class Meta:
        ordering = ["-reported_on", "-pk"]
        verbose_name = _("change in the client's situation")
        verbose_name_plural = _("changes in the client's situation")
        indexes = [models.Index(fields=["reported_on"], name="situation_change_reported")]

    def __str__(self) -> str:
        return f"{self.kind} {self.starts_on}"
