"""The client acts for themselves in the portal (issue 11): approves a plan and acknowledges
progress, gives and revokes consents, and reads who else has seen their data, in words."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from kaveri.access.roles import Role
from kaveri.casework import actions as casework
from kaveri.consent.models import Consent
from kaveri.plans import actions as plans
from kaveri.transitions.behalf import OnBehalf
from kaveri.transitions.models import StateChange
from tests.conftest import PASSWORD, activation_plan, login

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 30)


@pytest.fixture
def served(settings, make_organisation, make_worker, make_client):
    settings.KAVERI_TODAY = TODAY
    soc, emp = make_organisation("SOC"), make_organisation("EMP")
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, soc)
    official = make_worker(Role.EMPLOYMENT_OFFICIAL, emp)
    person = make_client()
    person.user = get_user_model().objects.create_user("asiakas-portal", password=PASSWORD)
    person.save()
    plan = activation_plan(person, counsellor, [soc, emp], ("JOB_SEARCH", "WORK_TRIAL"))
    return person, counsellor, official, plan


def test_the_client_approves_their_plan_and_the_history_says_they_did(client, served):
    person, _counsellor, _official, plan = served
    login(client, person.user)
    overview = client.get("/en/portal/").content.decode()
    assert f'href="/en/portal/plans/{plan.pk}/"' in overview
    page = client.get(f"/en/portal/plans/{plan.pk}/").content.decode()
    assert "Job search" in page and "I approve this plan" in page
    done = client.post(
        f"/en/portal/plans/{plan.pk}/approve/", {"row_version": plan.row_version}, follow=True
    )
    assert "Your plan is approved" in done.content.decode()
    plan.refresh_from_db()
    assert (plan.state, plan.client_approved_on) == ("APPROVED", TODAY)
    change = StateChange.objects.get(entity="plans.Plan", entity_id=plan.pk, transition="approve")
    assert (change.by_user, change.by_worker) == (person.user, None)
    assert "Read and approve your plan" not in client.get("/en/portal/").content.decode()


def test_the_client_marks_progress_on_a_measure(client, served):
    person, *_rest, plan = served
    measure = plan.measures.get(measure="JOB_SEARCH")
    login(client, person.user)
    client.post(
        f"/en/portal/measures/{measure.pk}/acknowledge/",
        {"status": "IN_PROGRESS", "row_version": measure.row_version},
    )
    measure.refresh_from_db()
    assert (measure.status, measure.client_acknowledged_on) == ("IN_PROGRESS", TODAY)
    assert (
        "You marked the progress on 30.11.2026."
        in client.get(f"/en/portal/plans/{plan.pk}/").content.decode()
    )


def test_a_stale_approval_is_refused_in_plain_words(client, served):
    person, counsellor, _official, plan = served
    stale = plan.row_version
    plans.approve_plan(plan, TODAY, by=counsellor, on_behalf=OnBehalf("PHONE", True))
    login(client, person.user)
    done = client.post(f"/en/portal/plans/{plan.pk}/approve/", {"row_version": stale}, follow=True)
    assert done.status_code == 200
    assert "Someone else changed this plan after you opened the form." in done.content.decode()
    assert StateChange.objects.filter(entity="plans.Plan", entity_id=plan.pk).count() == 1


def test_another_clients_plan_is_not_found(client, served, make_client):
    _person, *_rest, plan = served
    other = make_client()
    other.user = get_user_model().objects.create_user("toinen", password=PASSWORD)
    other.save()
    login(client, other.user)
    assert client.get(f"/en/portal/plans/{plan.pk}/").status_code == 404
    assert client.post(f"/en/portal/plans/{plan.pk}/approve/").status_code == 404
    plan.refresh_from_db()
    assert plan.client_approved_on is None


def test_revoking_a_consent_takes_a_workers_access_at_once(client, served):
    """Social welfare sees Kela's application under the consent the client gives in the
    portal; the client revokes it and the worker's next page view no longer shows it."""
    from kaveri.benefits import actions as benefits

    person, counsellor, _official, _plan = served
    benefits.record_application(person, "SICKNESS_ALLOWANCE", date(2026, 11, 2))
    login(client, person.user)
    given = client.post(
        "/en/portal/consents/new/",
        {
            "purpose": "KELA_CONTACT",
            "authorities": ["KELA", "SOC"],
            "data_categories": ["BENEFITS"],
        },
    )
    assert given.status_code == 302, given.content.decode()
    consent = Consent.objects.get(client=person)
    assert (consent.method, consent.recorded_by, consent.valid_from) == ("PORTAL", None, TODAY)
    page = client.get("/en/portal/consents/").content.decode()
    assert (
        "Kela, Social welfare office may see each other's data about you: Applications and "
        "decisions." in page
    )

    client.logout()
    login(client, counsellor)
    seen = client.get(f"/en/workspace/clients/{person.pk}/").content.decode()
    assert "Sickness allowance: 2.11.2026" in seen

    client.logout()
    login(client, person.user)
    client.post(f"/en/portal/consents/{consent.pk}/revoke/", {"row_version": consent.row_version})
    consent.refresh_from_db()
    assert consent.revoked_on == TODAY
    assert "You revoked it on 30.11.2026." in client.get("/en/portal/consents/").content.decode()

    client.logout()
    login(client, counsellor)
    seen = client.get(f"/en/workspace/clients/{person.pk}/").content.decode()
    assert "Sickness allowance" not in seen, "neither the application nor its deadline"


