import itertools
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from kaveri.access.models import Organisation, Worker
from kaveri.casework.models import ClientRelationship
from kaveri.demo.identity import synthetic_hetu
from kaveri.people.models import Client
from kaveri.rules.registry import get_rules

PASSWORD = "test-password-123"
_sequence = itertools.count(1)


@pytest.fixture(autouse=True)
def english_messages():
    """Tests read messages in English unless a test asks for another language."""
    with translation.override("en"):
        yield


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
