"""A write request is one transaction: the records it makes and the audit event of what
it did are stored together or not at all; a refusal's audit event outlives the rollback."""

import pytest
from django.db import OperationalError
from django.urls import reverse

from kaveri.access import audit
from kaveri.access.models import AuditEvent
from kaveri.access.roles import Role
from kaveri.demo.identity import synthetic_hetu
from kaveri.people.models import Client
from tests.conftest import login

pytestmark = pytest.mark.django_db

CODE = synthetic_hetu(1_600_001)


@pytest.fixture
def audit_of_the_write_fails(monkeypatch):
    """The database goes away between storing the client and auditing it."""
    append = audit.append_events

    def failing(events):
        if any(e.action == "client.create" and e.allowed for e in events):
            raise OperationalError("server closed the connection unexpectedly")
        append(events)

    monkeypatch.setattr(audit, "append_events", failing)


@pytest.fixture
def counsellor(make_organisation, make_worker):
    return make_worker(Role.SOCIAL_COUNSELLOR, make_organisation("SOC"))


def test_an_api_write_whose_audit_fails_leaves_nothing(
    client, counsellor, audit_of_the_write_fails
):
    login(client, counsellor)
    body = {"hetu": CODE, "first_names": "Puoli", "last_name": "Kirjoitettu"}
    response = client.post("/api/v1/clients", body, content_type="application/json")
    assert response.status_code == 503
    assert not Client.objects.exists()


def test_a_page_write_whose_audit_fails_leaves_nothing(
    client, counsellor, audit_of_the_write_fails
):
    login(client, counsellor)
    client.raise_request_exception = False
    body = {"hetu": CODE, "first_names": "Puoli", "last_name": "Kirjoitettu", "language": "fi"}
    response = client.post(reverse("workspace:client_new"), body)
    assert response.status_code == 503
    assert not Client.objects.exists()


def test_a_refused_write_is_audited_though_the_request_rolls_back(
    client, make_organisation, make_worker, make_client, open_relationship
):
    person = make_client()
    open_relationship(person, make_organisation("SOC"))
    stranger = make_worker(Role.SOCIAL_COUNSELLOR, make_organisation("SOC"))
    login(client, stranger)
    url = reverse("workspace:situation_change_new", args=[person.pk])
    response = client.post(url, {"kind": "WORK", "occurred_on": "1.12.2026"})
    assert response.status_code == 404
    assert AuditEvent.objects.filter(client=person, allowed=False, method="POST").exists()
