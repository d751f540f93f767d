"""The synthetic demo region."""

import re
from datetime import date

import pytest
from django.apps import apps
from django.core.management import call_command

from kaveri.access.models import Worker
from kaveri.access.roles import Role
from kaveri.casework.models import ClientRelationship
from kaveri.demo import region
from kaveri.demo.generator import generate
from kaveri.people.models import Client

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
    assert kinds == set(rules.relationship_kinds)
    roles = set(Worker.objects.values_list("role", flat=True))
    assert roles == {r for r in Role if r != Role.CLIENT}
    assert Client.objects.filter(user__username=region.CLIENT_LOGIN).exists()


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
