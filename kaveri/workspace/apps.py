from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "kaveri.workspace"
    label = "workspace"
    verbose_name = "Workers' pages"
