from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "kaveri.exchange"
    label = "exchange"
    verbose_name = "Import and export"
