"""A5 and A6: processing times, information requests, decisions, the end of Kela's service."""

from datetime import date

import pytest
from django.urls import reverse

from kaveri.access.roles import Role
from kaveri.benefits import actions as benefits
from kaveri.benefits.models import Application
from kaveri.casework import actions as casework
from kaveri.rules.violations import RuleViolation
from tests.conftest import login


def test_processing_time_runs_from_the_complete_application(rules):
    # Sickness allowance: 3 weeks; basic social assistance: the 7th working day.
    assert benefits.expected_decision_date(
        rules, "SICKNESS_ALLOWANCE", date(2026, 11, 2), date(2026, 11, 2)
    ) == date(2026, 11, 23)
    assert benefits.expected_decision_date(
        rules, "BASIC_SOCIAL_ASSISTANCE", date(2026, 12, 18), date(2026, 12, 18)
    ) == date(2026, 12, 31)
    assert benefits.expected_decision_date(
        rules, "BASIC_SOCIAL_ASSISTANCE", date(2026, 11, 27), date(2026, 11, 27), urgent=True
    ) == date(2026, 11, 30)


def test_information_answer_is_due_in_the_rule_set_time(rules):
    assert benefits.information_answer_due(rules, date(2026, 11, 2)) == date(2026, 11, 16)


@pytest.fixture
def kela_case(db, make_organisation, make_worker, make_client):
    kela, soc = make_organisation("KELA"), make_organisation("SOC")
    officer = make_worker(Role.KELA_OFFICER, kela)
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, soc)
    person = make_client()
    relationship = casework.open_relationship(
        person, kela, "KELA_CLIENT", date(2026, 10, 1), [("KELA_CONTACT", officer)]
    )
    casework.open_relationship(
        person, soc, "SOC_CLIENT", date(2026, 10, 1), [("OWN_WORKER", counsellor)]
    )
    return kela, soc, officer, counsellor, person, relationship


def test_incomplete_application_restarts_when_completed(kela_case):
    *_, person, _rel = kela_case
    application = benefits.record_application(person, "BASIC_SOCIAL_ASSISTANCE", date(2026, 11, 2))
    request = benefits.request_information(application, date(2026, 11, 3), "Bank statements")
    application.refresh_from_db()
    assert application.status == Application.Status.INFORMATION_REQUESTED
    benefits.answer_information_request(request, date(2026, 11, 10))
    application.refresh_from_db()
    assert application.completed_on == date(2026, 11, 10)
    assert application.expected_decision_on == date(2026, 11, 19)
    assert application.status == Application.Status.PENDING


def test_only_the_deciding_authority_records_the_decision(kela_case):
    kela, soc, *_rest, person, _rel = kela_case
    application = benefits.record_application(person, "SICKNESS_ALLOWANCE", date(2026, 11, 2))
    with pytest.raises(RuleViolation) as caught:
        benefits.decide_application(application, soc, date(2026, 11, 20), "GRANTED")
    assert caught.value.check == "decided_by_this_authority"
    benefits.decide_application(application, kela, date(2026, 11, 20), "GRANTED", date(2027, 2, 20))
    assert application.status == Application.Status.DECIDED


def test_kela_service_ends_only_when_no_application_is_pending(kela_case):
    kela, *_rest, person, relationship = kela_case
    application = benefits.record_application(person, "KELA_REHABILITATION", date(2026, 11, 2))
    with pytest.raises(RuleViolation) as caught:
        casework.close_relationship(relationship, date(2026, 11, 25), "NO_PENDING_APPLICATIONS")
    assert caught.value.check == "no_pending_applications"
    benefits.decide_application(application, kela, date(2026, 11, 20), "DENIED")
    casework.close_relationship(relationship, date(2026, 11, 25), "NO_PENDING_APPLICATIONS")


def test_kela_officer_handles_an_application_in_the_pages(client, kela_case):
    _kela, _soc, officer, _c, person, _rel = kela_case
    login(client, officer)
    assert (
        client.post(
            reverse("workspace:application_new", args=[person.pk]),
            {"benefit": "SICKNESS_ALLOWANCE", "submitted_on": "2026-11-02", "complete": "on"},
        ).status_code
        == 302
    )
    application = Application.objects.get(client=person)
    assert application.expected_decision_on == date(2026, 11, 23)
    assert (
        client.post(
            reverse("workspace:information_request_new", args=[application.pk]),
            {"requested_on": "2026-11-04", "what": "Doctor's statement A"},
        ).status_code
        == 302
    )
    request = application.information_requests.get()
    page = client.get(reverse("workspace:client", args=[person.pk])).content.decode()
    assert "answer due" in page and "Doctor&#x27;s statement A" in page
    assert (
        client.post(
            reverse("workspace:information_answer", args=[request.pk]),
            {"answered_on": "2026-11-09", "channel": "PAPER_FORM", "confirmed": "on"},
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("workspace:application_decide", args=[application.pk]),
            {"decided_on": "2026-11-20", "outcome": "GRANTED", "granted_until": "2027-01-31"},
        ).status_code
        == 302
    )
    application.refresh_from_db()
    assert (application.status, application.outcome) == ("DECIDED", "GRANTED")


def test_applications_through_the_api(client, kela_case):
    _kela, _soc, officer, counsellor, person, _rel = kela_case
    login(client, counsellor)
    made = client.post(
        f"/api/v1/clients/{person.pk}/applications",
        {"benefit": "BASIC_SOCIAL_ASSISTANCE", "submitted_on": "2026-11-27", "urgent": True},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["expected_decision_on"] == "2026-11-30"
    application_id = made.json()["id"]
    refused = client.post(
        f"/api/v1/applications/{application_id}/decision",
        {"decided_on": "2026-11-28", "outcome": "GRANTED"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    # Social welfare helped with the application; only Kela, which decides it, may record the
    # decision: the record refuses before any rule is asked.
    assert refused.status_code == 403 and "another organisation" in refused.json()["detail"]
    client.logout()
    login(client, officer)
    asked = client.post(
        f"/api/v1/applications/{application_id}/information-requests",
        {"requested_on": "2026-11-28", "what": "Rent agreement"},
        content_type="application/json",
    )
    assert asked.status_code == 201 and asked.json()["due_on"] == "2026-12-12"
    answered = client.post(
        f"/api/v1/information-requests/{asked.json()['id']}/answer",
        {"answered_on": "2026-12-01", "channel": "PHONE", "client_confirmed": True},
        content_type="application/json",
    )
    assert answered.json()["status"] == "PENDING"
    decided = client.post(
        f"/api/v1/applications/{application_id}/decision",
        {"decided_on": "2026-12-02", "outcome": "GRANTED"},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "DECIDED"
