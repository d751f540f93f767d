"""Break the glass: a listed reason and a real description, each opening new and counted,
never extended; social work notes stay within social welfare; every organisation's accesses
have a reviewer; a late review is overdue."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kaveri.access.emergency import awaiting_review
from kaveri.access.models import AuditEvent, EmergencyAccess
from kaveri.access.roles import Role
from kaveri.access.visibility import SOCIAL_WORK_NOTES, Visibility
from tests.conftest import login

pytestmark = pytest.mark.django_db

REASON = {
    "reason_category": "DANGER_TO_LIFE",
    "reason": "The client is in hospital and the ward needs the named workers now.",
}


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


def open_url(person) -> str:
    return reverse("workspace:emergency_open", args=[person.pk])


def test_without_right_the_page_answers_as_for_a_missing_client(client, stranger_case):
    """Item 7: an existing id one may not see and a missing id answer alike."""
    worker, _, person = stranger_case
    login(client, worker)
    hidden = client.get(reverse("workspace:client", args=[person.pk]))
    missing = client.get(reverse("workspace:client", args=[person.pk + 1000]))
    assert hidden.status_code == missing.status_code == 404
    assert "Hätätapaus" not in hidden.content.decode()

    def without_id(response, pk) -> str:
        text = response.content.decode().replace(f"/clients/{pk}/", "/clients/N/")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    assert without_id(hidden, person.pk) == without_id(missing, person.pk + 1000)
    assert open_url(person) in hidden.content.decode()
    assert AuditEvent.objects.filter(client=person, allowed=False).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"reason_category": "DANGER_TO_LIFE", "reason": "x" * 20},
        {"reason_category": "DANGER_TO_LIFE", "reason": "urgent urgent urgent urgent urgent"},
        {"reason_category": "", "reason": REASON["reason"]},
        {"reason_category": "BECAUSE", "reason": REASON["reason"]},
    ],
)
def test_a_listed_reason_and_a_description_are_required(client, stranger_case, data):
    worker, _, person = stranger_case
    login(client, worker)
    response = client.post(open_url(person), data)
    assert response.status_code == 422
    assert not EmergencyAccess.objects.exists()


def test_opening_again_does_not_extend_and_openings_are_limited(client, stranger_case, rules):
    worker, _, person = stranger_case
    login(client, worker)
    client.post(open_url(person), REASON)
    first = EmergencyAccess.objects.get()
    again = client.post(open_url(person), REASON)
    assert again.status_code == 422 and "already have emergency access" in again.content.decode()
    assert EmergencyAccess.objects.get().expires_at == first.expires_at
    limit = rules.data.emergency_access.openings_per_client
    for _ in range(limit - 1):
        EmergencyAccess.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
        assert client.post(open_url(person), REASON).status_code == 302
    EmergencyAccess.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    refused = client.post(open_url(person), REASON)
    assert refused.status_code == 422 and "the most the rules allow" in refused.content.decode()
    assert EmergencyAccess.objects.count() == limit


def test_emergency_access_opens_logs_expires_and_is_reviewed(client, stranger_case):
    worker, supervisor, person = stranger_case
    login(client, worker)
    client.post(open_url(person), REASON)
    access = EmergencyAccess.objects.get()
    assert access.reason_category == "DANGER_TO_LIFE"
    page = client.get(reverse("workspace:client", args=[person.pk]))
    assert page.status_code == 200 and "Hätätapaus" in page.content.decode()
    assert AuditEvent.objects.filter(
        client=person, basis=f"emergency:{access.pk}", action="client.view"
    ).exists()

    EmergencyAccess.objects.filter(pk=access.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert client.get(reverse("workspace:client", args=[person.pk])).status_code == 404

    client.logout()
    login(client, supervisor)
    listing = client.get(reverse("workspace:emergency_reviews")).content.decode()
    assert REASON["reason"] in listing and "Danger to life or health" in listing
    assert "opening 1 for this client" in listing
    client.post(reverse("workspace:emergency_reviews"), {"access": access.pk, "note": "ok"})
    access.refresh_from_db()
    assert access.reviewed_by == supervisor and access.review_note == "ok"


def test_a_late_review_is_marked_overdue(client, stranger_case, rules):
    worker, supervisor, person = stranger_case
    login(client, worker)
    client.post(open_url(person), REASON)
    due = rules.data.emergency_access.review_due.approximate_days
    EmergencyAccess.objects.update(started_at=timezone.now() - timedelta(days=due + 1))
    client.logout()
    login(client, supervisor)
    assert "review overdue" in client.get(reverse("workspace:emergency_reviews")).content.decode()
    start = client.get(reverse("workspace:clients")).content.decode()
    assert "Emergency accesses to review</a>: 1" in start and "1 overdue" in start


def test_only_reviewers_review(client, stranger_case):
    worker, _, _ = stranger_case
    login(client, worker)
    assert client.get(reverse("workspace:emergency_reviews")).status_code == 403


def test_an_organisation_without_a_supervisor_is_reviewed_by_the_region(
    make_organisation, make_worker, make_client
):
    """Item 6: Kela had no supervisor, so its emergency accesses could never be reviewed."""
    kela, soc = make_organisation("KELA"), make_organisation("SOC")
    officer = make_worker(Role.KELA_OFFICER, kela)
    regional = make_worker(Role.SOCIAL_COUNSELLOR, soc)
    regional.reviews_region = True
    regional.save()
    access = EmergencyAccess.objects.create(
        worker=officer,
        client=make_client(),
        reason_category="URGENT_LIVELIHOOD",
        reason="Rent is due today and the decision needs the plan.",
        expires_at=timezone.now() + timedelta(hours=4),
    )
    assert list(awaiting_review(regional)) == [access]
    kela_supervisor = make_worker(
        Role.KELA_OFFICER,
        kela,
    )
    kela_supervisor.is_supervisor = True
    kela_supervisor.save()
    assert list(awaiting_review(regional)) == []  # Kela now reviews its own
    assert list(awaiting_review(kela_supervisor)) == [access]


def test_social_work_notes_stay_closed_under_emergency_access():
    today = timezone.localdate()
    kela_worker = Visibility(
        "KELA", False, [], today, frozenset({"SOC", "DIS"}), emergency_basis="emergency:1"
    )
    assert not kela_worker.allows(frozenset({"SOC"}), SOCIAL_WORK_NOTES)
    assert kela_worker.allows(frozenset({"SOC"}), "PLANS")
    social_worker = Visibility(
        "SOC", False, [], today, frozenset({"SOC", "DIS"}), emergency_basis="emergency:1"
    )
    assert social_worker.allows(frozenset({"SOC"}), SOCIAL_WORK_NOTES)
