from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "kaveri.access"
    label = "access"
    verbose_name = "Access, roles, the action table and the audit log"

    def ready(self) -> None:
        from kaveri.access import checks  # noqa: F401  (registers the system checks)
