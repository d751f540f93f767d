"""Checklists (issue 10, item 11): the rule set says which evidence each benefit and plan
needs; each application and plan shows it as present, missing or expired, and who must
deliver it to whom; sickness allowance needs statement B once 60 days have been paid."""

from datetime import date

import pytest

from kaveri.access.roles import Role
from kaveri.benefits import actions as benefits
from kaveri.casework import actions as casework
from kaveri.consent.models import Consent
from kaveri.evidence.models import Document
from kaveri.rules.durations import nth_paid_day
from kaveri.watch.checklist import (
    CLIENT,
    DUE,
    EXPIRED,
    MISSING,
    PRESENT,
    application_checklist,
    plan_checklist,
)
from kaveri.watch.explain import explain
from kaveri.watch.models import Deadline
from kaveri.watch.refresh import rebuild_deadlines
from tests.conftest import login
from tests.test_appeals import kela_shares_benefits_with_social_welfare

pytestmark = pytest.mark.django_db
GRANTED = date(2026, 3, 2)  # a Monday


@pytest.mark.parametrize(
    ("start", "days", "paid_day", "why"),
    [
        (date(2026, 3, 2), 1, date(2026, 3, 2), "a Monday counts itself"),
        (date(2026, 3, 1), 1, date(2026, 3, 2), "a Sunday is not paid"),
        (date(2026, 3, 2), 6, date(2026, 3, 7), "Saturday is a paid weekday"),
        (date(2026, 3, 2), 60, date(2026, 5, 13), "Good Friday, Easter Monday and May Day"),
        (date(2028, 2, 28), 2, date(2028, 2, 29), "a leap day is paid"),
        (date(2026, 12, 23), 2, date(2026, 12, 28), "Christmas Eve to Boxing Day, then Sunday"),
    ],
)
def test_paid_days_of_sickness_allowance(start, days, paid_day, why):
    assert nth_paid_day(start, days) == paid_day, why


@pytest.fixture
def sick(make_organisation, make_worker, make_client):
    kela, soc = make_organisation("KELA"), make_organisation("SOC")
    officer = make_worker(Role.KELA_OFFICER, kela)
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, soc)
    person = make_client()
    casework.open_relationship(
        person, kela, "KELA_CLIENT", date(2026, 2, 2), [("KELA_CONTACT", officer)]
    )
    casework.open_relationship(
        person, soc, "SOC_CLIENT", date(2026, 2, 2), [("OWN_WORKER", counsellor)]
    )
    application = benefits.record_application(person, "SICKNESS_ALLOWANCE", date(2026, 2, 20))
    benefits.decide_application(application, kela, GRANTED, "GRANTED", date(2026, 6, 30))
    application.refresh_from_db()
    return application, officer, counsellor


def by_code(items):
    return {item.evidence: item for item in items}


def test_sickness_allowance_needs_certificate_a_then_statement_b(sick):
    application, *_ = sick
    person = application.client
    items = by_code(application_checklist(application, [], date(2026, 4, 1)))
    assert items["DOCTOR_A"].status == MISSING
    assert (items["DOCTOR_A"].delivered_by, items["DOCTOR_A"].delivered_to) == ((CLIENT,), "KELA")
    assert (items["DOCTOR_B"].status, items["DOCTOR_B"].needed_by) == (DUE, date(2026, 5, 13))

    certificate = Document.objects.create(
        client=person, evidence_type="DOCTOR_A", received_on=date(2026, 2, 20)
    )
    statement = Document.objects.create(
        client=person,
        evidence_type="DOCTOR_B",
        received_on=date(2026, 5, 4),
        valid_until=date(2026, 6, 1),
        application=application,
    )
    documents = [certificate, statement]
    items = by_code(application_checklist(application, documents, date(2026, 5, 20)))
    assert items["DOCTOR_A"].status == PRESENT and items["DOCTOR_B"].status == PRESENT
    items = by_code(application_checklist(application, documents, date(2026, 6, 2)))
    assert items["DOCTOR_B"].status == EXPIRED
    assert (
        by_code(application_checklist(application, [certificate], date(2026, 5, 14)))[
            "DOCTOR_B"
        ].status
        == MISSING
    )


def test_a_short_sickness_needs_no_statement_b(make_client, make_organisation):
    short = benefits.record_application(make_client(), "SICKNESS_ALLOWANCE", date(2026, 2, 20))
    benefits.decide_application(
        short, make_organisation("KELA"), GRANTED, "GRANTED", date(2026, 4, 30)
    )
    short.refresh_from_db()
    assert [i.evidence for i in application_checklist(short, [], date(2026, 3, 5))] == ["DOCTOR_A"]


def test_statement_b_waits_on_the_watch(sick):
    application, *_ = sick
    rebuild_deadlines()
    due = Deadline.objects.get(client_id=application.client_id, kind="EVIDENCE_DUE")
    assert due.due_on == date(2026, 5, 13) and not due.tracked
    assert explain(due, language="en") == (
        "Sickness allowance: Medical statement B is needed by 13.5.2026, when 60 days of it "
        "have been paid."
    )


