"""`kaveri audit seal|verify`: seal the pending events into the chain; check the whole chain."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kaveri.access.chain import seal_all, verify_chain
from kaveri.access.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Work with the audit log. `seal` chains the events not yet sealed (run it from cron or "
        "a worker; requests also seal now and then); `verify` checks every event, every seal "
        "and the newest seal against the anchor kept outside the database."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("seal", help="Seal every event not yet sealed and anchor the new head.")
        sub.add_parser("verify", help="Check the chain; exits non-zero at the first break.")

    def handle(self, *args, **options):
        if options["subcommand"] == "seal":
            self.seal()
        else:
            self.verify()

    def _bar(self, total: int, desc: str) -> tqdm:
        return tqdm(total=total, unit="event", desc=desc, disable=total < 10000)

    def seal(self) -> None:
        pending = AuditEvent.objects.filter(seal__isnull=True).count()
        with self._bar(pending, "Sealing the audit log") as bar:
            made = seal_all(progress=bar.update)
        self.stdout.write(f"Sealed {pending:,} events in {made:,} seals.")

    def verify(self) -> None:
        total = AuditEvent.objects.count()
        with self._bar(total, "Verifying the audit log") as bar:
            result = verify_chain(progress=bar.update)
        if result.broken:
            raise CommandError(f"{result.broken}. {result.events:,} events before it are intact.")
        anchored = (
            f" The newest seal matches the anchor written at {result.anchored_at}."
            if result.anchored_at
            else " No anchor to compare with: the anchor is the system log or not yet written."
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"The audit log is intact: {result.events:,} events, {result.seals:,} seals, "
                f"{result.unsealed:,} events awaiting their seal.{anchored}"
            )
        )
