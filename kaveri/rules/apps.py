from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "kaveri.rules"
    label = "rules"
    verbose_name = "Rule set"
