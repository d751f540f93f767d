"""Is this Kaveri able to serve? The database answers, and the task worker is running.

A load balancer or a monitor asks `/health/`: 200 when both hold, 503 with what failed
otherwise. The task worker (`kaveri qcluster`) is judged by what it leaves in the
database, which every app process can see: a scheduled task long past its run time, or a
queued task waiting long, means that no worker is running.
"""

import time
from datetime import timedelta

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from kaveri.access.actions import Action
from kaveri.access.decorators import names_action

# How long a client should wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 30
# A worker polls every few seconds; this long late means none is running.
WORKER_LATE_AFTER = timedelta(minutes=10)


def database_check() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}


def task_queue_check(now=None) -> dict:
    from django_q.models import OrmQ, Schedule

    late_before = (now or timezone.now()) - WORKER_LATE_AFTER
    try:
        overdue = list(
            Schedule.objects.filter(next_run__lt=late_before)
            .exclude(repeats=0)
            .values_list("name", flat=True)[:5]
        )
        oldest = OrmQ.objects.filter(lock__isnull=True).order_by("id").first()
    except DatabaseError as error:
        return {"ok": False, "error": type(error).__name__}
    problems = [
        f"scheduled task '{name}' is overdue: no task worker is running" for name in overdue
    ]
    queued_at = oldest.task.get("started") if oldest is not None else None
    if hasattr(queued_at, "isoformat") and queued_at < late_before:
        problems.append(f"a queued task has waited since {queued_at.isoformat()}")
    return {"ok": not problems, "problems": problems}


@never_cache
@names_action(Action.HEALTH)
def health(request):
    checks = {"database": database_check()}
    checks["task_queue"] = (
        task_queue_check() if checks["database"]["ok"] else {"ok": False, "error": "no database"}
    )
    healthy = all(c["ok"] for c in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": checks},
        status=200 if healthy else 503,
    )
