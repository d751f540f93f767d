# ruff: noqa: E402  (Django is set up before the project's modules are imported)
"""Kaveri under load: caseworkers and clients at once against `kaveri serve`, with locust.

    KAVERI_DEMO=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/kaveri_load \\
        .venv/bin/python benchmarks/load.py --clients 100000 --workers 200 --clients-online 20
    KAVERI_DEMO=1 .venv/bin/python benchmarks/load.py --clients 100000 --workers 45 \\
        --clients-online 5 --duration 5m        # SQLite: 50 people at once

It wants an empty database (or `--reuse`), generates the synthetic region for --today, runs
the day's scan of the watch and ANALYZE, prepares a session for each simulated person (a
caseworker named to clients, a client with a portal login), starts `kaveri serve` on
loopback and runs the scenario of benchmarks/locustfile.py headless for --duration. It
then prints one table: requests, failures, p50, p95 and throughput per page and API
operation; the audit events written during the run and whether the chain still
verifies; and the fixed cost of a request (queries and time of the lightest pages).
Needs locust: `pip install -e .[load]`.
"""

import argparse
import csv
import json
import os
import platform
import random
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaveri.settings")

import django

django.setup()

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext
from tqdm import tqdm

from kaveri.access.chain import seal_all, verify_chain
from kaveri.access.models import AuditEvent, Worker
from kaveri.access.planner import refresh_planner_statistics
from kaveri.access.roles import CASEWORK_ROLES
from kaveri.casework.models import NamedWorker
from kaveri.demo.generator import generate
from kaveri.people.models import Client
from kaveri.plans.models import Plan
from kaveri.rules.registry import get_rules
from kaveri.watch.scan import scan

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
CLIENTS_A_WORKER = 20


