from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "kaveri.portal"
    label = "portal"
    verbose_name = "Client portal"
