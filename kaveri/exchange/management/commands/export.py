"""`kaveri export [--output FILE]`: all client records as JSON, to standard output by default."""

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from kaveri.exchange.records import write_export
from kaveri.people.models import Client


class Command(BaseCommand):
    help = "Export every client's whole record as JSON (see docs/exchange-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Write to this file instead of standard output.")

    def handle(self, *args, **options):
        total = Client.objects.count()
        with tqdm(
            total=total, unit="client", desc="Exporting", file=sys.stderr, disable=total < 5000
        ) as bar:
            if options["output"]:
                with open(options["output"], "w", encoding="utf-8") as stream:
                    count = write_export(stream, bar.update)
                self.stderr.write(f"Exported {count:,} clients to {options['output']}.")
            else:
                write_export(self.stdout, bar.update)
