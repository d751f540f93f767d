"""State changes only through each record's transition table, logged, locked and versioned.

Defects 5 and 14 of the sound-core issue: an application decided twice (the last wins, a
denial keeps the earlier "granted until"), an episode ended twice or continued after it
ended (overwriting "fell ill" with "period ended"), a relationship closed twice, and a
stale form saving over someone else's change.
"""

import threading
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from kaveri.access.roles import Role
from kaveri.benefits import actions as benefits
from kaveri.benefits.models import Application
from kaveri.casework import actions as casework
from kaveri.casework.models import ClientRelationship
from kaveri.consent.actions import ConsentInput, record_consent, revoke_consent
from kaveri.plans import actions as plan_actions
from kaveri.plans.actions import MeasureInput
from kaveri.plans.models import Plan
from kaveri.rules.violations import Conflict
from kaveri.services import actions as services
from kaveri.services.models import ServiceEpisode
from kaveri.transitions.models import StateChange
from tests.conftest import login

DAY = date(2026, 3, 2)


@pytest.fixture
def case(db, make_organisation, make_worker, make_client):
    orgs = {a: make_organisation(a) for a in ("SOC", "EMP", "KELA", "PROVIDER")}
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, orgs["SOC"])
    officer = make_worker(Role.KELA_OFFICER, orgs["KELA"])
    person = make_client()
    soc = casework.open_relationship(
        person, orgs["SOC"], "SOC_CLIENT", DAY, [("OWN_WORKER", counsellor)], pathway="P3"
    )
    kela = casework.open_relationship(
        person, orgs["KELA"], "KELA_CLIENT", DAY, [("KELA_CONTACT", officer)]
    )
    casework.register_job_seeker(person, orgs["EMP"], DAY)
    plan = plan_actions.make_plan(
        person,
        "ACTIVATION_PLAN",
        "A1",
        soc,
        [orgs["SOC"], orgs["EMP"]],
        DAY,
        6,
        [MeasureInput("REHABILITATIVE_WORK_ACTIVITY", "SOC")],
    )
    episode = services.decide_service(
        person,
        "REHABILITATIVE_WORK_ACTIVITY",
        orgs["SOC"],
        DAY,
        date(2026, 3, 9),
        date(2026, 6, 8),
        2,
        4,
        relationship=soc,
    )
    return {
        "orgs": orgs,
        "counsellor": counsellor,
        "officer": officer,
        "person": person,
        "soc": soc,
        "kela": kela,
        "plan": plan,
        "episode": episode,
    }


def test_an_application_is_decided_once_and_a_denial_grants_nothing(case):
    application = benefits.record_application(case["person"], "SICKNESS_ALLOWANCE", DAY)
    benefits.decide_application(
        application, case["orgs"]["KELA"], date(2026, 3, 20), "GRANTED", date(2026, 9, 1)
    )
    with pytest.raises(Conflict):
        benefits.decide_application(application, case["orgs"]["KELA"], date(2026, 4, 1), "DENIED")
    application.refresh_from_db()
    assert (application.outcome, application.granted_until) == ("GRANTED", date(2026, 9, 1))

    denied = benefits.record_application(case["person"], "SICKNESS_ALLOWANCE", DAY)
    denied = benefits.decide_application(
        denied, case["orgs"]["KELA"], date(2026, 3, 20), "DENIED", date(2026, 9, 1)
    )
    assert denied.granted_from is None and denied.granted_until is None


def test_an_ended_episode_cannot_end_again_nor_continue(case):
    episode = case["episode"]
    services.end_episode(episode, date(2026, 4, 1), "ILLNESS", by=case["counsellor"])
    with pytest.raises(Conflict):
        services.end_episode(episode, date(2026, 4, 2), "CLIENT_QUIT")
    with pytest.raises(Conflict):
        services.continue_service(episode, date(2026, 6, 1))
    episode.refresh_from_db()
    assert (episode.ended_on, episode.end_reason) == (date(2026, 4, 1), "ILLNESS")
    assert ServiceEpisode.objects.filter(client=case["person"]).count() == 1


def test_a_relationship_closes_once(case):
    casework.close_relationship(case["soc"], date(2026, 5, 1), "SERVICE_ENDED")
    with pytest.raises(Conflict):
        casework.close_relationship(case["soc"], date(2026, 5, 2), "EMPLOYED")
    case["soc"].refresh_from_db()
    assert case["soc"].closure_reason == "SERVICE_ENDED"


def test_every_transition_is_logged_with_who_when_from_to_and_why(case):
    services.end_episode(case["episode"], date(2026, 4, 1), "ILLNESS", by=case["counsellor"])
    change = StateChange.objects.get(entity="services.ServiceEpisode")
    assert (change.from_state, change.to_state, change.transition) == ("DECIDED", "ENDED", "end")
    assert change.by_worker == case["counsellor"] and change.effective_on == date(2026, 4, 1)
    assert change.reason and change.client == case["person"] and change.at is not None
    consent = record_consent(
        case["person"],
        ConsentInput("KELA_CONTACT", ["BENEFITS"], ["SOC", "KELA"], DAY, None, "IN_PERSON"),
        case["counsellor"],
        today=DAY,
    )
    revoke_consent(consent, case["counsellor"], "Asked by phone", date(2026, 4, 2))
    logged = StateChange.objects.get(entity="consent.Consent")
    assert (logged.to_state, logged.reason) == ("REVOKED", "Asked by phone")


