from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "kaveri.access"
    label = "access"
    verbose_name = _("Access, roles, the action table and the audit log")

    def ready(self) -> None:
        from kaveri.access import checks  # noqa: F401  (registers the system checks)
        from kaveri.access.security import redact_every_log_record

        redact_every_log_record()
