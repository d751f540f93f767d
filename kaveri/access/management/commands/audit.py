"""`kaveri audit verify`: check the audit log's hash chain and report the first broken link."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kaveri.access.chain import verify_chain
from kaveri.access.models import AuditEvent


class Command(BaseCommand):
    help = "Work with the audit log. `verify` checks the hash chain of every event."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Check the hash chain; exits non-zero at the first break.")

    def handle(self, *args, **options):
        total = AuditEvent.objects.count()
        with tqdm(
            total=total, unit="event", desc="Verifying the audit log", disable=total < 10000
        ) as bar:
            checked, broken = verify_chain(progress=bar.update)
        if broken:
            raise CommandError(f"{broken}. {checked:,} events before it are intact.")
        self.stdout.write(self.style.SUCCESS(f"The audit log is intact: {checked:,} events."))
