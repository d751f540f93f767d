from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransitionsConfig(AppConfig):
    name = "kaveri.transitions"
    label = "transitions"
    verbose_name = _("State changes")