def test_a_multisectoral_plan_lists_who_delivers_what(make_organisation, make_client):
    from kaveri.plans.models import Plan

    person = make_client()
    plan = Plan.objects.create(
        client=person,
        plan_type="MULTISECTORAL_PLAN",
        process="A2",
        made_on=date(2026, 3, 2),
        review_interval="3M",
        next_review_on=date(2026, 6, 2),
        ruleset_version="fi-2026.1",
    )
    items = by_code(plan_checklist(plan, [], date(2026, 3, 5)))
    assert list(items) == [
        "HEALTH_INFORMATION",
        "BENEFIT_INFORMATION",
        "STUDY_WORK_HISTORY",
        "WORK_ABILITY_ASSESSMENT",
    ]
    assert items["HEALTH_INFORMATION"].delivered_by == ("HEALTH",)
    assert items["HEALTH_INFORMATION"].delivered_to == "TYP"
    assert all(item.status == MISSING for item in items.values())


def test_the_worker_sees_the_checklist_and_kelas_granting_factors(client, sick, settings):
    application, _officer, counsellor = sick
    settings.KAVERI_TODAY = date(2026, 4, 1)
    kela_shares_benefits_with_social_welfare(application.client)
    login(client, counsellor)
    page = client.get(f"/en/workspace/clients/{application.client_id}/").content.decode()
    assert "Kela's decision rests on: Health information, Study and work history" in page
    unseen = "not shown to you: it may be held by an authority whose health information"
    assert f"Medical certificate A: {unseen}" in page
    assert f"Medical statement B: {unseen}" in page

    Consent.objects.create(
        client=application.client,
        purpose="KELA_CONTACT",
        data_categories=["HEALTH"],
        authorities=["KELA", "SOC", "HEALTH"],
        valid_from=date(2026, 2, 2),
        method="IN_PERSON",
    )
    page = client.get(f"/en/workspace/clients/{application.client_id}/").content.decode()
    assert (
        'Medical certificate A: <strong class="warning">missing</strong> – the client '
        "delivers it to Kela" in page
    )
    assert "Medical statement B: needed by 13.5.2026 – the client delivers it to Kela" in page


def test_a_health_document_hidden_from_the_reader_is_neither_missing_nor_revealed(
    client, sick, settings
):
    """Without a consent to see health information, a worker cannot tell whether Kela holds
    the doctor's certificate: the checklist says so, whether or not it is there."""
    application, officer, counsellor = sick
    settings.KAVERI_TODAY = date(2026, 4, 1)
    kela_shares_benefits_with_social_welfare(application.client)

    def statuses(worker):
        login(client, worker)
        items = client.get(f"/api/v1/applications/{application.pk}/evidence").json()
        return {i["evidence"]: i["status"] for i in items}

    before = statuses(counsellor)
    Document.objects.create(
        client=application.client,
        evidence_type="DOCTOR_A",
        received_on=date(2026, 2, 20),
        received_by=officer.organisation,
    )
    assert statuses(counsellor) == before == {"DOCTOR_A": "UNSEEN", "DOCTOR_B": "UNSEEN"}
    assert statuses(officer) == {"DOCTOR_A": "PRESENT", "DOCTOR_B": "DUE"}


def test_the_client_reads_what_to_deliver_and_to_whom(client, sick, settings):
    from django.contrib.auth import get_user_model

    application, *_ = sick
    settings.KAVERI_TODAY = date(2026, 4, 1)
    person = application.client
    person.user = get_user_model().objects.create_user("asiakas-checklist")
    person.save()
    client.force_login(person.user)
    page = client.get("/en/portal/").content.decode()
    assert "Deliver Medical certificate A to Kela</li>" in page
    assert "Deliver Medical statement B to Kela by 13.5.2026</li>" in page
    Document.objects.create(client=person, evidence_type="DOCTOR_A", received_on=date(2026, 3, 1))
    page = client.get("/en/portal/").content.decode()
    assert "Deliver Medical certificate A" not in page


def test_the_checklist_in_the_api(client, sick):
    application, officer, _counsellor = sick
    login(client, officer)
    items = client.get(f"/api/v1/applications/{application.pk}/evidence").json()
    assert [(i["evidence"], i["status"], i["delivered_to"]) for i in items] == [
        ("DOCTOR_A", "MISSING", "KELA"),
        ("DOCTOR_B", "MISSING", "KELA"),
    ]
    assert items[1]["needed_by"] == "2026-05-13"


def test_a_service_decision_shows_what_it_may_rest_on_and_what_is_on_file(
    client, make_organisation, make_worker, make_client, settings
):
    from kaveri.services import actions as services

    settings.KAVERI_TODAY = date(2026, 4, 1)
    soc = make_organisation("SOC")
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, soc)
    person = make_client()
    casework.open_relationship(
        person, soc, "SOC_CLIENT", date(2026, 2, 2), [("OWN_WORKER", counsellor)]
    )
    services.decide_service(
        person,
        "SOCIAL_REHABILITATION",
        soc,
        date(2026, 3, 2),
        date(2026, 3, 2),
        date(2026, 8, 31),
        days_per_week=2,
    )
    Document.objects.create(
        client=person, evidence_type="KYKYVIISARI", received_on=date(2026, 2, 20), received_by=soc
    )
    Document.objects.create(
        client=person,
        evidence_type="DOCTOR_C",
        received_on=date(2025, 2, 20),
        valid_until=date(2026, 2, 20),
        received_by=soc,
    )
    login(client, counsellor)
    page = client.get(f"/en/workspace/clients/{person.pk}/").content.decode()
    basis = page.split('class="muted decision-basis">')[1].split("</p>")[0]
    assert basis.startswith(
        "The decision of Social welfare office may rest on: Medical statement B, "
    )
    assert "Kykyviisari work ability self-assessment (on file, received 20.2.2026)" in basis
    assert 'Medical statement C (<strong class="warning">expired 20.2.2026</strong>)' in basis
