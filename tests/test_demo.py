"""The synthetic demo region."""

import os
import re
import subprocess
import sys
from datetime import date

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from kaveri.access.models import Worker
from kaveri.access.roles import Role
from kaveri.casework.models import ClientRelationship
from kaveri.demo import generator, region
from kaveri.demo.bulk import Rows
from kaveri.demo.generator import generate
from kaveri.people.models import Client
from kaveri.rules.registry import registry
from kaveri.watch.models import Deadline, Signal
from kaveri.watch.refresh import rebuild_deadlines

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 27)
DOMAIN_APPS = ["people", "casework", "plans", "services", "benefits", "evidence", "consent"]


def snapshot() -> dict:
    counts = {
        m._meta.label: m.objects.count()
        for app in DOMAIN_APPS
        for m in apps.get_app_config(app).get_models()
    }
    return {
        "counts": counts,
        "clients": list(Client.objects.order_by("hetu").values_list("hetu", "last_name")),
    }


@pytest.mark.django_db(transaction=True)
def test_demo_is_deterministic(rules):
    generate(rules, 120, TODAY, seed=7)
    first = snapshot()
    call_command("flush", interactive=False, verbosity=0)
    generate(rules, 120, TODAY, seed=7)
    assert snapshot() == first


def test_every_generated_row_passes_model_validation(rules, settings):
    generate(rules, 150, TODAY)
    checked = 0
    for app in DOMAIN_APPS:
        for model in apps.get_app_config(app).get_models():
            for row in model.objects.all():
                row.full_clean(validate_unique=False)
                checked += 1
    assert checked > 1000


def test_demo_covers_every_kind_of_relationship_and_role(rules):
    generate(rules, 300, TODAY)
    kinds = set(ClientRelationship.objects.values_list("kind", flat=True))
    assert kinds == {k for r in registry().sets for k in r.relationship_kinds}
    roles = set(Worker.objects.values_list("role", flat=True))
    assert roles == {r for r in Role if r != Role.CLIENT}
    assert Client.objects.filter(user__username=region.CLIENT_LOGIN).exists()


def test_the_demo_region_spans_both_rule_sets(rules):
    """Histories that began by 31.12.2024 keep the earlier rules; the rest follow 2025's."""
    generate(rules, 300, TODAY)
    by_version = dict(
        ClientRelationship.objects.values_list("ruleset_version").annotate(n=Count("id"))
    )
    assert set(by_version) == {"fi-2024.1", "fi-2026.1"}
    assert by_version["fi-2026.1"] > by_version["fi-2024.1"] > 0
    old = ClientRelationship.objects.filter(ruleset_version="fi-2024.1")
    assert not old.filter(opened_on__gte=date(2025, 1, 1)).exists()
    assert not ClientRelationship.objects.filter(
        ruleset_version="fi-2026.1", opened_on__lt=date(2025, 1, 1)
    ).exists()
    trial = ClientRelationship.objects.filter(kind="EMP_TRIAL_CLIENT")
    assert trial.exists() and set(trial.values_list("ruleset_version", flat=True)) == {"fi-2024.1"}
    # The trials ended with 2024: none is open after, each moved to employment services.
    assert set(trial.values_list("closure_reason", flat=True)) <= {
        "TRIAL_ENDED",
        "EMPLOYED",
        "SICKNESS_OR_MATERNITY_ALLOWANCE",
    }
    assert not trial.filter(closed_on__isnull=True).exists()
    moved = ClientRelationship.objects.filter(
        kind="EMP_CLIENT", opened_on=date(2025, 1, 1), ruleset_version="fi-2026.1"
    )
    assert moved.count() == trial.filter(closure_reason="TRIAL_ENDED").count() > 0


def test_only_test_identity_codes(rules):
    generate(rules, 200, TODAY)
    assert all(
        900 <= int(code[7:10]) <= 999 for code in Client.objects.values_list("hetu", flat=True)
    )


def test_demo_logins_work_and_have_clients(client, rules):
    generate(rules, 300, TODAY)
    for username, _role, authority, *_ in region.DEMO_LOGINS:
        assert client.login(username=username, password=region.DEMO_PASSWORD), username
        if authority in ("SOC", "EMP", "TYP", "KELA", "PROVIDER"):
            assert client.get("/en/workspace/").status_code == 200, username
            response = client.get("/en/workspace/?all=1")
            count = re.search(r": (\d+) clients", response.content.decode())
            assert count and int(count.group(1)) > 0, username
        client.logout()


def test_demo_command_builds_and_is_idempotent(capsys):
    call_command("demo", "--clients", "30", "--no-serve", "--today", "2026-11-27")
    assert "Generated 30 clients" in capsys.readouterr().out
    call_command("demo", "--clients", "30", "--no-serve")
    output = capsys.readouterr().out
    assert "already in the database" in output and "sosiaaliohjaaja" in output
    assert Client.objects.count() == 30


