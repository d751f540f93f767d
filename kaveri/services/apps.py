from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "kaveri.services"
    label = "services"
    verbose_name = "Service episodes"
