# ruff: noqa: E402  (Django is set up before the project's modules are imported)
"""The coordinators' statistics at scale: time every table and page over an existing region.

    KAVERI_DEMO=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench \\
        .venv/bin/kaveri demo --clients 1000000 --no-serve --today 2026-12-05
    KAVERI_DEMO=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python benchmarks/region_figures.py --today 2026-12-05

First the night's refresh (kaveri.statistics.tasks) is run and timed: it counts every table
for the choices the pages open with, in three languages, the cube of that period (every
narrowing a dimension, kept per quarter) and those of the whole calendar years offered
beside it. Then each table is built as its download and API operation build it
(reports.statistics_table) for those choices (kept tables), narrowed to one age group and one
organisation (summed from the period's quarters), the same narrowing for last calendar year
(a period offered), for four quarters across two years that no link offers (joined from the
quarters counted ahead) and for two quarters of which the first is older than those counted
ahead (that quarter counted live); each page is fetched through the whole
Django stack as the demo's coordinator, as it opens and narrowed. Each is timed --repeat
times; the table gives the best and the median. Target: 2 s each at 1,000,000 clients on
PostgreSQL. Not part of the test suite: a speed target is a benchmark, not a timed test.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaveri.settings")

import django

django.setup()

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client as Browser
from tqdm import tqdm

from kaveri.casework.models import ClientRelationship
from kaveri.people.models import Client
from kaveri.statistics.history import first_quarter_counted
from kaveri.statistics.reports import PREVIEW_TABLES, TABLE_NAMES, statistics_table
from kaveri.statistics.tasks import refresh_figures

TARGET_SECONDS = 2.0
PAGES = ("", "flows/", "durations/", "bottlenecks/", "rule-change/", "report.pdf")


def first_organisation() -> int:
    """The organisation with most relationships: a narrowing a coordinator would choose."""
    busiest = (
        ClientRelationship.objects.values("organisation")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return busiest["organisation"]


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure(action, repeat: int) -> tuple[float, float]:
    times = [timed(action) for _ in range(repeat)]
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--today", type=date.fromisoformat, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--coordinator", default="koordinaattori")
    parser.add_argument(
        "--only", nargs="+", choices=TABLE_NAMES, help="time these tables only, and no page"
    )
    options = parser.parse_args()
    settings.KAVERI_TODAY = options.today
    settings.ALLOWED_HOSTS = ["*"]
    clients, relationships = Client.objects.count(), ClientRelationship.objects.count()
    print(
        f"Kaveri statistics benchmark: {clients:,} clients, {relationships:,} relationships "
        f"on {connection.vendor}, day {options.today}"
    )
    print(
        f"Machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    started = time.perf_counter()
    print(refresh_figures(options.today))
    rows = [("the night's refresh (every table, 3 languages)", time.perf_counter() - started, None)]
    narrowed = {"age_group": "25-34", "organisation": str(first_organisation())}
    last_year = options.today.year - 1
    a_year_offered = {"start": f"{last_year}-01-01", "end": f"{last_year}-12-31"}
    across_years = {"start": f"{last_year}-04-01", "end": f"{last_year + 1}-03-31"}
    earliest = first_quarter_counted(options.today).year
    reaching_before = {"start": f"{earliest - 1}-10-01", "end": f"{earliest}-03-31"}
    choices = {
        "as it opens": {},
        "age 25–34 and an organisation": narrowed,
        f"the same narrowing, year {last_year} (offered)": narrowed | a_year_offered,
        f"the same narrowing, Q2/{last_year}–Q1/{last_year + 1} (not offered)": narrowed
        | across_years,
        f"the same narrowing, Q4/{earliest - 1} live, Q1/{earliest}": narrowed | reaching_before,
    }
    work = [
        (name, label, params)
        for name in options.only or TABLE_NAMES
        for label, params in choices.items()
        if not (params and name in PREVIEW_TABLES)  # a preview takes no narrowing
    ]
    for name, label, params in tqdm(work, desc="Tables", unit="table"):
        best, median = measure(
            lambda name=name, params=params: statistics_table(name, params, options.today),
            options.repeat,
        )
        rows.append((f"table {name} ({label})", best, median))
    browser = Browser()
    browser.force_login(get_user_model().objects.get(username=options.coordinator))
    query = "?" + urlencode(narrowed)
    urls = [
        f"/fi/statistics/{page}{narrowing}"
        for page in PAGES
        for narrowing in ("", query)
        if not (narrowing and page == "rule-change/")  # a preview takes no narrowing
        and not options.only
    ]
    for url in tqdm(urls, desc="Pages", unit="page"):

        def fetch(url=url):
            response = browser.get(url)
            assert response.status_code == 200, (url, response.status_code)

        best, median = measure(fetch, options.repeat)
        rows.append((f"page {url}", best, median))
    print(f"\n| statistic | best s | median s | within {TARGET_SECONDS:g} s |")
    print("|---|---|---|---|")
    for what, best, median in rows:
        if median is None:  # run once, at night: no target
            print(f"| {what} | {best:.1f} | – | – |")
            continue
        within = "yes" if median <= TARGET_SECONDS else "no"
        print(f"| {what} | {best:.2f} | {median:.2f} | {within} |")


if __name__ == "__main__":
    main()
