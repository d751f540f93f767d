from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "kaveri.casework"
    label = "casework"
    verbose_name = "Casework"
