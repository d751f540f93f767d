"""`kaveri export [--output FILE]`: all client records as JSON, to standard output by default.

The file is written readable by its owner only, and every exported client's access log shows
the export (who ran it at the console, and when)."""

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from kaveri.access.actions import Action
from kaveri.access.audit import record_console_access
from kaveri.access.files import open_private
from kaveri.exchange.records import write_export
from kaveri.people.models import Client


def audit_exported(clients) -> None:
    record_console_access(Action.CONSOLE_EXPORT, clients, basis="kaveri export")


class Command(BaseCommand):
    help = "Export every client's whole record as JSON (see docs/exchange-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Write to this file (mode 0600) instead of stdout.")

    def handle(self, *args, **options):
        total = Client.objects.count()
        with tqdm(
            total=total, unit="client", desc="Exporting", file=sys.stderr, disable=total < 5000
        ) as bar:
            if options["output"]:
                with open_private(options["output"]) as stream:
                    count = write_export(stream, bar.update, audit_exported)
                self.stderr.write(f"Exported {count:,} clients to {options['output']}.")
            else:
                write_export(self.stdout, bar.update, audit_exported)
