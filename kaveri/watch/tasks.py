"""The daily watch as a scheduled django-q2 task: the scan for the day, the digests, and
the observed decision times.

The schedule is kept by `ensure_schedule` (run after every migrate); `kaveri qcluster`
runs it, with the database as the broker, so it works on SQLite and PostgreSQL alike.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django_q.models import Schedule

from kaveri.benefits.observed import refresh_observed
from kaveri.rules import clock
from kaveri.watch.digest import send_digests
from kaveri.watch.scan import scan

DAILY_TASK = "kaveri.watch.tasks.daily_watch"
SCHEDULE_NAME = "Kaveri: daily watch (scan and digests)"


def daily_watch() -> str:
    """Scan every signal rule for today, send the day's digests, and refresh the observed
    decision times the statistics and the clients' application pages show."""
    day = clock.today()
    counts = scan(day)
    sent = send_digests(day)
    refresh_observed(day)
    raised = sum(c.raised for c in counts)
    cleared = sum(c.cleared for c in counts)
    return f"{day.isoformat()}: {raised} signals raised, {cleared} cleared, {sent} digests sent"


def next_run_at(now: datetime, at: str) -> datetime:
    """The next moment at the local time `at` (HH:MM) after `now`."""
    hour, minute = (int(part) for part in at.split(":"))
    local = timezone.localtime(now)
    run = timezone.make_aware(datetime.combine(local.date(), time(hour, minute)))
    return run if run > now else run + timedelta(days=1)


def keep_daily(name: str, func: str, at: str) -> None:
    """One daily schedule of `func` by its `name`, next at the local time `at` (HH:MM)."""
    Schedule.objects.update_or_create(
        name=name,
        defaults={
            "func": func,
            "schedule_type": Schedule.DAILY,
            "repeats": -1,
            "next_run": next_run_at(timezone.now(), at),
        },
    )


def ensure_schedule(**_kwargs) -> None:
    """One daily schedule of the watch, at the configured time (kept after each migrate)."""
    keep_daily(SCHEDULE_NAME, DAILY_TASK, settings.KAVERI_DAILY_WATCH_AT)
