"""Consent between authorities: the rule as a pure function, then in the pages and the API."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kaveri.access.models import AuditEvent
from kaveri.access.roles import Role
from kaveri.access.visibility import ConsentFacts, Visibility
from kaveri.benefits.models import Application
from kaveri.consent.models import Consent
from kaveri.transitions.models import StateChange
from tests.conftest import login

TODAY = date(2026, 11, 27)
SOCIAL_WELFARE = frozenset({"SOC", "DIS"})
KELA = frozenset({"KELA"})


def consent(
    categories=("BENEFITS",), authorities=("SOC", "KELA"), start=-10, end=30, revoked=False
) -> ConsentFacts:
    return ConsentFacts(
        id=7,
        categories=frozenset(categories),
        authorities=frozenset(authorities),
        valid_from=TODAY + timedelta(days=start),
        valid_until=None if end is None else TODAY + timedelta(days=end),
        revoked_on=TODAY - timedelta(days=1) if revoked else None,
    )


def soc_view(*consents, relationship=True) -> Visibility:
    return Visibility("SOC", relationship, list(consents), TODAY, SOCIAL_WELFARE)


def test_own_authority_by_relationship():
    assert soc_view().decide(frozenset({"SOC"}), "PLANS").basis == "relationship"


def test_no_relationship_no_data():
    assert not soc_view(relationship=False).allows(frozenset({"SOC"}), "BASIC")


def test_other_authority_needs_consent_and_says_which():
    decision = soc_view().decide(KELA, "BENEFITS")
    assert not decision.allowed
    assert "BENEFITS" in decision.reason and "KELA" in decision.reason and "SOC" in decision.reason
    assert "No consent in force" in decision.reason


def test_valid_consent_opens_and_is_named_as_basis():
    assert soc_view(consent()).decide(KELA, "BENEFITS").basis == "consent:7"


def test_consent_without_end_date_is_in_force():
    assert soc_view(consent(end=None)).allows(KELA, "BENEFITS")


@pytest.mark.parametrize(
    "facts",
    [
        consent(end=-1),  # expired yesterday
        consent(start=1),  # starts tomorrow
        consent(revoked=True),
        consent(categories=("PLANS",)),  # another category
        consent(authorities=("SOC", "EMP")),  # does not name the owner
        consent(authorities=("EMP", "KELA")),  # does not name the viewer
    ],
    ids=[
        "expired",
        "future",
        "revoked",
        "out-of-scope-category",
        "owner-missing",
        "viewer-missing",
    ],
)
def test_consent_that_does_not_cover_is_refused(facts):
    assert not soc_view(facts).allows(KELA, "BENEFITS")


def test_social_work_notes_never_leave_social_welfare():
    emp = Visibility(
        "EMP", True, [consent(("SOCIAL_WORK_NOTES",), ("SOC", "EMP"))], TODAY, SOCIAL_WELFARE
    )
    decision = emp.decide(frozenset({"SOC"}), "SOCIAL_WORK_NOTES")
    assert not decision.allowed and "never shared" in decision.reason
    dis = Visibility(
        "DIS", True, [consent(("SOCIAL_WORK_NOTES",), ("SOC", "DIS"))], TODAY, SOCIAL_WELFARE
    )
    assert dis.allows(frozenset({"SOC"}), "SOCIAL_WORK_NOTES")


def test_a_party_to_a_joint_plan_sees_it_without_consent():
    emp = Visibility("EMP", True, [], TODAY, SOCIAL_WELFARE)
    assert emp.allows(frozenset({"SOC", "EMP"}), "PLANS")


# --- in the running application ---


@pytest.fixture
def kela_case(db, make_organisation, make_worker, make_client, open_relationship, rules):
    soc = make_organisation("SOC")
    kela = make_organisation("KELA")
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, soc)
    person = make_client()
    open_relationship(person, soc)
    open_relationship(person, kela, kind="KELA_CLIENT")
    Application.objects.create(
        client=person,
        benefit="REHABILITATION_SUBSIDY",
        deciding_organisation=kela,
        submitted_on=date(2026, 10, 1),
        ruleset_version=rules.version,
    )
    return counsellor, person


def page_of(client, person) -> str:
    return client.get(reverse("workspace:client", args=[person.pk])).content.decode()


def test_consent_gives_and_revocation_takes_away_at_once(client, kela_case):
    counsellor, person = kela_case
    login(client, counsellor)
    before = page_of(client, person)
    assert "Rehabilitation subsidy" not in before
    assert (
        "No consent in force lets Social welfare office see the data of Kela in the category "
        "“Applications and decisions”" in before
    )

    today = timezone.localdate()
    response = client.post(
        reverse("workspace:consent_new", args=[person.pk]),
        {
            "purpose": "KELA_CONTACT",
            "data_categories": ["BENEFITS"],
            "authorities": ["SOC", "KELA"],
            "valid_from": today.isoformat(),
            "valid_until": (today + timedelta(days=90)).isoformat(),
            "method": "IN_WRITING",
            "confirmed": "on",
        },
    )
    assert response.status_code == 302
    consent_row = Consent.objects.get(client=person)
    page = page_of(client, person)
    assert "Rehabilitation subsidy" in page
    assert "Shown under a consent recorded without a signed form" in page
    assert AuditEvent.objects.filter(
        client=person, data_category="BENEFITS", basis=f"consent:{consent_row.pk}:without-form"
    ).exists()

    revoke_url = reverse("workspace:consent_revoke", args=[person.pk, consent_row.pk])
    client.post(revoke_url, {"reason": "The client no longer wants Kela's data shared."})
    consent_row.refresh_from_db()
    assert consent_row.revoked_at is None, "a revocation without confirmation changes nothing"
    client.post(
        revoke_url,
        {
            "reason": "The client no longer wants Kela's data shared.",
            "channel": "PHONE",
            "confirm": "on",
        },
    )
    consent_row.refresh_from_db()
    assert consent_row.revoked_at is not None and consent_row.revoked_on == today
    revoked = StateChange.objects.get(entity="consent.Consent", transition="revoke")
    assert (revoked.on_behalf_channel, revoked.client_confirmed) == ("PHONE", True)
    assert "The client revoked a consent; " in page_of(client, person)
    assert consent_row.revocation_reason == "The client no longer wants Kela's data shared."
    assert "Rehabilitation subsidy" not in page_of(client, person)


def test_consent_form_explains_each_error_and_records_nothing(client, kela_case):
    counsellor, person = kela_case
    login(client, counsellor)
    response = client.post(
        reverse("workspace:consent_new", args=[person.pk]),
        {
            "purpose": "KELA_CONTACT",
            "data_categories": ["BENEFITS"],
            "authorities": ["KELA", "EMP"],
            "valid_from": "2026-12-01",
            "valid_until": "2026-11-01",
            "method": "IN_WRITING",
            "confirmed": "on",
        },
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Include your own authority (Social welfare office)" in page
    assert "The end date is before the start date" in page
    assert not Consent.objects.exists()


def test_consent_api_records_validates_and_revokes(client, kela_case):
    counsellor, person = kela_case
    login(client, counsellor)
    url = f"/api/v1/clients/{person.pk}/consents"
    bad = client.post(
        url,
        {
            "purpose": "NOPE",
            "data_categories": [],
            "authorities": ["SOC"],
            "valid_from": timezone.localdate().isoformat(),
            "method": "IN_PERSON",
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 422
    fields = {error["loc"][-1] for error in bad.json()["detail"]}
    assert fields == {"purpose", "data_categories", "authorities"}
    assert not Consent.objects.exists()
    good = client.post(
        url,
        {
            "purpose": "KELA_CONTACT",
            "data_categories": ["BENEFITS"],
            "authorities": ["SOC", "KELA"],
            "valid_from": timezone.localdate().isoformat(),
            "method": "IN_PERSON",
        },
        content_type="application/json",
    )
    assert good.status_code == 201
    consent_id = good.json()["id"]
    no_reason = client.post(
        f"/api/v1/consents/{consent_id}/revocation",
        {"reason": " "},
        content_type="application/json",
    )
    assert no_reason.status_code == 422 and no_reason.json()["detail"][0]["loc"][-1] == "reason"
    revoked = client.post(
        f"/api/v1/consents/{consent_id}/revocation",
        {"reason": "Asked by phone"},
        content_type="application/json",
    )
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    again = client.post(
        f"/api/v1/consents/{consent_id}/revocation",
        {"reason": "Asked by phone"},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert len(client.get(url).json()) == 1


def test_expiring_consents_on_the_workers_page(client, kela_case):
    counsellor, person = kela_case
    today = timezone.localdate()
    Consent.objects.create(
        client=person,
        purpose="KELA_CONTACT",
        data_categories=["BENEFITS"],
        authorities=["KELA", "SOC"],
        valid_from=today - timedelta(days=300),
        valid_until=today + timedelta(days=5),
        method="IN_PERSON",
    )
    Consent.objects.create(
        client=person,
        purpose="HEALTH_INFORMATION",
        data_categories=["HEALTH"],
        authorities=["KELA", "EMP"],
        valid_from=today - timedelta(days=300),
        valid_until=today + timedelta(days=6),
        method="IN_PERSON",
    )
    login(client, counsellor)
    page = client.get(reverse("workspace:clients") + "?all=1").content.decode()
    assert "Consents about to expire" in page and person.last_name in page
    assert "Contact with Kela" in page and "Requesting health information" not in page


def test_instructor_sees_only_the_placement(
    client, kela_case, make_organisation, make_worker, rules
):
    from kaveri.services.models import ServiceEpisode

    _, person = kela_case
    place = make_organisation("PROVIDER")
    instructor = make_worker(Role.ACTIVITY_INSTRUCTOR, place)
    today = timezone.localdate()
    ServiceEpisode.objects.create(
        client=person,
        service="REHABILITATIVE_WORK_ACTIVITY",
        decided_by=person.relationships.first().organisation,
        provider=place,
        instructor=instructor,
        decision_on=today - timedelta(days=40),
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=60),
        days_per_week=3,
        ruleset_version=rules.version,
    )
    login(client, instructor)
    page = page_of(client, person)
    assert "Rehabilitative work activity" in page
    assert "Rehabilitation subsidy" not in page and "Consents" not in page
