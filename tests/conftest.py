import importlib
import itertools
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import translation

from kaveri.access.models import Organisation, Worker
from kaveri.casework.models import ClientRelationship
from kaveri.demo.identity import synthetic_hetu
from kaveri.people.models import Client
from kaveri.rules.registry import get_rules
from tests.watch_network import gap, net  # noqa: F401  (the watch tests' network)

PASSWORD = "test-password-123"
_sequence = itertools.count(1)


@pytest.fixture(autouse=True)
def english_messages():
    """Tests read messages in English unless a test asks for another language."""
    with translation.override("en"):
        yield


_audit_guard = importlib.import_module("kaveri.access.migrations.0005_keyed_audit_chain")


@pytest.fixture(autouse=True, scope="session")
def flush_past_the_audit_guard():
    """Transactional tests end by flushing every table, which the audit log's guard refuses:
    the flush runs as the tables' owner would purge, with the guard stood down."""
    original = BaseDatabaseOperations.execute_sql_flush

    def flush(self, sql_list):
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                cursor.execute("SELECT set_config('kaveri.audit_maintenance', 'on', true)")
                original(self, sql_list)
            else:
                for statement in _audit_guard.SQLITE_UNGUARD:
                    cursor.execute(statement)
                original(self, sql_list)
                for statement in _audit_guard.SQLITE_GUARD:
                    cursor.execute(statement)

    BaseDatabaseOperations.execute_sql_flush = flush
    yield
    BaseDatabaseOperations.execute_sql_flush = original


@pytest.fixture(autouse=True)
def audit_anchor(settings, tmp_path):
    """Each test anchors its audit seals in a file of its own, as a deployment does outside
    the database (the test database is rolled back; a shared anchor file would not be)."""
    settings.KAVERI_AUDIT_ANCHOR = str(tmp_path / "audit-anchors.log")
    return tmp_path / "audit-anchors.log"


@pytest.fixture
def rules():
    return get_rules()


@pytest.fixture
def make_organisation(db):
    def make(authority: str = "SOC", name: str | None = None) -> Organisation:
        return Organisation.objects.create(
            name=name or f"{authority} organisation {next(_sequence)}",
            authority=authority,
            region="Testimaa",
        )

    return make


@pytest.fixture
def make_worker(db, make_organisation):
    def make(role: str, organisation: Organisation | None = None, **extra) -> Worker:
        user = get_user_model().objects.create_user(
            username=f"{role.lower()}-{next(_sequence)}", password=PASSWORD, **extra
        )
        return Worker.objects.create(user=user, role=role, organisation=organisation)

    return make


@pytest.fixture
def make_client(db):
    def make(**fields) -> Client:
        index = 500_000 + next(_sequence)
        defaults = {
            "first_names": "Testi",
            "last_name": f"Asiakas{index}",
            "hetu": synthetic_hetu(index),
        }
        return Client.objects.create(**(defaults | fields))

    return make


@pytest.fixture
def open_relationship(rules):
    def make(client: Client, organisation: Organisation, kind: str = "SOC_CLIENT"):
        return ClientRelationship.objects.create(
            client=client,
            organisation=organisation,
            kind=kind,
            opened_on=date(2026, 1, 5),
            ruleset_version=rules.version,
        )

    return make


def login(client, worker_or_user) -> None:
    user = getattr(worker_or_user, "user", worker_or_user)
    assert client.login(username=user.username, password=PASSWORD)


def activation_plan(person, counsellor, parties, measures=("JOB_SEARCH",)):
    """A social welfare client relationship opened on 1.10.2026 with the counsellor as own
    worker, and an activation plan made with the parties on 2.11.2026 (review in 6 months)."""
    from kaveri.casework import actions as casework
    from kaveri.plans import actions as plans
    from kaveri.plans.actions import MeasureInput

    relationship = casework.open_relationship(
        person,
        counsellor.organisation,
        "SOC_CLIENT",
        date(2026, 10, 1),
        [("OWN_WORKER", counsellor)],
    )
    return plans.make_plan(
        person,
        "ACTIVATION_PLAN",
        "A1",
        relationship,
        parties,
        date(2026, 11, 2),
        6,
        [MeasureInput(code) for code in measures],
    )
