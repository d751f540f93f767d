"""The operations of the watch: a worker acknowledges a signal or snoozes it, with a
reason; a worker makes, renews or revokes the secret link of their calendar feed.

Acknowledging and snoozing are transitions of the signal's table (states.SIGNAL), logged
with who, when and why; the signal still clears itself when the facts change.
"""

import secrets
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaveri.access.tokens import hash_key
from kaveri.rules import clock
from kaveri.rules.violations import RuleViolation, Violations
from kaveri.watch.calendar import KEY_PREFIX
from kaveri.watch.explain import rules_of_row
from kaveri.watch.models import CalendarFeed, Signal
from kaveri.watch.states import SIGNAL
from kaveri.watch.validators import acknowledgement_problems, snooze_problems


def _handled(signal, transition, worker, reason, day, until, expected_version) -> Signal:
    """The worker acted on the signal: who, when and the note everyone reads."""
    return SIGNAL.apply(
        signal,
        transition,
        effective_on=day,
        by=worker,
        reason=reason.strip(),
        expected_version=expected_version,
        changes={
            "acknowledged_on": day,
            "acknowledged_by": worker,
            "snoozed_until": until,
            "note": reason.strip(),
        },
    )


@transaction.atomic
def acknowledge_signal(
    signal: Signal, worker, reason: str, today: date | None = None, *, expected_version=None
) -> Signal:
    """The worker has seen the signal and says what is being done; it stays on the list,
    marked, until the facts change."""
    problems = acknowledgement_problems(reason)
    if problems:
        raise Violations(problems)
    day = today or clock.today()
    return _handled(signal, "acknowledge", worker, reason, day, None, expected_version)


@transaction.atomic
def snooze_signal(
    signal: Signal,
    worker,
    until: date,
    reason: str,
    today: date | None = None,
    *,
    expected_version=None,
) -> Signal:
    """The signal leaves the worklists until `until` and shows again after it, unless the
    facts have changed by then."""
    day = today or clock.today()
    at_most = rules_of_row(signal).data.watch.snooze_at_most
    problems = snooze_problems(reason, until, day, at_most)
    if problems:
        raise Violations(problems)
    return _handled(signal, "snooze", worker, reason, day, until, expected_version)


@transaction.atomic
def renew_calendar_feed(worker, language: str) -> str:
    """Revoke the worker's live calendar link, if any, and make a new one. Returns the new
    link's key, shown once: only its hash is kept."""
    if language not in dict(settings.LANGUAGES):
        raise RuleViolation("language_known", "language", _("Choose Finnish, Swedish or English."))
    revoke_calendar_feed(worker)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    CalendarFeed.objects.create(worker=worker, key_hash=hash_key(key), language=language)
    return key


def revoke_calendar_feed(worker) -> int:
    """The worker's calendar link stops working at once; returns how many were revoked."""
    return CalendarFeed.objects.filter(worker=worker, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
