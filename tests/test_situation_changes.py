"""A client reports a change in their situation, and a worker acts on the client's behalf
(issue 11): the change reaches every named worker's start page as a signal; what a worker
records for the client says how the client told them and that the client confirmed it."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model

from kaveri.access.roles import Role
from kaveri.casework import actions as casework
from kaveri.casework.models import SituationChange
from kaveri.plans import actions as plans
from kaveri.plans.states import PLAN
from kaveri.rules.violations import RuleViolation
from kaveri.transitions.behalf import OnBehalf
from kaveri.transitions.models import StateChange
from kaveri.watch.models import Signal
from kaveri.watch.scan import scan
from tests.conftest import PASSWORD, activation_plan, login

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 30)
KIND = "SITUATION_CHANGE_REPORTED"


@pytest.fixture
def served(settings, make_organisation, make_worker, make_client):
    """A client served by social welfare and the employment services, each with a named
    worker, and a plan waiting for the client's approval."""
    settings.KAVERI_TODAY = TODAY
    soc, emp = make_organisation("SOC"), make_organisation("EMP")
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, soc)
    official = make_worker(Role.EMPLOYMENT_OFFICIAL, emp)
    person = make_client()
    person.user = get_user_model().objects.create_user("asiakas-muutos", password=PASSWORD)
    person.save()
    plan = activation_plan(person, counsellor, [soc, emp])
    casework.open_relationship(
        person, emp, "EMP_CLIENT", date(2026, 10, 1), [("RESPONSIBLE_OFFICIAL", official)]
    )
    return person, counsellor, official, plan


def test_a_change_reported_in_the_portal_reaches_every_named_workers_start_page(client, served):
    person, counsellor, official, _plan = served
    login(client, person.user)
    form = client.get("/en/portal/changes/new/").content.decode()
    assert "Starting work or studies" in form and "Imprisonment" in form
    sent = client.post(
        "/en/portal/changes/new/",
        {"kind": "WORK", "starts_on": "2026-12-07", "details": "Part-time at a bakery"},
    )
    assert sent.status_code == 302, sent.content.decode()
    change = SituationChange.objects.get(client=person)
    assert (change.kind, change.starts_on, change.reported_on) == ("WORK", date(2026, 12, 7), TODAY)
    assert change.told == ["EMP", "SOC"] and change.recorded_by is None
    signal = Signal.objects.get(client=person, kind=KIND, cleared_on__isnull=True)
    assert sorted(signal.owners) == ["EMP", "SOC"]
    for worker in (counsellor, official):
        client.logout()
        login(client, worker.user)
        start = client.get("/en/workspace/").content.decode()
        assert "The client reported a change" in start
        assert "Starting work or studies from 7.12.2026" in start
        page = client.get(f"/en/workspace/clients/{person.pk}/").content.decode()
        assert "Part-time at a bakery" in page
        assert "The client reported a change: Starting work or studies" in page


def test_the_signal_clears_when_the_rule_sets_look_back_has_passed(served):
    person, _counsellor, _official, _plan = served
    casework.report_situation_change(person, "ILLNESS", TODAY, "", TODAY, by=person.user)
    assert Signal.objects.filter(client=person, kind=KIND, cleared_on__isnull=True).exists()
    scan(TODAY + timedelta(days=29))
    assert Signal.objects.filter(client=person, kind=KIND, cleared_on__isnull=True).exists()
    scan(TODAY + timedelta(days=30))
    assert not Signal.objects.filter(client=person, kind=KIND, cleared_on__isnull=True).exists()


def test_a_change_no_one_would_see_is_refused_with_whom_to_contact(make_client, settings):
    settings.KAVERI_TODAY = TODAY
    alone = make_client()
    with pytest.raises(RuleViolation, match="No authority serves the client now"):
        casework.report_situation_change(alone, "MOVING", TODAY, "", TODAY)
    assert not SituationChange.objects.exists()


def test_an_unknown_change_is_refused_and_nothing_is_saved(client, served):
    person, *_rest = served
    login(client, person.user)
    refused = client.post("/en/portal/changes/new/", {"kind": "LOTTERY_WIN", "starts_on": ""})
    assert refused.status_code == 422
    assert "Your message was not sent" in refused.content.decode()
    assert not SituationChange.objects.exists()


def test_a_worker_records_a_change_for_the_client_only_with_how_they_heard_and_confirmation(
    client, served
):
    person, counsellor, official, _plan = served
    login(client, counsellor.user)
    url = f"/en/workspace/clients/{person.pk}/changes/new/"
    form = client.get(url).content.decode()
    assert "How the client told you" in form and "Phone" in form
    unconfirmed = client.post(
        url, {"kind": "MOVING", "starts_on": "2026-12-15", "channel": "PHONE"}
    )
    assert unconfirmed.status_code == 422
    assert "Tick this once the client has confirmed it to you." in unconfirmed.content.decode()
    assert not SituationChange.objects.exists()
    done = client.post(
        url,
        {"kind": "MOVING", "starts_on": "2026-12-15", "channel": "PHONE", "confirmed": "on"},
    )
    assert done.status_code == 302, done.content.decode()
    change = SituationChange.objects.get(client=person)
    assert (change.recorded_by, change.channel, change.client_confirmed) == (
        counsellor,
        "PHONE",
        True,
    )
    page = client.get(f"/en/workspace/clients/{person.pk}/").content.decode()
    assert "recorded it for the client (phone, the client confirmed it)" in page
    client.logout()
    login(client, official.user)
    assert "Moving house from 15.12.2026" in client.get("/en/workspace/").content.decode()


