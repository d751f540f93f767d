"""`kaveri demo_benchmark`: time the demo generator at several sizes and print a table.

It empties the configured database before each size, so point DATABASE_URL or
KAVERI_VAR_DIR at a scratch database.
"""

import resource
import time
from datetime import date

from django.core.management import call_command
from django.core.management.base import BaseCommand

from kaveri.demo.generator import generate
from kaveri.demo.management.commands.demo import database_size_text
from kaveri.rules.registry import get_rules


class Command(BaseCommand):
    help = "Time the demo generator at several sizes (empties the database first)."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, nargs="+", default=[1000, 10000, 100000])
        parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 27))

    def handle(self, *args, **options):
        rules = get_rules()
        self.stdout.write(
            f"{'clients':>10} {'rows':>12} {'seconds':>9} {'clients/s':>10} "
            f"{'database':>10} {'peak RSS':>10}"
        )
        for clients in options["clients"]:
            call_command("migrate", verbosity=0)
            call_command("flush", interactive=False, verbosity=0)
            started = time.monotonic()
            rows = generate(rules, clients, options["today"])
            seconds = time.monotonic() - started
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            self.stdout.write(
                f"{clients:>10,} {rows:>12,} {seconds:>9.1f} "
                f"{clients / seconds:>10,.0f} {database_size_text():>10} "
                f"{peak:>8.0f} MiB"
            )
