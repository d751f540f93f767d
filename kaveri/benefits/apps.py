from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "kaveri.benefits"
    label = "benefits"
    verbose_name = "Benefit applications"
