# ruff: noqa: E402  (Django is set up before the project's modules are imported)
"""The watch at scale: generate a region, scan it, and time the pages workers wait for.

    KAVERI_DEMO=1 .venv/bin/python benchmarks/watch.py --clients 100000
    KAVERI_DEMO=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/kaveri_bench \\
        .venv/bin/python benchmarks/watch.py --clients 1000000

It wants an empty database (the audit log cannot be emptied on PostgreSQL), generates the
synthetic region for --today, runs ANALYZE, then measures side by side and prints one
table: generation, the full scan (first and steady), the worklist of --workers different
workers (server time through the whole Django stack, and the bare SQL that fetches the
same rows), the client page and the name search. `--reuse` measures an existing region.
Not part of the test suite: a speed target is a benchmark, not a timed test.
"""

import argparse
import os
import platform
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaveri.settings")

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client as Browser
from django.urls import reverse
from tqdm import tqdm

from kaveri.access.models import Worker
from kaveri.access.planner import refresh_planner_statistics
from kaveri.access.roles import CASEWORK_ROLES
from kaveri.casework.models import ClientRelationship, NamedWorker
from kaveri.demo.generator import generate
from kaveri.people.models import Client
from kaveri.rules.registry import get_rules
from kaveri.watch.scan import scan
from kaveri.watch.signals import QUERIES
from kaveri.watch.worklist import Filters, deadline_rows, my_clients, signal_rows

