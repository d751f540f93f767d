"""What the watch keeps: deadlines (dates the rules make due) and signals (clients about
to be left behind), one row each, with who is responsible and the facts that produced it.

Both are derived: a deadline from the client's records and their rule sets, a signal
from a named rule of the rule set in force on the day of the scan. Neither is edited by
hand; they are recomputed when the facts change.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaveri.access.declarations import ClientData, Owners
from kaveri.transitions.fields import state_field, state_matches


def watched_owners(row, _rules) -> Owners:
    """A deadline or a signal shows the data of the authorities its facts come from."""
    return Owners(frozenset(), frozenset(row.owners))


def watched_category(row, _rules) -> str:
    return row.category


def watch_data(section: str, *extra: str) -> ClientData:
    return ClientData(
        section=section,
        client="client",
        category=watched_category,
        owner=watched_owners,
        export=("id", "kind", "due_on", "authority", "organisation", "facts", *extra),
    )


class Responsibility(models.Model):
    """The client, the record it comes from, and who answers for it."""

    client = models.ForeignKey("people.Client", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=40)
    due_on = models.DateField(_("due"))
    source_model = models.CharField(max_length=40)
    source_id = models.PositiveBigIntegerField()
    authority = models.CharField(_("responsible authority"), max_length=20)
    organisation = models.ForeignKey(
        "access.Organisation", on_delete=models.CASCADE, null=True, related_name="+"
    )
    relationship = models.ForeignKey(
        "casework.ClientRelationship", on_delete=models.CASCADE, null=True, related_name="+"
    )
    worker = models.ForeignKey(
        "access.Worker", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    owners = models.JSONField(
        default=list, help_text=_("The authorities whose data it shows, for visibility.")
    )
    category = models.CharField(max_length=30, help_text=_("The data category it shows."))
    facts = models.JSONField(default=dict)
    ruleset_version = models.CharField(max_length=20)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on} (client {self.client_id})"


class Deadline(Responsibility):
    """A date the rules make due, kept while the record it comes from is live."""

    tracked = models.BooleanField(
        default=True, help_text=_("False for an appointment that simply passes.")
    )

    client_data = watch_data("deadlines")

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        indexes = [
            models.Index(fields=["client", "due_on"], name="deadline_client_due"),
            models.Index(fields=["organisation", "due_on"], name="deadline_org_due"),
            models.Index(fields=["due_on"], name="deadline_due"),
        ]


class Signal(Responsibility):
    """One hit of a signal rule: raised by a scan or an operation, cleared when the facts
    no longer match. `due_on` is the day since which the client has been behind.

    A worker acknowledges it or snoozes it until a day, with a reason (states.SIGNAL);
    a snoozed signal shows again after that day without any change of state."""

    class State(models.TextChoices):
        OPEN = "OPEN", _("open")
        ACKNOWLEDGED = "ACKNOWLEDGED", _("acknowledged")
        SNOOZED = "SNOOZED", _("snoozed")
        CLEARED = "CLEARED", _("cleared")

    state = state_field(State.choices, State.OPEN)
    raised_on = models.DateField(_("raised on"))
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True)
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "access.Worker", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    snoozed_until = models.DateField(_("snoozed until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    row_version = models.PositiveIntegerField(default=0, editable=False)

    client_data = watch_data(
        "signals",
        "state",
        "raised_on",
        "cleared_on",
        "acknowledged_on",
        "snoozed_until",
        "note",
    )

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        indexes = [
            models.Index(fields=["client", "cleared_on"], name="signal_client_open"),
            models.Index(fields=["organisation", "cleared_on"], name="signal_org_open"),
            models.Index(fields=["kind", "cleared_on"], name="signal_kind_open"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source_model", "source_id"],
                condition=Q(cleared_on__isnull=True),
                name="signal_one_open_per_source",
            ),
            state_matches(
                "CLEARED",
                Q(cleared_on__isnull=False),
                Q(cleared_on__isnull=True),
                "signal_cleared_has_day",
            ),
            models.CheckConstraint(
                condition=~Q(state="SNOOZED") | Q(snoozed_until__isnull=False),
                name="signal_snoozed_has_day",
            ),
        ]


class DigestSent(models.Model):
    """The daily digest a worker was sent for a day: at most one, however often it runs."""

    worker = models.ForeignKey("access.Worker", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    items = models.PositiveIntegerField(_("items"))

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        constraints = [models.UniqueConstraint(fields=["worker", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.worker} {self.day}"


class CalendarFeed(models.Model):
    """A worker's personal calendar feed of their deadlines, behind a secret link. Only the
    hash of the link's key is stored; the worker revokes it or makes a new one."""

    worker = models.ForeignKey("access.Worker", on_delete=models.CASCADE, related_name="+")
    key_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(_("language"), max_length=8)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["worker"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_feed_one_live_per_worker",
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker} ({'revoked' if self.revoked_at else 'live'})"
