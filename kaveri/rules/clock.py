"""The day the system answers for.

Rules never read the wall clock: every date is computed for a given day. This is
the one place where a request or a command finds out which day that is:
`KAVERI_TODAY` (YYYY-MM-DD) when set, as in the demo's `--today` and in tests,
else the local date in Finland.
"""

from datetime import date

from django.conf import settings
from django.utils import timezone


def today() -> date:
    fixed = getattr(settings, "KAVERI_TODAY", None)
    if fixed:
        return fixed if isinstance(fixed, date) else date.fromisoformat(str(fixed))
    return timezone.localdate()
