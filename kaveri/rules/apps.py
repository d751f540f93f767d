from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "kaveri.rules"
    label = "rules"
    verbose_name = _("Rule set")

    def ready(self) -> None:
        from kaveri.rules import checks  # noqa: F401  (registers the rule set check)
