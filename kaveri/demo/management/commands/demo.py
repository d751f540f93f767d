"""`kaveri demo`: migrate, generate the synthetic region, print the logins, serve (with the
scheduled tasks running beside the server)."""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django_q.tasks import async_task
from tqdm import tqdm

from kaveri.access.actions import Action
from kaveri.access.audit import record_console_access
from kaveri.access.models import Organisation
from kaveri.access.planner import refresh_planner_statistics
from kaveri.benefits.observed import refresh_observed
from kaveri.demo import region
from kaveri.demo.generator import generate
from kaveri.demo.identity import CAPACITY
from kaveri.rules import clock
from kaveri.rules.registry import get_rules
from kaveri.watch.scan import scan
from kaveri.watch.tasks import DAILY_TASK

SIZE_QUERIES = {
    "sqlite": "SELECT (page_count - freelist_count) * page_size "
    "FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()",
    "postgresql": "SELECT pg_database_size(current_database())",
}


def database_size_text() -> str:
    query = SIZE_QUERIES.get(connection.vendor)
    if query is None:
        return "unknown"
    with connection.cursor() as cursor:
        cursor.execute(query)
        size = cursor.fetchone()[0]
    return f"{size / 1024 / 1024:,.0f} MiB"


def stop_process_group(process: subprocess.Popen, grace: float = 10) -> None:
    """Stop a process and every process it started (django-q2's workers too)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace)
        time.sleep(1)  # its workers finish their own shutdown
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


# kaveri.statistics.tasks.REFRESH_TASK, named here as the queue names it: the demo and the
# statistics are side by side and import nothing from each other.
STATISTICS_TASK = "kaveri.statistics.tasks.refresh_figures"


@contextmanager
def scheduled_tasks(today: date | None, port: int):
    """The django-q2 cluster beside the server, answering for the same day; the daily watch
    and the statistics' count run once at the start, so that the digests show on the
    console at once and the coordinator's pages open counted. The cluster
    stops with the server (Ctrl-C or a TERM signal)."""
    env = {**os.environ, "KAVERI_SITE_URL": f"http://127.0.0.1:{port}"}
    if today:
        env["KAVERI_TODAY"] = today.isoformat()
    async_task(DAILY_TASK, task_name="Kaveri: daily watch at the demo's start")
    async_task(STATISTICS_TASK, task_name="Kaveri: statistics counted at the demo's start")
    cluster = subprocess.Popen(
        [sys.executable, "-m", "kaveri", "qcluster"], env=env, start_new_session=True
    )
    stop_on_term = signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, stop_on_term)
        stop_process_group(cluster)


def empty_database() -> None:
    """Start from no tables at all: `flush` cannot empty the audit log, which no one may
    delete from (its triggers refuse), so the demo's database goes as a whole."""
    connection.close()
    if connection.vendor == "sqlite":
        database = Path(connection.settings_dict["NAME"])
        for suffix in ("", "-wal", "-shm"):
            database.with_name(database.name + suffix).unlink(missing_ok=True)
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")


class Command(BaseCommand):
    help = "Set up the demo: migrate, generate a synthetic region, print logins and serve."

    def add_arguments(self, parser):
        parser.add_argument(
            "--clients",
            type=int,
            default=2000,
            help="How many synthetic clients (default 2,000; up to 1,000,000).",
        )
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on.")
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Build the data and exit without starting the server.",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Empty the database first and generate anew."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Seed of the generator.")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="Reference date (YYYY-MM-DD) for the history; default today.",
        )

    def handle(self, *args, **options):
        clients = options["clients"]
        if not 0 <= clients <= CAPACITY:
            raise CommandError(f"--clients must be between 0 and {CAPACITY:,}.")
        if options["reset"]:
            empty_database()
        call_command("migrate", interactive=False, verbosity=0)
        if Organisation.objects.filter(region=region.REGION).exists():
            self.stdout.write(
                "The demo region is already in the database; use --reset to generate it anew."
            )
        else:
            self._generate(clients, options["seed"], options["today"] or clock.today())
        self._print_logins(options["port"])
        if not options["no_serve"]:
            if options["today"]:
                # The server answers for the same day the region was generated for.
                settings.KAVERI_TODAY = options["today"]
            with scheduled_tasks(options["today"], options["port"]):
                call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False)

    def _generate(self, clients: int, seed: int, today: date) -> None:
        rules = get_rules()
        started = time.monotonic()
        with tqdm(total=clients, unit="client", desc="Generating the demo region") as bar:
            rows = generate(rules, clients, today, seed, progress=bar.update)
        record_console_access(
            Action.CONSOLE_DEMO, [None], basis=f"kaveri demo: {clients} synthetic clients"
        )
        refresh_planner_statistics()
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Generated {clients:,} clients ({rows:,} rows) in {elapsed:,.1f} s; "
            f"database size {database_size_text()}."
        )
        started = time.monotonic()
        counts = scan(today)
        refresh_observed(today)
        self.stdout.write(
            f"The watch found {sum(c.open for c in counts):,} signals for {today.isoformat()} "
            f"in {time.monotonic() - started:,.1f} s."
        )

    def _print_logins(self, port: int) -> None:
        self.stdout.write(
            f"\nKaveri demo: http://127.0.0.1:{port}/  "
            f"(password for every login: {region.DEMO_PASSWORD})"
        )
        for username, role, *_ in region.DEMO_LOGINS:
            self.stdout.write(f"  {role:<22} {username}")
        self.stdout.write(f"  {'CLIENT':<22} {region.CLIENT_LOGIN}\n")
