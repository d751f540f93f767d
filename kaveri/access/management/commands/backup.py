"""`kaveri backup FILE`: the whole database to one file, while the service runs."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kaveri.access.actions import Action
from kaveri.access.audit import record_console_access
from kaveri.access.backup import BackupError, backup
from kaveri.access.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Back up the whole database to FILE (SQLite's online backup, or pg_dump's custom "
        "format on PostgreSQL). Keep the media folder and the audit key beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Where to write the backup.")

    def handle(self, *args, **options):
        target = options["file"]
        if target.exists():
            raise CommandError(f"{target} exists already; give a new file name.")
        record_console_access(Action.CONSOLE_BACKUP, [None], basis=f"kaveri backup {target}")
        with progress_bar("Backing up") as advance:
            try:
                backup(target, advance)
            except BackupError as error:
                raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up to {target} ({target.stat().st_size:,} bytes).")
