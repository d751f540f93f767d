from django.conf import settings
from django.core.checks import Error, register

MISSING_SECRET = (
    "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random string, "
    "or run `kaveri demo` for the demonstration set-up."
)


@register()
def secret_key_is_set(app_configs, **kwargs):
    if settings.SECRET_KEY:
        return []
    return [Error(MISSING_SECRET, id="kaveri.E001")]


MISSING_AUDIT_KEY = (
    "KAVERI_AUDIT_KEY is not set. Set it (or KAVERI_AUDIT_KEY_FILE, a file that holds it) to a "
    "long random string kept outside the database: it keys the audit log's chain."
)


@register()
def audit_key_is_set(app_configs, **kwargs):
    if settings.KAVERI_AUDIT_KEY:
        return []
    return [Error(MISSING_AUDIT_KEY, id="kaveri.E002")]
