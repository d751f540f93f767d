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
