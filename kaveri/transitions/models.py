from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaveri.access.declarations import NO_OWNER, ClientData


class StateChange(models.Model):
    """One transition of a stateful record (tilanmuutos): who, when, from, to and why.

    Written only by `kaveri.transitions.machine`, in the same transaction as the change.
    """

    entity = models.CharField(_("record kind"), max_length=60)
    entity_id = models.BigIntegerField(_("record"))
    client = models.ForeignKey(
        "people.Client", on_delete=models.CASCADE, related_name="state_changes"
    )
    transition = models.CharField(_("transition"), max_length=40)
    from_state = models.CharField(_("from"), max_length=30)
    to_state = models.CharField(_("to"), max_length=30)
    at = models.DateTimeField(_("at"), default=timezone.now, editable=False)
    effective_on = models.DateField(_("effective on"))
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    by_worker = models.ForeignKey("access.Worker", on_delete=models.SET_NULL, null=True, blank=True)
    by_name = models.CharField(
        _("by"), max_length=150, help_text=_("A person's user name, or the system that did it.")
    )
    reason = models.TextField(_("why"), blank=True)
    on_behalf_channel = models.CharField(
        _("how the client told the worker"),
        max_length=40,
        blank=True,
        help_text=_("Set when a worker made the change on the client's behalf."),
    )
    client_confirmed = models.BooleanField(_("the client confirmed it"), default=False)

    client_data = ClientData(
        section="state_changes",
        client="client",
        category="BASIC",
        owner=lambda record, rules: NO_OWNER,
        export=(
            "entity",
            "entity_id",
            "transition",
            "from_state",
            "to_state",
            "at",
            "effective_on",
            "by_name",
            "reason",
            "on_behalf_channel",
        ),
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        indexes = [models.Index(fields=["entity", "entity_id"], name="state_change_record")]

    def __str__(self) -> str:
        return f"{self.entity}#{self.entity_id} {self.from_state}→{self.to_state}"
