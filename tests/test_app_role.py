"""On PostgreSQL the application runs as a role that owns no table (`kaveri dbrole grant`):
it serves pages and seals the audit log, and cannot TRUNCATE, DELETE, rewrite the log or
switch its guard off, as the owner could."""

import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection

from kaveri.access.roles import Role
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]

APP_ROLE = "kaveri_app_test"

AS_THE_APPLICATION = """
import json, django
django.setup()
from django.db import connection, transaction
from django.test import Client
from kaveri.access.chain import seal_all, verify_chain
from kaveri.access.models import AuditEvent

outcome = {}
browser = Client(SERVER_NAME="localhost")
outcome["login"] = browser.login(username=USERNAME, password=PASSWORD)
page = browser.get(f"/workspace/clients/{CLIENT}/", follow=True)
outcome["page"] = page.status_code
outcome["where"] = page.get("Location", "")
outcome["events"] = AuditEvent.objects.filter(client_id=CLIENT).count()
outcome["sealed"] = seal_all()
outcome["intact"] = verify_chain().broken is None
for attack in (
    "TRUNCATE access_auditevent CASCADE",
    "DELETE FROM access_auditevent",
    "UPDATE access_auditevent SET username = 'x'",
    "DELETE FROM access_auditseal",
    "ALTER TABLE access_auditevent DISABLE TRIGGER USER",
    "DROP TRIGGER audit_append_only ON access_auditevent",
    "SELECT set_config('kaveri.audit_maintenance', 'on', true); DELETE FROM access_auditevent",
):
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(attack)
        outcome[attack] = "done"
    except Exception as error:
        outcome[attack] = type(error).__name__
print(json.dumps(outcome))
"""


@pytest.fixture
def app_role():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE ROLE {APP_ROLE} LOGIN")
    call_command("dbrole", "grant", APP_ROLE)
    yield APP_ROLE
    with connection.cursor() as cursor:
        cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {APP_ROLE}")
        cursor.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {APP_ROLE}")
        cursor.execute(f"REVOKE ALL ON SCHEMA public FROM {APP_ROLE}")


def run_as(role: str, script: str, anchor) -> dict:
    settings = connection.settings_dict
    url = f"postgres://{role}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/"
    environment = os.environ | {
        "DATABASE_URL": url + settings["NAME"],
        "DJANGO_SETTINGS_MODULE": "kaveri.test_settings",
        "KAVERI_AUDIT_ANCHOR": str(anchor),
    }
    done = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_application_role_works_and_cannot_rewrite_the_audit_log(
    app_role, audit_anchor, make_organisation, make_worker, make_client, open_relationship
):
    organisation = make_organisation("SOC")
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, organisation)
    person = make_client()
    open_relationship(person, organisation)
    script = (
        f"USERNAME = {counsellor.user.username!r}\nPASSWORD = {PASSWORD!r}\n"
        f"CLIENT = {person.pk}\n" + AS_THE_APPLICATION
    )
    outcome = run_as(app_role, script, audit_anchor)
    assert outcome["login"] and outcome["page"] == 200, outcome
    assert outcome["events"] >= 1 and outcome["sealed"] >= 1 and outcome["intact"]
    attacks = {key: value for key, value in outcome.items() if " " in key}
    assert attacks and all(result != "done" for result in attacks.values()), attacks


def test_a_role_that_owns_tables_is_refused(db):
    with pytest.raises(Exception, match="owns tables"):
        call_command("dbrole", "grant", connection.settings_dict["USER"] or "postgres")
