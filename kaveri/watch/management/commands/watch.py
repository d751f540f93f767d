"""`kaveri watch scan|digest|rebuild`: run the daily scan or send the day's digests by
hand; recompute every deadline."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kaveri.people.models import Client
from kaveri.rules import clock
from kaveri.rules.registry import rules_on
from kaveri.watch.digest import digests_for, send_digests
from kaveri.watch.explain import kind_label_of
from kaveri.watch.refresh import rebuild_deadlines
from kaveri.watch.scan import scan


def a_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--day takes a date as YYYY-MM-DD, e.g. 2026-11-29: {error}") from None


class Command(BaseCommand):
    help = (
        "The watch. `scan` runs every signal rule for a day (today by default) over the whole "
        "population and prints what it raised and cleared; `digest` sends each worker the "
        "day's digest e-mail (once a day at most); `rebuild` recomputes every client's "
        "deadlines from their records (after a bulk load). The scheduled task (kaveri "
        "qcluster) runs scan and digest every day."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        scan_parser = sub.add_parser("scan", help="Run the signal rules for one day.")
        scan_parser.add_argument("--day", type=a_day, help="The day to scan for (YYYY-MM-DD).")
        digest_parser = sub.add_parser("digest", help="Send the day's digest e-mails.")
        digest_parser.add_argument("--day", type=a_day, help="The day (YYYY-MM-DD).")
        sub.add_parser("rebuild", help="Recompute every client's deadlines.")

    def handle(self, *args, **options):
        if options["subcommand"] == "scan":
            self.scan(options.get("day") or clock.today())
        elif options["subcommand"] == "digest":
            self.digest(options.get("day") or clock.today())
        else:
            self.rebuild()

    def digest(self, day: date) -> None:
        digests = digests_for(day)
        with tqdm(total=len(digests), unit="worker", desc="Digests") as bar:
            sent = send_digests(day, progress=bar.update, digests=digests)
        self.stdout.write(
            f"Digests for {day.isoformat()}: {sent:,} sent, "
            f"{len(digests) - sent:,} already sent earlier."
        )

    def scan(self, day: date) -> None:
        rules = rules_on(day)
        with tqdm(total=len(rules.data.watch.signals), unit="rule", desc="Scanning") as bar:
            counts = scan(day, progress=lambda _kind: bar.update(1))
        width = max(len(kind_label_of(rules, c.kind)) for c in counts)
        self.stdout.write(f"Signals on {day.isoformat()} (rule set {rules.version}):")
        self.stdout.write(f"{'signal':<{width}}  {'raised':>8}  {'cleared':>8}  {'open':>8}")
        for c in counts:
            label = kind_label_of(rules, c.kind)
            self.stdout.write(f"{label:<{width}}  {c.raised:>8,}  {c.cleared:>8,}  {c.open:>8,}")
        self.stdout.write(
            f"{'total':<{width}}  {sum(c.raised for c in counts):>8,}  "
            f"{sum(c.cleared for c in counts):>8,}  {sum(c.open for c in counts):>8,}"
        )

    def rebuild(self) -> None:
        total = Client.objects.count()
        with tqdm(total=total, unit="client", desc="Deadlines", disable=total < 10000) as bar:
            written = rebuild_deadlines(progress=bar.update)
        self.stdout.write(f"Recomputed {written:,} deadlines for {total:,} clients.")
