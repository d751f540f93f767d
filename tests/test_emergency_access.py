"""Break the glass: logged, time-limited, reviewed by a supervisor."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kaveri.access.models import AuditEvent, EmergencyAccess
from kaveri.access.roles import Role
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger_case(make_organisation, make_worker, make_client, open_relationship):
    mine, theirs = make_organisation("SOC"), make_organisation("SOC")
    worker = make_worker(Role.SOCIAL_COUNSELLOR, mine)
    supervisor = make_worker(Role.SOCIAL_COUNSELLOR, mine)
    supervisor.is_supervisor = True
    supervisor.save()
    person = make_client(last_name="Hätätapaus")
    open_relationship(person, theirs)
    return worker, supervisor, person


def test_without_right_the_page_offers_emergency_access(client, stranger_case):
    worker, _, person = stranger_case
    login(client, worker)
    response = client.get(reverse("workspace:client", args=[person.pk]))
    assert response.status_code == 403
    assert reverse("workspace:emergency_open", args=[person.pk]) in response.content.decode()
    assert AuditEvent.objects.filter(client=person, allowed=False).exists()


def test_a_reason_is_required(client, stranger_case):
    worker, _, person = stranger_case
    login(client, worker)
    response = client.post(reverse("workspace:emergency_open", args=[person.pk]), {"reason": "x"})
    assert response.status_code == 422
    assert "at least 20 characters" in response.content.decode()
    assert not EmergencyAccess.objects.exists()


def test_emergency_access_opens_logs_expires_and_is_reviewed(client, stranger_case):
    worker, supervisor, person = stranger_case
    login(client, worker)
    reason = "The client is in hospital and the ward needs the named workers now."
    client.post(reverse("workspace:emergency_open", args=[person.pk]), {"reason": reason})
    access = EmergencyAccess.objects.get()
    page = client.get(reverse("workspace:client", args=[person.pk]))
    assert page.status_code == 200 and "Hätätapaus" in page.content.decode()
    assert AuditEvent.objects.filter(
        client=person, basis=f"emergency:{access.pk}", action="client.view"
    ).exists()

    EmergencyAccess.objects.filter(pk=access.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert client.get(reverse("workspace:client", args=[person.pk])).status_code == 403

    client.logout()
    login(client, supervisor)
    listing = client.get(reverse("workspace:emergency_reviews")).content.decode()
    assert reason in listing
    client.post(reverse("workspace:emergency_reviews"), {"access": access.pk, "note": "ok"})
    access.refresh_from_db()
    assert access.reviewed_by == supervisor and access.review_note == "ok"


def test_only_supervisors_review(client, stranger_case):
    worker, _, _ = stranger_case
    login(client, worker)
    assert client.get(reverse("workspace:emergency_reviews")).status_code == 403
