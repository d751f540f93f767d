"""Emergency access: open, find the active one, review."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaveri.access.models import EmergencyAccess
from kaveri.rules.inputs import require_text
from kaveri.rules.violations import RuleViolation

MINIMUM_REASON_LENGTH = 20


def reason_error(reason: str) -> str:
    if len(reason.strip()) < MINIMUM_REASON_LENGTH:
        return _(
            "Write the reason in at least %(n)s characters: what is urgent and why you cannot "
            "wait for a relationship or a consent."
        ) % {"n": MINIMUM_REASON_LENGTH}
    return ""


@transaction.atomic
def open_emergency_access(worker, client, reason: str) -> EmergencyAccess:
    """Break the glass for a stated reason: time-limited, every read logged, reviewed."""
    require_text(reason, "reason", max_length=4000)
    problem = reason_error(reason)
    if problem:
        raise RuleViolation("emergency_reason_given", "reason", problem)
    now = timezone.now()
    return EmergencyAccess.objects.create(
        worker=worker,
        client=client,
        reason=reason.strip(),
        started_at=now,
        expires_at=now + timedelta(hours=settings.KAVERI_EMERGENCY_ACCESS_HOURS),
    )


def active_emergency_access(worker, client) -> EmergencyAccess | None:
    if worker is None:
        return None
    return (
        EmergencyAccess.objects.filter(worker=worker, client=client, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .first()
    )


def awaiting_review(supervisor):
    return (
        EmergencyAccess.objects.filter(
            worker__organisation=supervisor.organisation, reviewed_at__isnull=True
        )
        .exclude(worker=supervisor)
        .select_related("worker__user", "client")
    )


@transaction.atomic
def review(access: EmergencyAccess, supervisor, note: str) -> EmergencyAccess:
    locked = EmergencyAccess.objects.select_for_update().get(pk=access.pk)
    if locked.reviewed_at is None:
        locked.reviewed_by = supervisor
        locked.reviewed_at = timezone.now()
        locked.review_note = note.strip()
        locked.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    return locked
