import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaveri.settings")
application = get_wsgi_application()

if not settings.SECRET_KEY:
    from kaveri.access.checks import MISSING_SECRET

    raise ImproperlyConfigured(MISSING_SECRET)
if not settings.KAVERI_AUDIT_KEY:
    from kaveri.access.checks import MISSING_AUDIT_KEY

    raise ImproperlyConfigured(MISSING_AUDIT_KEY)