def test_a_stale_version_changes_nothing(case):
    episode = case["episode"]
    read_at = episode.row_version
    services.record_participation(episode, date(2026, 3, 9), True, today=date(2026, 3, 9))
    casework.name_worker(case["soc"], "OWN_WORKER", case["counsellor"], date(2026, 3, 10))
    with pytest.raises(Conflict, match="after you opened the form"):
        casework.close_relationship(
            case["soc"], date(2026, 5, 1), "SERVICE_ENDED", expected_version=0
        )
    services.end_episode(episode, date(2026, 4, 1), "ILLNESS", expected_version=read_at)
    assert ClientRelationship.objects.get(pk=case["soc"].pk).state == "OPEN"


def test_a_stale_page_form_says_so_and_saves_nothing(client, case):
    login(client, case["counsellor"])
    url = reverse("workspace:episode_end", args=[case["episode"].pk])
    form = client.get(url).content.decode()
    assert 'name="row_version" value="0"' in form
    services.end_episode(case["episode"], date(2026, 4, 1), "ILLNESS")
    response = client.post(
        url, {"ended_on": "2026-04-02", "end_reason": "CLIENT_QUIT", "row_version": "0"}
    )
    assert response.status_code == 422
    assert "Someone else changed this service episode" in response.content.decode()
    case["episode"].refresh_from_db()
    assert case["episode"].end_reason == "ILLNESS"


def test_a_decided_application_answers_409_in_the_api(client, case):
    application = benefits.record_application(
        case["person"], "SICKNESS_ALLOWANCE", DAY, deciding_organisation=case["orgs"]["KELA"]
    )
    login(client, case["officer"])
    url = f"/api/v1/applications/{application.pk}/decision"
    body = {"decided_on": "2026-03-20", "outcome": "GRANTED", "granted_until": "2026-09-01"}
    assert client.post(url, body, content_type="application/json").status_code == 200
    again = client.post(
        url,
        body | {"outcome": "DENIED"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert again.status_code == 409 and "decided" in again.json()["detail"]


def test_the_review_keeps_an_untouched_measure_exactly(client, case):
    """Defect 3: saving the review form untouched kept every measure as it was."""
    plan = plan_actions.make_plan(
        case["person"],
        "EMPLOYMENT_PLAN",
        "A3",
        None,
        [case["orgs"]["EMP"]],
        DAY,
        3,
        [MeasureInput("HEALTH_EXAMINATION", "EMP"), MeasureInput("JOB_SEARCH")],
    )
    activation = case["plan"]
    plan_actions.acknowledge_measure(
        activation.measures.get(), DAY, "IN_PROGRESS", by=case["counsellor"]
    )
    login(client, case["counsellor"])
    url = reverse("workspace:plan_revise", args=[activation.pk])
    form = client.get(url).content.decode()
    assert 'value="SOC" selected' in form or "SOC" in form
    response = client.post(
        url,
        {
            "made_on": "2026-06-01",
            "review_months": 6,
            "measures": ["REHABILITATIVE_WORK_ACTIVITY", "HEALTH_EXAMINATION"],
            "responsible_health_examination": "EMP",
            "row_version": Plan.objects.get(pk=activation.pk).row_version,
        },
    )
    text = response.content.decode()
    assert response.status_code == 302, text[text.find("error-summary") :][:1500]
    revised = Plan.objects.get(series=activation.series, is_current=True)
    kept = revised.measures.get(measure="REHABILITATIVE_WORK_ACTIVITY")
    earlier = activation.measures.get()
    assert (kept.status, kept.responsible_authority, kept.carried_from) == (
        "IN_PROGRESS",
        "SOC",
        earlier,
    )
    assert revised.measures.get(measure="HEALTH_EXAMINATION").responsible_authority == "EMP"
    assert plan.measures.get(measure="JOB_SEARCH").responsible_authority == "EMP"


def _race(operation, rounds: int = 2) -> list:
    """Run the operation in two threads at once; each result is 'ok' or the refusal."""
    results, start = [], threading.Barrier(rounds)

    def run():
        try:
            start.wait()
            operation()
            results.append("ok")
        except Conflict as refusal:
            results.append(refusal.check)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(rounds)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(results)


@pytest.mark.django_db(transaction=True)
def test_two_decisions_at_once_one_wins_one_is_refused(make_organisation, make_client):
    kela = make_organisation("KELA")
    person = make_client()
    for _round in range(3):
        application = benefits.record_application(person, "SICKNESS_ALLOWANCE", DAY)
        outcomes = _race(
            lambda a=application: benefits.decide_application(
                Application.objects.get(pk=a.pk), kela, date(2026, 3, 20), "GRANTED"
            )
        )
        assert outcomes == ["ok", "state_allows"]


@pytest.mark.django_db(transaction=True)
def test_two_registrations_of_the_same_person_one_wins(db):
    from kaveri.demo.identity import synthetic_hetu
    from kaveri.people.actions import register_client

    for index in range(3):
        hetu = synthetic_hetu(1_400_000 + index)
        outcomes = _race(lambda h=hetu: register_client(h, first_names="A", last_name="B"))
        assert outcomes == ["client_unique", "ok"]
