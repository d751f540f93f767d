"""`kaveri serve`: Kaveri under gunicorn, as a deployment runs it.

Several worker processes share no state but the database: put as many app processes as
needed behind the reverse proxy that ends TLS. Static files come from WhiteNoise; logs go
to standard error, as JSON lines with LOG_FORMAT=json. The scheduled tasks run in a
process of their own, `kaveri qcluster`.
"""

import copy
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DEFAULT_BIND = "127.0.0.1:8000"


def default_workers() -> int:
    """gunicorn's rule of thumb: two per core and one."""
    return 2 * (os.cpu_count() or 1) + 1


def gunicorn_logging() -> dict:
    """gunicorn's own log lines through Kaveri's handlers: JSON lines when LOG_FORMAT=json,
    identity codes redacted."""
    config = copy.deepcopy(settings.LOGGING)
    config["loggers"]["gunicorn.error"] = {
        "handlers": ["console"],
        "level": "INFO",
        "propagate": False,
    }
    config["loggers"]["gunicorn.access"] = {
        "handlers": ["access"],
        "level": "INFO",
        "propagate": False,
    }
    return config


def gunicorn_options(bind: str, workers: int, timeout: int) -> dict:
    """The settings gunicorn runs Kaveri with."""
    if workers < 1:
        raise CommandError("--workers must be at least 1.")
    return {
        "bind": bind,
        "workers": workers,
        "worker_class": "sync",
        "timeout": timeout,
        "graceful_timeout": timeout,
        "max_requests": 2000,
        "max_requests_jitter": 200,
        "accesslog": "-",
        "errorlog": "-",
        "logconfig_dict": gunicorn_logging(),
        "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        "proc_name": "kaveri",
    }


class Command(BaseCommand):
    help = "Serve Kaveri with gunicorn: several worker processes, static files included."

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            default=os.environ.get("KAVERI_BIND", DEFAULT_BIND),
            help=f"Address to listen on (KAVERI_BIND; default {DEFAULT_BIND}).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", default_workers())),
            help="Worker processes (WEB_CONCURRENCY; default two per core and one).",
        )
        parser.add_argument(
            "--timeout", type=int, default=30, help="Seconds a request may take (default 30)."
        )

    def handle(self, *args, **options):
        from gunicorn.app.base import BaseApplication

        from kaveri.wsgi import application

        if settings.DEBUG:
            raise CommandError("DEBUG is on: `kaveri serve` is for deployments, not for debugging.")
        chosen = gunicorn_options(options["bind"], options["workers"], options["timeout"])

        class Kaveri(BaseApplication):
            def load_config(self):
                for key, value in chosen.items():
                    self.cfg.set(key, value)

            def load(self):
                return application

        self.stderr.write(f"Kaveri on http://{chosen['bind']}/ with {chosen['workers']} workers")
        Kaveri().run()