def test_a_consent_naming_one_authority_is_refused_with_the_reason(client, served):
    person, *_rest = served
    login(client, person.user)
    response = client.post(
        "/en/portal/consents/new/",
        {"purpose": "ACTIVATION_PLAN", "authorities": ["SOC"], "data_categories": ["PLANS"]},
    )
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    assert not Consent.objects.filter(client=person).exists()


def test_the_access_log_lists_others_in_words_and_not_the_clients_own_visits(client, served):
    person, counsellor, *_rest = served
    login(client, counsellor)
    client.get(f"/en/workspace/clients/{person.pk}/")
    client.logout()
    login(client, person.user)
    client.get("/en/portal/")
    page = client.get("/en/portal/access-log/").content.decode()
    assert counsellor.user.username in page or counsellor.user.get_full_name() in page
    assert "Social counsellor" in page and "Social welfare office" in page
    assert "Why they could: you are their client." in page
    assert "Read their own page" not in page, "the client's own visits are not listed"


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def asked(served, make_organisation, make_worker):
    from kaveri.benefits import actions as benefits

    person, *_rest = served
    kela = make_organisation("KELA")
    officer = make_worker(Role.KELA_OFFICER, kela)
    casework.open_relationship(
        person, kela, "KELA_CLIENT", date(2026, 10, 1), [("KELA_CONTACT", officer)]
    )
    application = benefits.record_application(
        person,
        "SICKNESS_ALLOWANCE",
        date(2026, 11, 20),
        complete=False,
        missing="Lääkärintodistus A",
    )
    return person, officer, application.information_requests.get()


def test_the_client_answers_a_request_with_an_attachment(client, asked):
    from django.core.files.uploadedfile import SimpleUploadedFile

    person, officer, wanted = asked
    login(client, person.user)
    overview = client.get("/en/portal/").content.decode()
    assert f'href="/en/portal/requests/{wanted.pk}/"' in overview
    sent = client.post(
        f"/en/portal/requests/{wanted.pk}/",
        {
            "answer": "Here is the certificate.",
            "file": SimpleUploadedFile("todistus.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert sent.status_code == 302
    wanted.refresh_from_db()
    assert (wanted.answered_on, wanted.answer, wanted.state) == (
        TODAY,
        "Here is the certificate.",
        "ANSWERED",
    )
    document = person.documents.get()
    assert (document.evidence_type, document.application_id, document.file_type) == (
        "INFO_REQUEST_ANSWER",
        wanted.application_id,
        "application/pdf",
    )
    assert document.received_by == officer.organisation
    change = StateChange.objects.get(entity="benefits.InformationRequest", entity_id=wanted.pk)
    assert change.by_user == person.user
    application = wanted.application
    application.refresh_from_db()
    assert application.completed_on == TODAY and application.expected_decision_on is not None


def test_a_file_that_is_not_a_document_is_refused_and_nothing_changes(client, asked):
    from django.core.files.uploadedfile import SimpleUploadedFile

    person, _officer, wanted = asked
    login(client, person.user)
    response = client.post(
        f"/en/portal/requests/{wanted.pk}/",
        {
            "answer": "See the file.",
            "file": SimpleUploadedFile(
                "x.pdf", b"#!/bin/sh\necho hi\n", content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 422
    assert "not a PDF, JPEG or PNG by its content" in response.content.decode()
    wanted.refresh_from_db()
    assert wanted.answered_on is None and not person.documents.exists()


def test_an_empty_answer_says_what_to_give(client, asked):
    person, _officer, wanted = asked
    login(client, person.user)
    response = client.post(f"/en/portal/requests/{wanted.pk}/", {"answer": "  "})
    assert response.status_code == 422
    assert "Write your answer or attach a file, or both." in response.content.decode()
