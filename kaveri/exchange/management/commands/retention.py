"""`kaveri retention`: what the rule set's retention times make due on a day. By default it
changes nothing: it is the list the information management unit reviews. With --apply it
carries the list out: the records to keep for ever go to an archive package, and every
relationship due is deleted with the records made in it (`kaveri.exchange.retention`)."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kaveri.access.actions import Action
from kaveri.access.audit import record_console_access
from kaveri.access.progress import progress_bar
from kaveri.casework.retention import RetentionDue, RetentionReport, retention_report
from kaveri.exchange.retention import RetentionRefused, carry_out
from kaveri.rules import clock
from kaveri.rules.ruleset import duration_text


def day_text(day: date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


class Command(BaseCommand):
    help = (
        "List the client relationships whose records the law no longer requires to be kept "
        "(due for deletion) and those to be archived for ever, by the retention rules of the "
        "rule set in force on the day. Nothing is changed unless --apply is given: without it "
        "this is a dry run to review."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="The day to answer for (YYYY-MM-DD); KAVERI_TODAY or today by default.",
        )
        parser.add_argument(
            "--list",
            action="store_true",
            help="Name each relationship that is due (its id, the client's id, never a name).",
        )
        parser.add_argument(
            "--apply",
            action="store_true",
            help="Carry the list out: archive what is kept for ever, then delete what is due.",
        )
        parser.add_argument(
            "--archive-dir",
            type=Path,
            help="With --apply: the folder the archive package is written to (mode 0600 file).",
        )
        parser.add_argument(
            "--accept-unverified",
            action="store_true",
            help="With --apply: carry out rules not yet verified against their source too.",
        )

    def handle(self, *args, **options):
        today = options["today"] or clock.today()
        report = retention_report(today)
        if options["apply"] and not options["archive_dir"]:
            raise CommandError("--apply needs --archive-dir: the folder for the archive package.")
        record_console_access(Action.CONSOLE_RETENTION, [None], basis="kaveri retention")
        self._summary(report, options["apply"])
        if options["list"]:
            for due in report.due:
                self._rows(due)
        if options["apply"]:
            self._apply(report, options["archive_dir"], options["accept_unverified"])

    def _apply(self, report: RetentionReport, archive_dir: Path, accept_unverified: bool) -> None:
        try:
            with progress_bar("Archiving") as advance:
                done = carry_out(report, archive_dir, accept_unverified, advance)
        except RetentionRefused as refusal:
            raise CommandError(f"Nothing was deleted. {refusal}") from refusal
        self.stdout.write("")
        self.stdout.write(f"Deleted {done.deleted:,} relationships and the records made in them.")
        if done.package:
            self.stdout.write(
                f"Archived {done.archived:,} relationships to {done.package}: hand it to the "
                "archive, then remove it from this server."
            )

    def _summary(self, report: RetentionReport, applying: bool) -> None:
        write = self.stdout.write
        mode = "carried out below" if applying else "a dry run: nothing is deleted or moved"
        write(
            f"Retention on {day_text(report.today)} by the rule set {report.ruleset_version} "
            f"({mode})."
        )
        write("")
        write(f"{'rule':<24} {'closed by':>10} {'to delete':>10} {'to archive':>11}  keep for")
        for due in report.due:
            rule = due.rule
            write(
                f"{rule.code:<24} {day_text(due.kept_until):>10} {due.to_delete.count():>10,} "
                f"{due.to_archive.count():>11,}  {duration_text(rule.keep_for, 'en')}"
                f"{'' if rule.verified else ' (not verified)'}"
            )
        write("")
        if report.kept_without_rule:
            kinds = ", ".join(f"{k} {n:,}" for k, n in report.kept_without_rule.items())
            write(f"Closed relationships kept, no retention rule in the set: {kinds}.")
        write(
            f"Audit events made before {day_text(report.audit_kept_until)} "
            f"(kept {duration_text(report.audit_log_keep_for, 'en')}"
            f"{'' if report.audit_log_verified else ', not verified'}): "
            f"{report.audit_events_due:,}."
        )

    def _rows(self, due: RetentionDue) -> None:
        for what, rows in (("delete", due.to_delete), ("archive", due.to_archive)):
            for row in rows.values("pk", "client_id", "kind", "organisation_id", "closed_on"):
                self.stdout.write(
                    f"{due.rule.code}: {what} relationship {row['pk']} (client {row['client_id']}, "
                    f"{row['kind']}, organisation {row['organisation_id']}, "
                    f"closed on {day_text(row['closed_on'])})"
                )
