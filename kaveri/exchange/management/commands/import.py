"""`kaveri import FILE`: validate every record first; write all of them or none."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kaveri.access.planner import BULK_LOAD_CLIENTS, refresh_planner_statistics
from kaveri.exchange.importer import ImportOptions, Problems, import_document

SHOWN_PROBLEMS = 200


class Command(BaseCommand):
    help = "Import client records (see docs/exchange-format.md). Nothing is written on error."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A JSON file in the exchange format; - for stdin.")
        parser.add_argument(
            "--update",
            action="store_true",
            help="For a client already in Kaveri whose basic details differ, take the file's "
            "(without it such a client is refused, each difference named).",
        )
        parser.add_argument(
            "--delete-missing",
            action="store_true",
            help="With --update: replace a client's records with the file's where they differ, "
            "deleting Kaveri's (each deletion is listed and audited).",
        )

    def handle(self, *args, **options):
        data = self._read(options["file"])
        total = len(data.get("clients", [])) if isinstance(data, dict) else 0
        try:
            with tqdm(
                total=total, unit="client", desc="Importing", file=sys.stderr, disable=total < 1000
            ) as bar:
                result = import_document(
                    data,
                    progress=bar.update,
                    options=ImportOptions(options["update"], options["delete_missing"]),
                )
        except Problems as problems:
            for line in problems.errors[:SHOWN_PROBLEMS]:
                self.stderr.write(line)
            more = len(problems.errors) - SHOWN_PROBLEMS
            if more > 0:
                self.stderr.write(f"... and {more} more.")
            raise CommandError(
                f"{len(problems.errors)} problem(s); nothing was imported. Fix them and run "
                "the import again."
            ) from None
        if result.created + result.updated >= BULK_LOAD_CLIENTS:
            refresh_planner_statistics()
        for line in result.deleted:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported: {result.created} new, {result.updated} updated, "
                f"{result.unchanged} unchanged, {len(result.deleted)} records deleted."
            )
        )

    def _read(self, name: str):
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{name}: cannot be read ({error.strerror}).") from None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(
                f"{name}: not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}."
            ) from None
