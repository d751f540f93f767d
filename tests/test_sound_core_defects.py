"""The defects found in the sound-core issue, each reproduced as it was reported.

Defects 3, 5 and 14 are in test_state_transitions.py, 4 in test_access.py, 10 in
test_readme_console.py, 11 in test_demo.py, and the whole of 1 and 12 in the
authorization matrix; here each is also told as the story it was found in.
"""

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kaveri.access.models import AuditEvent
from kaveri.access.roles import Role
from kaveri.access.visibility import ConsentFacts, Visibility
from kaveri.casework import actions as casework
from kaveri.consent.models import Consent
from kaveri.plans import actions as plans
from kaveri.plans.actions import MeasureInput
from kaveri.plans.models import Measure, Plan
from kaveri.rules.violations import Conflict, Violations
from kaveri.services import actions as services
from kaveri.services.models import Participation, ServiceEpisode
from tests.conftest import login

TODAY = timezone.localdate()


@pytest.fixture
def region(db, make_organisation, make_worker, make_client):
    """A client in rehabilitative work activity at social welfare, known to Kela and the
    employment services, placed with an instructor."""
    orgs = {a: make_organisation(a) for a in ("SOC", "EMP", "KELA", "DIS", "PROVIDER")}
    people = {
        "counsellor": make_worker(Role.SOCIAL_COUNSELLOR, orgs["SOC"]),
        "official": make_worker(Role.EMPLOYMENT_OFFICIAL, orgs["EMP"]),
        "kela": make_worker(Role.KELA_OFFICER, orgs["KELA"]),
        "disability": make_worker(Role.DISABILITY_WORKER, orgs["DIS"]),
        "instructor": make_worker(Role.ACTIVITY_INSTRUCTOR, orgs["PROVIDER"]),
    }
    person = make_client()
    start = TODAY - timedelta(days=40)
    soc = casework.open_relationship(
        person, orgs["SOC"], "SOC_CLIENT", start, [("OWN_WORKER", people["counsellor"])], "P3"
    )
    casework.open_relationship(
        person, orgs["EMP"], "EMP_CLIENT", start, [("RESPONSIBLE_OFFICIAL", people["official"])]
    )
    casework.open_relationship(person, orgs["KELA"], "KELA_CLIENT", start, [])
    casework.open_relationship(
        person, orgs["DIS"], "DIS_CLIENT", start, [("OWN_WORKER", people["disability"])]
    )
    casework.register_job_seeker(person, orgs["EMP"], start)
    plan = plans.make_plan(
        person,
        "ACTIVATION_PLAN",
        "A1",
        soc,
        [orgs["SOC"], orgs["EMP"]],
        start,
        6,
        [MeasureInput("REHABILITATIVE_WORK_ACTIVITY"), MeasureInput("HEALTH_EXAMINATION", "EMP")],
    )
    episode = services.decide_service(
        person,
        "REHABILITATIVE_WORK_ACTIVITY",
        orgs["SOC"],
        start,
        start + timedelta(days=7),
        start + timedelta(days=7 + 91),
        2,
        4,
        orgs["PROVIDER"],
        people["instructor"],
        relationship=soc,
    )
    return {"orgs": orgs, "people": people, "client": person, "plan": plan, "episode": episode}


def page_of(client, person) -> str:
    return client.get(reverse("workspace:client", args=[person.pk])).content.decode()


def test_defect_01_kela_cannot_end_social_welfares_episode_nor_revise_its_plan(client, region):
    login(client, region["people"]["kela"])
    episode, plan = region["episode"], region["plan"]
    ended = client.post(
        reverse("workspace:episode_end", args=[episode.pk]),
        {"ended_on": TODAY.isoformat(), "end_reason": "ILLNESS"},
    )
    assert ended.status_code == 403
    assert client.get(reverse("workspace:plan_revise", args=[plan.pk])).status_code == 403
    assert ServiceEpisode.objects.get(pk=episode.pk).state == "DECIDED"
    assert Plan.objects.filter(series=plan.series).count() == 1


def test_defect_02_a_consent_method_and_a_measure_status_are_checked(
    region, client, make_organisation
):
    with pytest.raises(Violations) as refused:
        casework.open_case(
            region["client"],
            make_organisation("TYP"),
            TODAY,
            "REFERRAL_KELA",
            "PHONE",
            "TYP_CLIENT",
            [],
            typ_consent_method="CARRIER_PIGEON",
        )
    assert [v.field for v in refused.value.violations] == ["method"]
    assert not Consent.objects.filter(method="CARRIER_PIGEON").exists()

    measure = region["plan"].measures.get(measure="REHABILITATIVE_WORK_ACTIVITY")
    login(client, region["people"]["counsellor"])
    client.post(reverse("workspace:measure_acknowledge", args=[measure.pk]), {"status": "PWNED"})
    assert Measure.objects.get(pk=measure.pk).status == "AGREED"
    api = client.post(
        f"/api/v1/measures/{measure.pk}/acknowledgement",
        {"day": TODAY.isoformat(), "status": "PWNED"},
        content_type="application/json",
    )
    assert api.status_code == 422 and api.json()["detail"][0]["loc"][-1] == "status"


