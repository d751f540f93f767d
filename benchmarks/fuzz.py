# ruff: noqa: E402  (Django is set up before the project's modules are imported)
"""The long fuzz run: schemathesis against the API's own OpenAPI document, every
operation, as each role of the demo region (with a bearer token) and without credentials.

    KAVERI_DEMO=1 KAVERI_VAR_DIR=/tmp/kaveri-fuzz .venv/bin/python benchmarks/fuzz.py \\
        --cases 100000

It migrates the database of KAVERI_VAR_DIR (or DATABASE_URL), generates a small demo
region there if it is empty, and spreads --cases generated requests evenly over every
(operation, caller) pair. Every response is checked: no server error (5xx), a status the
operation's OpenAPI entry lists, a body that its schema allows. Failures do not stop the
run; it prints a table per caller and the first failure of each kind per operation, and
exits 1 if any. The bounded run in the test suite (tests/test_api_fuzz.py) is the same
check with 12 cases per operation.
"""

import argparse
import logging
import os
import sys
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaveri.settings")

import django

django.setup()

import schemathesis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)
from tqdm import tqdm

from kaveri.access.tokens import create_token
from kaveri.demo import region
from kaveri.demo.generator import generate
from kaveri.people.models import Client
from kaveri.rules.registry import get_rules

CHECKS = {
    "server error": not_a_server_error,
    "undocumented status": status_code_conformance,
    "body breaks the schema": response_schema_conformance,
}


def callers() -> dict[str, dict]:
    """A bearer token for each demo login (every worker role, and the client), and none."""
    users = get_user_model().objects.filter(
        username__in=[login[0] for login in region.DEMO_LOGINS] + [region.CLIENT_LOGIN]
    )
    headers = {"anonymous": {}}
    for user in users.order_by("username"):
        key = create_token(user, "long fuzz run")[1]
        headers[user.username] = {"Authorization": f"Bearer {key}"}
    return headers


def fuzz_one(operation, headers: dict, cases: int, found: dict, counted: Counter, bar) -> None:
    @hypothesis_settings(
        max_examples=cases,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def call(case):
        response = case.call(headers=headers)
        counted["cases"] += 1
        bar.update()
        for kind, check in CHECKS.items():
            try:
                case.validate_response(response, checks=[check])
            except Exception as failure:  # a failed check, counted and kept, never stopping
                counted[kind] += 1
                found.setdefault((operation.label, kind), str(failure).strip()[:400])

    call()


def cases_so_far(by_caller: dict[str, Counter]) -> int:
    return sum(counted["cases"] for counted in by_caller.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=60)
    options = parser.parse_args()
    logging.getLogger("django.request").setLevel(logging.ERROR)
    settings.KAVERI_TODAY = date(2026, 11, 29)
    call_command("migrate", interactive=False, verbosity=0)
    if not Client.objects.exists():
        generate(get_rules(), options.clients, settings.KAVERI_TODAY)
    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    headers = callers()
    pairs = len(operations) * len(headers)
    found: dict = {}
    by_caller: dict[str, Counter] = defaultdict(Counter)
    started = time.monotonic()
    rounds = 0
    with tqdm(total=options.cases, unit="case") as bar:
        # An operation without parameters has few distinct cases and hypothesis stops early;
        # further rounds (new random draws) fill the budget from the others.
        while (done := cases_so_far(by_caller)) < options.cases:
            per_pair = -(-(options.cases - done) // pairs)
            rounds += 1
            for name, header in headers.items():
                for operation in operations:
                    fuzz_one(operation, header, per_pair, found, by_caller[name], bar)
            if cases_so_far(by_caller) - done < pairs:
                break
    seconds = time.monotonic() - started
    total = Counter()
    print(
        f"\nKaveri long fuzz run: {len(operations)} operations x {len(headers)} callers, "
        f"{rounds} rounds, {seconds:,.0f} s\n"
    )
    print("| caller | cases | server errors | undocumented status | body breaks the schema |")
    print("|---|---|---|---|---|")
    for name, counted in by_caller.items():
        total.update(counted)
        print(
            f"| {name} | {counted['cases']:,} | {counted['server error']} | "
            f"{counted['undocumented status']} | {counted['body breaks the schema']} |"
        )
    print(
        f"| **all** | {total['cases']:,} | {total['server error']} | "
        f"{total['undocumented status']} | {total['body breaks the schema']} |"
    )
    for (label, kind), text in sorted(found.items()):
        print(f"\n{label} ({kind}):\n{text}")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
