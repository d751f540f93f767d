"""`kaveri restore FILE --yes`: replace the database's contents with a backup, then
verify the audit chain."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kaveri.access.actions import Action
from kaveri.access.audit import record_console_access
from kaveri.access.backup import BackupError, restore
from kaveri.access.chain import verify_chain
from kaveri.access.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Replace the whole database with the backup in FILE, then verify the audit chain. "
        "Stop the app processes and the task worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The backup that `kaveri backup` wrote.")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm: everything now in the database goes."
        )

    def handle(self, *args, **options):
        source = options["file"]
        if not options["yes"]:
            raise CommandError(
                "A restore replaces everything in the database with the backup. "
                "Give --yes to confirm."
            )
        with progress_bar("Restoring") as advance:
            try:
                restore(source, advance)
            except BackupError as error:
                raise CommandError(str(error)) from None
        checked = verify_chain()
        record_console_access(Action.CONSOLE_RESTORE, [None], basis=f"kaveri restore {source}")
        if checked.broken is not None:
            raise CommandError(f"Restored, but the audit chain does not verify: {checked.broken}")
        self.stdout.write(
            f"Restored from {source}; the audit chain verifies ({checked.events:,} events)."
        )