def test_defect_06_pages_offer_only_what_can_succeed(client, region):
    login(client, region["people"]["kela"])
    page = page_of(client, region["client"])
    assert reverse("workspace:service_new", args=[region["client"].pk]) not in page
    assert reverse("workspace:plan_revise", args=[region["plan"].pk]) not in page
    client.logout()
    login(client, region["people"]["disability"])
    assert reverse("workspace:plan_new", args=[region["client"].pk]) not in page_of(
        client, region["client"]
    )
    client.logout()
    login(client, region["people"]["instructor"])
    start = client.get(reverse("workspace:clients")).content.decode()
    assert reverse("workspace:search") not in start
    assert client.get(reverse("workspace:search")).status_code == 403


def test_defect_07_opening_a_form_is_a_read_and_the_log_speaks_plainly(client, region):
    login(client, region["people"]["counsellor"])
    episode = region["episode"]
    url = reverse("workspace:episode_end", args=[episode.pk])
    client.get(url)
    assert not AuditEvent.objects.filter(action="episode.end").exists()
    read = AuditEvent.objects.filter(client=region["client"]).order_by("-id").first()
    assert (read.action, read.data_category, read.method) == ("client.view", "SERVICES", "GET")
    client.post(url, {"ended_on": TODAY.isoformat(), "end_reason": "ILLNESS", "row_version": 0})
    assert AuditEvent.objects.filter(action="episode.end", allowed=True).count() == 1
    log = client.get(reverse("workspace:access_log", args=[region["client"].pk]))
    text = log.content.decode()
    assert "Ended a service" in text and "Service periods and participation" in text
    assert "episode.end" not in text and "SOCIAL_WORK_NOTES" not in text


def test_defect_08_the_portal_title_is_only_the_title(client, region, django_user_model):
    person = region["client"]
    person.user = django_user_model.objects.create_user("self", password="test-password-123")
    person.save()
    login(client, person.user)
    page = client.get(reverse("portal")).content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert title.strip() == "My page – Kaveri"


def test_defect_09_a_past_day_keeps_the_consent_as_it_stood():
    revoked_today = ConsentFacts(
        id=3,
        categories=frozenset({"BENEFITS"}),
        authorities=frozenset({"SOC", "KELA"}),
        valid_from=TODAY - timedelta(days=30),
        valid_until=None,
        revoked_on=TODAY,
    )

    def seen(day):
        view = Visibility("SOC", True, [revoked_today], day, frozenset({"SOC", "DIS"}))
        return view.decide(frozenset({"KELA"}), "BENEFITS")

    assert seen(TODAY - timedelta(days=1)).basis == "consent:3"
    assert not seen(TODAY).allowed


CONSENT_STATES = {
    "none": None,
    "valid": {},
    "expired": {"valid_until": -1},
    "revoked": {"revoked": True},
    "out-of-scope": {"data_categories": ["PLANS"]},
}


@pytest.mark.parametrize("state", list(CONSENT_STATES))
def test_defect_12_the_period_report_needs_a_covering_consent(client, region, state):
    """The employment official serves the client, but the participation is social welfare's."""
    given = CONSENT_STATES[state]
    if given is not None:
        Consent.objects.create(
            client=region["client"],
            purpose="ACTIVATION_PLAN",
            data_categories=given.get("data_categories", ["SERVICES"]),
            authorities=["SOC", "EMP"],
            valid_from=TODAY - timedelta(days=60),
            valid_until=TODAY + timedelta(days=given.get("valid_until", 30)),
            method="IN_PERSON",
            revoked_at=timezone.now() if given.get("revoked") else None,
            revoked_on=TODAY if given.get("revoked") else None,
            state="REVOKED" if given.get("revoked") else "GIVEN",
        )
    login(client, region["people"]["official"])
    episode = region["episode"]
    report_page = client.get(reverse("workspace:period_report", args=[episode.pk]))
    report_api = client.get(
        f"/api/v1/episodes/{episode.pk}/report?start={TODAY - timedelta(days=40)}&end={TODAY}"
    )
    expected = 200 if state == "valid" else 403
    assert (report_page.status_code, report_api.status_code) == (expected, expected)


def test_defect_12_the_consent_list_shows_only_what_the_reader_may_see(client, region):
    for authorities in (["SOC", "KELA"], ["EMP", "KELA"]):
        Consent.objects.create(
            client=region["client"],
            purpose="KELA_CONTACT",
            data_categories=["BENEFITS"],
            authorities=authorities,
            valid_from=TODAY,
            method="IN_PERSON",
        )
    login(client, region["people"]["counsellor"])
    listed = client.get(f"/api/v1/clients/{region['client'].pk}/consents").json()
    assert [sorted(c["authorities"]) for c in listed] == [["KELA", "SOC"]]


