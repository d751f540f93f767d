from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "kaveri.statistics"
    label = "statistics"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from kaveri.statistics.tasks import ensure_schedule

        post_migrate.connect(ensure_schedule, sender=self)
