from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "kaveri.consent"
    label = "consent"
    verbose_name = "Consents"