# (what, target at 1,000,000 on PostgreSQL, target at 100,000 on SQLite), in ms or s.
TARGETS = {
    "generation": ("600 s", None),
    "scan": ("5 s", None),
    "worklist p95": ("30 ms", "60 ms"),
    "worklist / bare SQL p95": ("3x", "3x"),
    "client page p95": ("50 ms", None),
    "name search p95": ("30 ms", None),
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(action, *args) -> float:
    started = time.perf_counter()
    action(*args)
    return (time.perf_counter() - started) * 1000


def timed_scan(day: date) -> tuple[float, dict[str, float]]:
    """The whole scan in seconds, and each rule's share (from the scan's progress calls)."""
    marks: dict[str, float] = {}
    started = last = time.perf_counter()

    def mark(code: str) -> None:
        nonlocal last
        now = time.perf_counter()
        marks[code] = now - last
        last = now

    scan(day, progress=mark)
    return time.perf_counter() - started, marks


def explained(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if connection.vendor == "postgresql"
        else ("EXPLAIN QUERY PLAN ")
    )
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return "\n".join(" | ".join(str(c) for c in r) for r in cursor.fetchall())


def plans(workers: list[Worker], today: date, slowest_rule: str) -> str:
    """The plans of the worklist's two queries for the busiest sampled worker, and of the
    slowest signal rule."""
    rules = get_rules()
    busiest = max(workers, key=lambda w: NamedWorker.objects.filter(worker=w).count())
    clients = my_clients(busiest)
    rule = rules.data.watch.signal(slowest_rule)
    return "\n\n".join(
        [
            f"-- worklist signals (worker {busiest.pk})\n"
            + explained(signal_rows(clients, today, Filters())),
            f"-- worklist deadlines (worker {busiest.pk})\n"
            + explained(deadline_rows(clients, today, Filters())),
            f"-- scan rule {slowest_rule}\n"
            + explained(QUERIES[slowest_rule].hits(today, rule, rules)),
        ]
    )


def sample_workers(count: int, rng: random.Random) -> list[Worker]:
    """Caseworkers named to at least one client in an open relationship."""
    named = (
        NamedWorker.objects.filter(to_date__isnull=True, relationship__closed_on__isnull=True)
        .values_list("worker_id", flat=True)
        .distinct()
    )
    ids = list(
        Worker.objects.filter(pk__in=named, role__in=CASEWORK_ROLES).values_list("pk", flat=True)
    )
    chosen = rng.sample(ids, min(count, len(ids)))
    return list(Worker.objects.filter(pk__in=chosen).select_related("user", "organisation"))


def browser_for(worker: Worker) -> Browser:
    browser = Browser(HTTP_HOST="localhost")
    browser.force_login(worker.user)
    return browser


def bare_worklist_sql(worker: Worker, today: date) -> float:
    """The SQL that fetches the worklist's rows, run bare (no Python around it)."""
    clients = my_clients(worker)
    queries = [
        signal_rows(clients, today, Filters()),
        deadline_rows(clients, today, Filters()),
    ]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for query in queries:
            cursor.execute(*query.query.sql_with_params())
            cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def measure_pages(workers: list[Worker], today: date, rng: random.Random) -> dict:
    worklist_ms, bare_ms, page_ms, search_ms, code_ms = [], [], [], [], []
    last_names = list(
        Client.objects.order_by().values_list("last_name", flat=True).distinct()[:200]
    )
    top = Client.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    start_page = reverse("workspace:clients")
    search = reverse("workspace:search")
    for worker in tqdm(workers, desc="Pages", unit="worker"):
        browser = browser_for(worker)
        browser.get(start_page)  # the session's first request warms its caches
        worklist_ms.append(timed(browser.get, start_page))
        bare_ms.append(bare_worklist_sql(worker, today))
        served = list(
            ClientRelationship.objects.filter(
                organisation=worker.organisation, closed_on__isnull=True
            ).values_list("client_id", flat=True)[:50]
        )
        if served:
            page = reverse("workspace:client", args=[rng.choice(served)])
            page_ms.append(timed(browser.get, page))
        query = rng.choice(last_names)
        search_ms.append(timed(browser.post, search, {"query": query}))
        someone = Client.objects.filter(pk__gte=rng.randint(1, max(top, 1))).order_by("pk")
        code = someone.values_list("hetu", flat=True).first()
        if code:
            code_ms.append(timed(browser.post, search, {"query": code}))
    return {
        "worklist": worklist_ms,
        "bare": bare_ms,
        "page": page_ms,
        "search": search_ms,
        "code": code_ms,
    }


def row(what: str, value: str, target: str | None) -> str:
    return f"| {what} | {value} | {target or '–'} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=200)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 29))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reuse", action="store_true", help="Measure the region already there.")
    parser.add_argument("--explain", action="store_true", help="Print the slowest plans too.")
    options = parser.parse_args()
    settings.KAVERI_TODAY = options.today
    rng = random.Random(options.seed)
    call_command("migrate", interactive=False, verbosity=0)
    generation_s = None
    if not options.reuse:
        if Client.objects.exists():
            sys.exit(
                "The database already holds clients: point the benchmark at an empty one "
                "(drop and create it, or remove the SQLite file), or measure it with --reuse."
            )
        started = time.perf_counter()
        with tqdm(total=options.clients, desc="Generating", unit="client") as bar:
            generate(get_rules(), options.clients, options.today, options.seed, bar.update)
        refresh_planner_statistics()
        generation_s = time.perf_counter() - started
    first_scan_s, _marks = timed_scan(options.today)
    refresh_planner_statistics()
    steady_scan_s, per_rule = timed_scan(options.today)
    slowest = sorted(per_rule.items(), key=lambda item: -item[1])[:3]
    workers = sample_workers(options.workers, rng)
    times = measure_pages(workers, options.today, rng)
    vendor = connection.vendor
    clients = Client.objects.count()
    worklist_p95 = percentile(times["worklist"], 0.95)
    bare_p95 = percentile(times["bare"], 0.95)
    big = vendor == "postgresql"

    def target(name: str) -> str | None:
        at_scale, small = TARGETS[name]
        return at_scale if big else small

    lines = [
        f"Kaveri watch benchmark: {clients:,} clients on {vendor}, {len(workers)} workers, "
        f"day {options.today.isoformat()}",
        f"Machine: {platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs",
        "",
        "| measure | result | target |",
        "|---|---|---|",
        row(
            "generation",
            f"{generation_s:,.0f} s" if generation_s is not None else "(reused)",
            target("generation"),
        ),
        row("first scan (raises every signal)", f"{first_scan_s:,.2f} s", None),
        row("daily scan (steady)", f"{steady_scan_s:,.2f} s", target("scan")),
        row(
            "slowest rules of the scan",
            ", ".join(f"{code} {seconds:,.2f} s" for code, seconds in slowest),
            None,
        ),
        row(
            "worklist p50 / p95",
            f"{statistics.median(times['worklist']):,.1f} / {worklist_p95:,.1f} ms",
            target("worklist p95"),
        ),
        row(
            "bare SQL of the worklist p50 / p95",
            f"{statistics.median(times['bare']):,.1f} / {bare_p95:,.1f} ms",
            None,
        ),
        row(
            "worklist / bare SQL at p95",
            f"{worklist_p95 / bare_p95:,.1f}x" if bare_p95 else "–",
            target("worklist / bare SQL p95"),
        ),
        row(
            "client page p50 / p95",
            f"{statistics.median(times['page']):,.1f} / {percentile(times['page'], 0.95):,.1f} ms",
            target("client page p95"),
        ),
        row(
            "name search p50 / p95",
            f"{statistics.median(times['search']):,.1f} / "
            f"{percentile(times['search'], 0.95):,.1f} ms",
            target("name search p95"),
        ),
        row(
            "identity code search (keyed hash) p50 / p95",
            f"{statistics.median(times['code']):,.1f} / {percentile(times['code'], 0.95):,.1f} ms",
            None,
        ),
    ]
    print("\n".join(lines))
    if options.explain:
        print("\nPlans of the slowest queries:\n")
        print(plans(workers, options.today, slowest[0][0]))


if __name__ == "__main__":
    main()
