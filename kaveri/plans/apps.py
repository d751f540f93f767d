from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "kaveri.plans"
    label = "plans"
    verbose_name = "Plans"