def demo_refusals(today: date) -> list[str]:
    from collections import Counter

    from kaveri.exchange.invariants import refusals_in

    found = Counter(
        f"{r.record._meta.label}: {r.violation.check}"
        for r in refusals_in(Client.objects.all(), today)
    )
    return sorted(f"{count} × {what}" for what, count in found.items())


def test_every_demo_record_passes_the_named_checks(rules, settings):
    """The demo contradicts no rule: every record passes the checks the pages would run."""
    settings.KAVERI_TODAY = TODAY
    generate(rules, 2000, TODAY)
    found = demo_refusals(TODAY)
    assert found == [], "\n".join(found)


@pytest.mark.django_db(transaction=True)
def test_the_demo_leaves_fresh_planner_statistics(capsys):
    """After the bulk load the planner knows the tables (ANALYZE), on either database."""
    from django.db import connection

    call_command("demo", "--clients", "40", "--no-serve", "--today", "2026-11-27")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT last_analyze FROM pg_stat_user_tables "
                "WHERE relname = 'casework_clientrelationship'"
            )
        else:
            cursor.execute(
                "SELECT stat FROM sqlite_stat1 WHERE tbl = 'casework_clientrelationship'"
            )
        assert cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_the_first_scan_leaves_the_planner_knowing_its_signals(capsys, monkeypatch):
    """The scan that follows generation opens most of the signals there will be; analysed
    before it, the planner took 8,117 open signals for 17 and chose a plan 25 times slower
    for the start page. A bulk scan refreshes the statistics of the signal table."""
    from kaveri.watch import scan

    monkeypatch.setattr(scan, "BULK_CHANGED_ROWS", 5)  # 40 clients open fewer than 1,000
    call_command("demo", "--clients", "40", "--no-serve", "--today", "2026-11-27")
    signals = Signal.objects.count()
    assert signals >= 5
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'watch_signal'")
            assert cursor.fetchone()[0] == signals
        else:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'watch_signal'")
            assert {int(row[0].split()[0]) for row in cursor.fetchall()} == {signals}


def keyed_snapshot() -> dict:
    """Every generated row with its key, table by table."""
    return {
        m._meta.label: sorted(map(repr, m.objects.order_by().values_list(*written_by_load(m))))
        for m in generator.MODELS
        if m is not Deadline  # compared without keys, as rebuild_deadlines writes them
    } | {"deadlines": deadline_rows()}


def written_by_load(model) -> list[str]:
    """The columns a load writes, less the moment it ran."""
    return [f.attname for f in model._meta.concrete_fields if not getattr(f, "auto_now_add", 0)]


def deadline_rows() -> list[str]:
    columns = [f.attname for f in Deadline._meta.concrete_fields if f.attname != "id"]
    return sorted(map(repr, Deadline.objects.values_list(*columns)))


def foreign_keys() -> set:
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            return set()
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint")
        return set(cursor.fetchall())


def start_afresh() -> None:
    """An empty database whose keys start from one again."""
    call_command("flush", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)
        if connection.vendor == "sqlite":
            cursor.execute("DELETE FROM sqlite_sequence")


@pytest.mark.django_db(transaction=True)
def test_chunks_built_side_by_side_give_the_same_rows_keys_and_deadlines(rules, monkeypatch):
    """On PostgreSQL outside a transaction the chunks are built by several processes with
    the foreign keys set aside: the rows and their keys are those of a load one chunk after
    another, the keys are back, and the deadlines written from memory are those the
    database's facts give."""
    monkeypatch.setattr(generator, "CHUNK_SIZE", 40)
    start_afresh()
    keys_before = foreign_keys()
    generate(rules, 130, TODAY, seed=11)
    side_by_side = keyed_snapshot()
    assert foreign_keys() == keys_before
    rebuild_deadlines()
    assert deadline_rows() == side_by_side["deadlines"]
    start_afresh()
    monkeypatch.setattr(generator, "loads_in_bulk", lambda: False)
    generate(rules, 130, TODAY, seed=11)
    assert keyed_snapshot() == side_by_side
    assert Client.objects.count() == 130


def test_a_chunk_that_outgrows_its_key_block_is_refused():
    rows = Rows([Client], timezone.now(), per_chunk=1, per_chunk_of={})
    rows.new(Client, hetu="010190-900A")
    with pytest.raises(OverflowError, match="Client"):
        rows.new(Client, hetu="010190-902C")


def test_reset_empties_a_demo_database_whose_audit_log_is_append_only(tmp_path):
    """`flush` was refused by the audit log's triggers: --reset failed on any database
    the demo had run in. Run in its own database file, as a person would."""
    environment = os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"}
    command = [sys.executable, "-m", "kaveri", "demo", "--clients", "12", "--no-serve"]
    first = subprocess.run(command, env=environment, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    again = subprocess.run([*command, "--reset"], env=environment, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert "Generated 12 clients" in again.stdout