def test_defect_12_opening_a_case_gives_ones_own_relationship_and_nothing_more(
    client, region, make_organisation, make_worker
):
    officer = make_worker(Role.KELA_OFFICER, make_organisation("KELA"))
    login(client, officer)
    opened = client.post(
        f"/api/v1/clients/{region['client'].pk}/cases",
        {
            "occurred_on": TODAY.isoformat(),
            # The client's own contact (A5); an authority's needs the client's consent (A6).
            "initiator": "CLIENT",
            "channel": "PHONE",
            "kind": "KELA_CLIENT",
            "workers": [],
        },
        content_type="application/json",
    )
    assert opened.status_code == 201
    plan = region["plan"]
    attempts = [
        client.post(
            f"/api/v1/plans/{plan.pk}/revisions",
            {"made_on": TODAY.isoformat(), "review_months": 6, "measures": []},
            content_type="application/json",
        ),
        client.post(
            f"/api/v1/plans/{plan.pk}/approval",
            {"day": TODAY.isoformat()},
            content_type="application/json",
        ),
        client.post(
            f"/api/v1/measures/{plan.measures.first().pk}/acknowledgement",
            {"day": TODAY.isoformat()},
            content_type="application/json",
        ),
    ]
    assert [a.status_code for a in attempts] == [403, 403, 403]
    assert region["client"].relationships.filter(organisation=officer.organisation).count() == 1


def test_defect_12_an_instructor_records_only_their_own_placements(client, region, make_worker):
    colleague = make_worker(Role.ACTIVITY_INSTRUCTOR, region["orgs"]["PROVIDER"])
    login(client, colleague)
    refused = client.post(
        f"/api/v1/episodes/{region['episode'].pk}/participation",
        {"day": TODAY.isoformat()},
        content_type="application/json",
    )
    # The colleague does not see the client at all: refused as for a missing record.
    assert refused.status_code == 404 and not Participation.objects.exists()


@pytest.mark.parametrize("hours", ["1000000", "-5", "25"])
def test_defect_13_a_day_has_at_most_its_hours(client, region, hours):
    login(client, region["people"]["instructor"])
    episode = region["episode"]
    page = client.post(
        reverse("workspace:participation_new", args=[episode.pk]),
        {"day": TODAY.isoformat(), "attended": "on", "hours": hours},
    )
    api = client.post(
        f"/api/v1/episodes/{episode.pk}/participation",
        {"day": TODAY.isoformat(), "hours": hours},
        content_type="application/json",
    )
    assert (page.status_code, api.status_code) == (422, 422)
    assert not Participation.objects.exists()
    assert client.get(reverse("workspace:client", args=[region["client"].pk])).status_code == 200


def test_defect_13_far_dates_and_huge_numbers_are_refused_clearly(client, region):
    login(client, region["people"]["counsellor"])
    person = region["client"]
    review = client.post(
        f"/api/v1/plans/{region['plan'].pk}/revisions",
        {"made_on": TODAY.isoformat(), "review_months": 1000000, "measures": []},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert review.status_code == 422
    assert review.json()["detail"][0]["loc"][-1] == "review_months"
    far = client.post(
        f"/api/v1/clients/{person.pk}/applications",
        {"benefit": "SICKNESS_ALLOWANCE", "submitted_on": "9999-12-31"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert far.status_code == 422 and "between 1900-01-01 and 2099-12-31" in far.text
    page = client.post(
        reverse("workspace:application_new", args=[person.pk]),
        {"benefit": "SICKNESS_ALLOWANCE", "submitted_on": "9999-12-31", "complete": "on"},
    )
    assert page.status_code == 422


def test_defect_13_nul_characters_are_refused_before_any_view(client, region):
    login(client, region["people"]["counsellor"])
    page = client.post(reverse("workspace:search"), {"query": "Virta\x00nen"})
    api = client.post(
        "/api/v1/search/clients", {"query": "Virta\u0000nen"}, content_type="application/json"
    )
    assert (page.status_code, api.status_code) == (400, 400)
    assert "NUL" in api.json()["detail"]


@pytest.mark.django_db(transaction=True)
def test_defect_13_two_plan_saves_at_once_give_one_version_and_one_refusal(region):
    plan = region["plan"]
    outcomes, start = [], threading.Barrier(2)

    def review():
        try:
            start.wait()
            plans.revise_plan(
                Plan.objects.get(pk=plan.pk),
                TODAY,
                6,
                [MeasureInput("REHABILITATIVE_WORK_ACTIVITY")],
                expected_version=0,
            )
            outcomes.append("ok")
        except Conflict as refusal:
            outcomes.append(refusal.check)
        finally:
            connection.close()

    threads = [threading.Thread(target=review) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "record_unchanged"]
    assert Plan.objects.filter(series=plan.series, is_current=True).count() == 1