def test_a_channel_outside_the_rule_set_is_refused(served):
    person, counsellor, *_rest = served
    with pytest.raises(RuleViolation, match="Choose how the client told you"):
        casework.report_situation_change(
            person,
            "WORK",
            TODAY,
            "",
            TODAY,
            by=counsellor,
            on_behalf=OnBehalf("SECURE_EMAIL", True),
        )
    assert not SituationChange.objects.exists()


def test_a_worker_records_the_clients_approval_and_the_history_says_so(client, served):
    person, counsellor, _official, plan = served
    login(client, counsellor.user)
    url = f"/en/workspace/plans/{plan.pk}/approve/"
    assert "The client gave or confirmed this themselves" in client.get(url).content.decode()
    refused = client.post(url, {"row_version": plan.row_version, "channel": "IN_PERSON"})
    assert refused.status_code == 422
    plan.refresh_from_db()
    assert plan.client_approved_on is None
    done = client.post(
        url, {"row_version": plan.row_version, "channel": "IN_PERSON", "confirmed": "on"}
    )
    assert done.status_code == 302, done.content.decode()
    act = StateChange.objects.get(entity="plans.Plan", entity_id=plan.pk, transition="approve")
    assert (act.by_worker, act.on_behalf_channel, act.client_confirmed) == (
        counsellor,
        "IN_PERSON",
        True,
    )
    page = client.get(f"/en/workspace/clients/{person.pk}/").content.decode()
    assert "The client approved the plan; " in page
    assert "recorded it for the client (in person, the client confirmed it)" in page


def test_the_clients_own_approval_shows_as_made_in_the_portal(client, served):
    person, counsellor, _official, plan = served
    plans.approve_plan(plan, TODAY, by=person.user)
    login(client, counsellor.user)
    page = client.get(f"/en/workspace/clients/{person.pk}/").content.decode()
    assert "The client approved the plan in the portal" in page


def test_only_what_the_client_may_do_is_recorded_on_their_behalf(served):
    """Superseding a plan is the worker's own act: no one records it 'for the client'."""
    _person, counsellor, _official, plan = served
    with pytest.raises(RuleViolation, match="not one a worker makes on the client's behalf"):
        PLAN.apply(
            plan, "supersede", effective_on=TODAY, by=counsellor, on_behalf=OnBehalf("PHONE", True)
        )
    plan.refresh_from_db()
    assert plan.state == "IN_FORCE"


def test_the_api_records_an_approval_for_the_client_only_with_how_they_told(client, served):
    _person, counsellor, _official, plan = served
    login(client, counsellor.user)
    url = f"/api/v1/plans/{plan.pk}/approval"
    bare = client.post(url, {"day": TODAY.isoformat()}, content_type="application/json")
    assert bare.status_code == 422, bare.content.decode()
    assert bare.json()["detail"][0]["type"] == "on_behalf_channel"
    assert "PAPER_FORM (paperilomake)" in bare.json()["detail"][0]["msg"]
    plan.refresh_from_db()
    assert plan.client_approved_on is None
    done = client.post(
        url,
        {"day": TODAY.isoformat(), "channel": "PAPER_FORM", "client_confirmed": True},
        content_type="application/json",
    )
    assert done.status_code == 200, done.content.decode()
    act = StateChange.objects.get(entity="plans.Plan", entity_id=plan.pk)
    assert (act.on_behalf_channel, act.client_confirmed) == ("PAPER_FORM", True)


def test_a_consent_given_by_phone_is_recorded_with_the_clients_confirmation(client, served):
    person, counsellor, *_rest = served
    login(client, counsellor.user)
    url = f"/en/workspace/clients/{person.pk}/consents/new/"
    fields = {
        "purpose": "KELA_CONTACT",
        "data_categories": ["BENEFITS"],
        "authorities": ["SOC", "KELA"],
        "valid_from": "30.11.2026",
        "method": "PHONE",
    }
    unconfirmed = client.post(url, fields)
    assert unconfirmed.status_code == 422
    assert "Tick this once the client has given the consent." in unconfirmed.content.decode()
    assert not person.consents.exists()
    assert client.post(url, fields | {"confirmed": "on"}).status_code == 302
    page = client.get(f"/en/workspace/clients/{person.pk}/").content.decode()
    assert "The client gave a consent: Contact with Kela; " in page
    assert "recorded it for the client (by phone, the client confirmed it)" in page
