from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "kaveri.demo"
    label = "demo"
    verbose_name = "Demo region"