def session_for(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = MODEL_BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(24 * 3600)
    store.create()
    return store.session_key


def caseworkers(count: int, rng: random.Random) -> list[dict]:
    """Caseworkers named to clients in open relationships, each with up to 20 of them."""
    named = NamedWorker.objects.filter(to_date__isnull=True, relationship__closed_on__isnull=True)
    busy = (
        named.values("worker_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=3, worker__role__in=CASEWORK_ROLES)
        .values_list("worker_id", flat=True)
    )
    chosen = rng.sample(list(busy), min(count, len(busy)))
    people = []
    for worker in Worker.objects.filter(pk__in=chosen).select_related("user"):
        rows = named.filter(worker=worker).values_list(
            "relationship__client_id", "relationship__client__last_name"
        )[:CLIENTS_A_WORKER]
        people.append(
            {
                "user": worker.user_id,
                "session": session_for(worker.user),
                "clients": [client for client, _ in rows],
                "surnames": sorted({name for _, name in rows}),
            }
        )
    return people


def portal_clients(count: int, rng: random.Random) -> list[dict]:
    """Clients with a current plan, each given a portal login of their own."""
    User = get_user_model()
    with_plans = list(
        Plan.objects.filter(is_current=True)
        .values_list("client_id", "pk")
        .order_by("client_id")[: count * 20]
    )
    people = []
    for client_id, plan_id in rng.sample(with_plans, min(count, len(with_plans))):
        client = Client.objects.get(pk=client_id)
        if client.user is None:
            client.user = User.objects.create(username=f"load-client-{client_id}", password="!")
            client.save(update_fields=["user"])
        people.append({"session": session_for(client.user), "clients": [], "plan": plan_id})
    return people


def fixed_cost(caseworker: dict) -> list[tuple[str, int, float]]:
    """(page, queries, ms) of single requests through the whole stack, warm: the lightest
    ones (what every request costs) and a caseworker's start page and client page."""
    browser = Browser(HTTP_HOST="localhost")
    browser.force_login(get_user_model().objects.get(pk=caseworker["user"]))
    rows = []
    pages = (
        ("health", "/health/"),
        ("API who am I", "/api/v1/me"),
        ("start page", "/fi/workspace/"),
        ("client page", f"/fi/workspace/clients/{caseworker['clients'][0]}/"),
    )
    for name, path in pages:
        browser.get(path)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            browser.get(path)
        rows.append((name, len(queries), (time.perf_counter() - started) * 1000))
    return rows


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"kaveri serve did not answer at {url}")


def run_locust(options, plan_path: Path, base_url: str, csv_prefix: Path) -> None:
    users = options.workers + options.clients_online
    command = [
        *(options.locust.split() if options.locust else [sys.executable, "-m", "locust"]),
        "-f",
        str(ROOT / "benchmarks" / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(options.spawn_rate),
        "--run-time",
        options.duration,
        "--host",
        base_url,
        "--csv",
        str(csv_prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    env = os.environ | {"KAVERI_LOAD_PLAN": str(plan_path)}
    subprocess.run(command, env=env, check=False)


def stats_table(csv_prefix: Path) -> list[str]:
    lines = [
        "| request | requests | failures | p50 ms | p95 ms | per second |",
        "|---|---|---|---|---|---|",
    ]
    with open(f"{csv_prefix}_stats.csv", encoding="utf-8") as stats:
        for row in csv.DictReader(stats):
            name = row["Name"] if row["Name"] != "Aggregated" else "**all**"
            lines.append(
                f"| {row['Type']} {name} | {int(row['Request Count']):,} | "
                f"{int(row['Failure Count']):,} | {row['50%']} | {row['95%']} | "
                f"{float(row['Requests/s']):.1f} |"
            )
    return lines


def failures(csv_prefix: Path) -> list[str]:
    with open(f"{csv_prefix}_failures.csv", encoding="utf-8") as found:
        return [
            f"{row['Name']}: {row['Error']} ({row['Occurrences']})" for row in csv.DictReader(found)
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=200, help="caseworkers at once")
    parser.add_argument("--clients-online", type=int, default=20, help="clients at once")
    parser.add_argument("--duration", default="10m", help="locust's --run-time, e.g. 10m")
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--web-concurrency", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 29))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reuse", action="store_true", help="Use the region already there.")
    parser.add_argument("--locust", help="The locust command, if not this Python's own module.")
    options = parser.parse_args()
    settings.KAVERI_TODAY = options.today
    rng = random.Random(options.seed)
    call_command("migrate", interactive=False, verbosity=0)
    if not options.reuse:
        if Client.objects.exists():
            sys.exit("The database already holds clients: give an empty one, or --reuse.")
        with tqdm(total=options.clients, desc="Generating", unit="client") as bar:
            generate(get_rules(), options.clients, options.today, options.seed, bar.update)
        scan(options.today)  # the day's signals, as the daily task leaves them
    refresh_planner_statistics()
    csrf = secrets.token_hex(16)
    plan = {
        "today": f"{options.today.day}.{options.today.month}.{options.today.year}",
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "csrf_token": csrf,
        "workers": caseworkers(options.workers, rng),
        "clients": portal_clients(options.clients_online, rng),
    }
    cost = fixed_cost(plan["workers"][0])
    var = Path(settings.VAR_DIR)
    plan_path = var / "load-plan.json"
    plan_path.write_text(json.dumps(plan))
    os.chmod(plan_path, 0o600)
    events_before = AuditEvent.objects.count()
    base_url = f"http://127.0.0.1:{options.port}"
    env = os.environ | {
        "KAVERI_TODAY": options.today.isoformat(),
        "KAVERI_BIND": f"127.0.0.1:{options.port}",
        "WEB_CONCURRENCY": str(options.web_concurrency),
    }
    server_log = open(var / "load-server.log", "w")  # noqa: SIM115 - open while it serves
    server = subprocess.Popen(
        [sys.executable, "-m", "kaveri", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=server_log,
        start_new_session=True,
    )
    try:
        wait_until_up(f"{base_url}/health/")
        csv_prefix = var / "load"
        run_locust(options, plan_path, base_url, csv_prefix)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        server_log.close()
        plan_path.unlink(missing_ok=True)
    connection.close()
    events = AuditEvent.objects.count() - events_before
    seal_all()
    chain = verify_chain()
    print()
    print(
        f"Kaveri load benchmark: {Client.objects.count():,} clients on {connection.vendor}, "
        f"{len(plan['workers'])} caseworkers and {len(plan['clients'])} clients at once for "
        f"{options.duration}, {options.web_concurrency} server processes, day {options.today}"
    )
    print(
        f"Machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    print()
    print("\n".join(stats_table(csv_prefix)))
    print()
    for line in failures(csv_prefix) or ["no failed requests"]:
        print(f"- {line}")
    print(
        f"- audit events written during the run: {events:,}; the chain verifies: "
        f"{'yes' if chain.broken is None else chain.broken}"
    )
    for name, queries, ms in cost:
        print(f"- fixed cost, {name}: {queries} queries, {ms:.1f} ms in process")


if __name__ == "__main__":
    main()
