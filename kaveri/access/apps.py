from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "kaveri.access"
    label = "access"
    verbose_name = "Access, roles, the action table and the audit log"
