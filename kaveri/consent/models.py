from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaveri.access.declarations import ClientData, Owners
from kaveri.consent.queries import ConsentQuerySet
from kaveri.rules.fields import (
    imported_as_history_fields,
    rule_code,
    ruleset_version_field,
    source_system_field,
)
from kaveri.transitions.fields import row_version_field, state_field, state_matches


def consent_owners(consent, _rules) -> Owners:
    """A consent concerns every authority it names; no one organisation holds it."""
    return Owners(frozenset(), frozenset(consent.authorities))


class Consent(models.Model):
    """The client's consent (suostumus) to share data between authorities for a purpose."""

    class State(models.TextChoices):
        GIVEN = "GIVEN", _("Given")
        DISPUTED = "DISPUTED", _("Disputed")
        REVOKED = "REVOKED", _("Revoked")

    class Method(models.TextChoices):
        IN_PERSON = "IN_PERSON", _("In person")
        IN_WRITING = "IN_WRITING", _("In writing")
        PHONE = "PHONE", _("By phone")
        PORTAL = "PORTAL", _("In the portal")

    client = models.ForeignKey("people.Client", on_delete=models.CASCADE, related_name="consents")
    purpose = rule_code("consent_purpose", verbose_name=_("purpose"))
    data_categories = models.JSONField(_("data categories"), default=list)
    authorities = models.JSONField(_("authorities covered"), default=list)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    method = models.CharField(_("how given"), max_length=20, choices=Method.choices)
    recorded_by = models.ForeignKey(
        "access.Worker",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consents_recorded",
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    signed_form = models.FileField(
        _("signed consent form"),
        upload_to="consent-forms/%Y/",
        blank=True,
        help_text=_("The form the client signed, scanned: a PDF or an image."),
    )
    disputed_on = models.DateField(_("disputed on"), null=True, blank=True)
    disputed_by = models.ForeignKey(
        "access.Worker",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consents_disputed",
    )
    dispute_reason = models.TextField(_("why it was disputed"), blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_on = models.DateField(
        _("revoked from"),
        null=True,
        blank=True,
        help_text=_("The day the revocation took effect: the consent covers no day from it on."),
    )
    revocation_reason = models.TextField(_("reason for the revocation"), blank=True)
    state = state_field(State.choices, State.GIVEN)
    row_version = row_version_field()
    source_system = source_system_field()
    imported_as_history, refused_by_rules = imported_as_history_fields()
    revoked_by = models.ForeignKey(
        "access.Worker",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consents_revoked",
    )

    objects = ConsentQuerySet.as_manager()
    client_data = ClientData(
        section="consents",
        client="client",
        category="BASIC",
        owner=consent_owners,
        export=(
            "id",
            "purpose",
            "data_categories",
            "authorities",
            "valid_from",
            "valid_until",
            "method",
            "recorded_by",
            "recorded_at",
            "revoked_at",
            "revoked_on",
            "revocation_reason",
            "revoked_by",
            "signed_form",
            "disputed_on",
            "disputed_by",
            "dispute_reason",
            "source_system",
        ),
    )

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [
            models.Index(fields=["client", "revoked_at"], name="consent_client_active"),
            # The start pages list consents recorded lately that name the worker's authority.
            models.Index(fields=["recorded_at"], name="consent_recorded_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="consent_valid_range",
            ),
            state_matches(
                "REVOKED",
                Q(revoked_at__isnull=False) & Q(revoked_on__isnull=False),
                Q(revoked_at__isnull=True) & Q(revoked_on__isnull=True),
                "consent_revoked_state",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.valid_from} ({self.client})"

    @property
    def given_by_the_client(self) -> bool:
        """Given by the client in the portal, or recorded with the signed form attached."""
        return self.method == self.Method.PORTAL or bool(self.signed_form)

    @property
    def recorded_without_form(self) -> bool:
        return not self.given_by_the_client


def data_request_owners(request, _rules) -> Owners:
    """The requesting organisation holds the request; both authorities see it."""
    return Owners(
        frozenset({request.requested_by_id}),
        frozenset({request.requested_by.authority, request.to_authority}),
    )


class DataRequest(models.Model):
    """One authority asks another for the client's information under the client's consent
    (A2 step 3: the TYP work pair asks for Kela's information and for health information),
    with the day the answer is due and the answer."""

    class State(models.TextChoices):
        OPEN = "OPEN", _("Waiting for the answer")
        ANSWERED = "ANSWERED", _("Answered")

    client = models.ForeignKey(
        "people.Client", on_delete=models.CASCADE, related_name="data_requests"
    )
    kind = rule_code("authority_request", verbose_name=_("what is asked for"))
    requested_by = models.ForeignKey(
        "access.Organisation", on_delete=models.PROTECT, related_name="data_requests_made"
    )
    to_authority = rule_code("authority", verbose_name=_("asked from"))
    what = models.TextField(_("details"), blank=True)
    requested_on = models.DateField(_("requested on"))
    due_on = models.DateField(_("answer due"))
    consent = models.ForeignKey(
        Consent, on_delete=models.RESTRICT, related_name="data_requests", verbose_name=_("consent")
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    state = state_field(State.choices, State.OPEN)
    row_version = row_version_field()
    ruleset_version = ruleset_version_field()
    source_system = source_system_field()

    client_data = ClientData(
        section="data_requests",
        client="client",
        category="BASIC",
        owner=data_request_owners,
        export=(
            "id",
            "kind",
            "requested_by",
            "to_authority",
            "what",
            "requested_on",
            "due_on",
            "consent",
            "answered_on",
            "answer",
            "state",
            "ruleset_version",
            "source_system",
        ),
    )

    class Meta:
        ordering = ["-requested_on", "-pk"]
        verbose_name = _("request between authorities")
        verbose_name_plural = _("requests between authorities")
        indexes = [models.Index(fields=["state", "due_on"], name="data_request_open_due")]
        constraints = [
            state_matches(
                "ANSWERED",
                Q(answered_on__isnull=False),
                Q(answered_on__isnull=True),
                "data_request_answered_state",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("requested_on")), name="data_request_due_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.requested_on}"
