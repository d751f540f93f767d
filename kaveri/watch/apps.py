from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WatchConfig(AppConfig):
    name = "kaveri.watch"
    label = "watch"
    verbose_name = _("The watch: deadlines, signals and worklists")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from kaveri.rules.watchers import listen
        from kaveri.watch.refresh import refresh_clients
        from kaveri.watch.tasks import ensure_schedule

        listen(refresh_clients)
        post_migrate.connect(ensure_schedule, sender=self)
