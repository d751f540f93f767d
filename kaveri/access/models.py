from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaveri.access.declarations import NO_OWNER, ClientData
from kaveri.access.roles import ROLE_AUTHORITY, Role
from kaveri.rules.fields import rule_code


class Organisation(models.Model):
    """An organisation of one authority type in a region (e.g. a TE office, a workshop).

    Names are data, not code: the 2025 reform renamed the TE offices to
    municipal employment areas (työllisyysalue).
    """

    name = models.CharField(_("name"), max_length=200)
    authority = rule_code("authority", verbose_name=_("authority"), db_index=True)
    region = models.CharField(_("region"), max_length=100, db_index=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    is_municipal_trial = models.BooleanField(
        _("municipal employment trial"),
        default=False,
        help_text=_("Employment services run as a municipal employment trial (process A4)."),
    )
    active = models.BooleanField(_("active"), default=True)
    phone = models.CharField(
        _("phone"), max_length=40, blank=True, help_text=_("The number a client calls for help.")
    )
    service_hours = models.CharField(
        _("service hours"),
        max_length=100,
        blank=True,
        help_text=_("When the phone is answered, for example: Mon–Fri 9–15."),
    )

    class Meta:
        ordering = ["authority", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["name", "region"], name="organisation_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Worker(models.Model):
    """A person who works in Kaveri: a login, a role and an organisation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="worker"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, db_index=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workers",
        verbose_name=_("organisation"),
    )
    home_authority = rule_code(
        "authority",
        verbose_name=_("home authority"),
        blank=True,
        help_text=_("In a joint unit such as TYP, the authority that employs the worker."),
    )
    is_supervisor = models.BooleanField(
        _("supervisor"),
        default=False,
        help_text=_("Reviews the emergency accesses of the workers of their organisation."),
    )
    reviews_region = models.BooleanField(
        _("reviews the region's emergency accesses"),
        default=False,
        help_text=_(
            "Reviews the emergency accesses of the region's organisations that have no other "
            "supervisor to review them."
        ),
    )
    title = models.CharField(_("title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    away_until = models.DateField(
        _("away until"),
        null=True,
        blank=True,
        help_text=_("The last day of an absence; clients are told whom to contact meanwhile."),
    )
    deputy = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deputy"),
        help_text=_("Whom the worker's clients contact while the worker is away."),
    )
    language = models.CharField(
        _("language of messages"),
        max_length=5,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_(
            "The language of the daily digest: the one the worker last chose in Kaveri "
            "(Finnish until they choose)."
        ),
    )

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    def away_on(self, day) -> bool:
        return self.away_until is not None and self.away_until >= day

    def clean(self) -> None:
        expected = ROLE_AUTHORITY.get(self.role)
        if self.role == Role.CLIENT:
            raise ValidationError({"role": _("A client logs in through their client record.")})
        if expected and (self.organisation is None or self.organisation.authority != expected):
            raise ValidationError(
                {
                    "organisation": _("A %(role)s works in an organisation of authority %(auth)s.")
                    % {"role": self.get_role_display(), "auth": expected}
                }
            )


GENESIS_HASH = "0" * 64


class AuditSeal(models.Model):
    """A block of audit events, sealed in order: each seal's keyed digest covers the events it
    seals and the digest of the seal before it, so a changed, removed or inserted event or seal
    breaks the chain, and without the key (kept outside the database) no one can rebuild it.
    Each seal's head is also appended to the anchor outside the database, so that removing the
    newest seals is found too (`kaveri audit verify`)."""

    sequence = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField()
    event_count = models.PositiveIntegerField()
    key_id = models.CharField(max_length=16)
    previous_digest = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")

    def __str__(self) -> str:
        return f"seal #{self.sequence} ({self.event_count} events)"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError("Audit seals are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit seals are append-only.")


class AuditEvent(models.Model):
    """One access to client data: who, in what role and organisation, which client, what action.

    Append-only: each event carries a keyed MAC over its content, written with it, and is later
    sealed into the chain of `AuditSeal`s (the only change a row ever takes). Writers only insert,
    so they never wait for one another. Write events with `kaveri.access.audit`.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    username = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=30, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True)
    client = models.ForeignKey(
        "people.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    action = models.CharField(max_length=60)
    data_category = models.CharField(max_length=40, blank=True)
    basis = models.CharField(
        max_length=120,
        blank=True,
        help_text=_("What permitted the access: a relationship, a consent, emergency access."),
    )
    allowed = models.BooleanField(default=True)
    method = models.CharField(max_length=10, blank=True)
    url_name = models.CharField(max_length=120, blank=True)
    source_address = models.GenericIPAddressField(null=True, blank=True)
    mac = models.CharField(max_length=64, editable=False)
    seal = models.ForeignKey(
        AuditSeal, on_delete=models.PROTECT, null=True, blank=True, editable=False
    )

    client_data = ClientData(
        section="access_log",
        client="client",
        category="BASIC",
        owner=lambda record, rules: NO_OWNER,
        export=(
            "id",
            "at",
            "username",
            "role",
            "organisation",
            "action",
            "data_category",
            "basis",
            "allowed",
            "method",
            "url_name",
        ),
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["client", "at"], name="audit_client_at"),
            models.Index(
                fields=["id"], name="audit_unsealed", condition=models.Q(seal__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action}"

    def save(self, *args, **kwargs) -> None:
        raise ValidationError("Audit events are append-only; write them with kaveri.access.audit.")

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit events are append-only.")

    def content(self) -> str:
        """The fields the MAC covers, in a fixed order and format."""
        fields = [
            self.at.isoformat(),
            self.user_id,
            self.username,
            self.role,
            self.organisation_id,
            self.client_id,
            self.action,
            self.data_category,
            self.basis,
            int(self.allowed),
            self.method,
            self.url_name,
            self.source_address,
        ]
        return "\x1f".join("" if f is None else str(f) for f in fields)


class ApiToken(models.Model):
    """A token for an integration to call the API as a user. Only its hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"


class EmergencyAccess(models.Model):
    """Break the glass: a worker without the right opens a client's record for a stated reason.

    Time-limited, logged on every read, and listed for a supervisor's review.
    """

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="emergency_accesses")
    client = models.ForeignKey(
        "people.Client", on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    reason_category = models.CharField(_("reason"), max_length=40, blank=True)
    reason = models.TextField(_("description"))
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    reviewed_by = models.ForeignKey(
        Worker, on_delete=models.PROTECT, null=True, blank=True, related_name="emergency_reviews"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    client_data = ClientData(
        section="emergency_accesses",
        client="client",
        category="BASIC",
        owner=lambda record, rules: NO_OWNER,
        export=(
            "id",
            "worker",
            "reason_category",
            "reason",
            "started_at",
            "expires_at",
            "reviewed_by",
            "reviewed_at",
            "review_note",
        ),
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        indexes = [
            models.Index(fields=["worker", "client", "expires_at"], name="emergency_active"),
            models.Index(fields=["reviewed_at"], name="emergency_unreviewed"),
        ]

    def __str__(self) -> str:
        return f"{self.worker} → {self.client} ({self.started_at:%Y-%m-%d %H:%M})"


class AccessibilityFeedback(models.Model):
    """Feedback on the accessibility of Kaveri (the Act on the Provision of Digital Services,
    306/2019): kept on the administrators' list until answered, by the rule set's time."""

    received_on = models.DateField(_("received on"))
    page = models.CharField(_("page"), max_length=300, blank=True)
    message = models.TextField(_("message"))
    contact = models.CharField(
        _("contact"),
        max_length=200,
        blank=True,
        help_text=_("Where the sender wants the answer (e-mail or phone); may be empty."),
    )
    language = models.CharField(_("language"), max_length=5)
    answer_due_on = models.DateField(_("answer due on"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        ordering = ["answered_on", "answer_due_on", "pk"]
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")

    def __str__(self) -> str:
        return f"{self.received_on}: {self.message[:60]}"
