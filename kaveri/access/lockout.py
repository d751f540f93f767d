"""Login lockout by username and address (django-axes), and by address alone with a higher
limit: one address may not try a password against many usernames, yet one office behind one
address is not locked out by a colleague's typing errors."""

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def failures_from_address(ip_address: str | None) -> int:
    if not ip_address:
        return 0
    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    attempts = AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since)
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class KaveriLockoutHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        address = getattr(request, "axes_ip_address", None)
        return failures_from_address(address) >= settings.KAVERI_LOGIN_ADDRESS_LIMIT
