"""The main journeys through the workers' pages, as the workers would click through them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kaveri.access.roles import Role
from kaveri.casework.models import ClientRelationship
from kaveri.consent.models import Consent
from kaveri.demo.identity import synthetic_hetu
from kaveri.people.models import Client
from kaveri.plans.models import Plan
from kaveri.rules.durations import add_months
from kaveri.services.models import ServiceEpisode
from tests.conftest import login

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


THREE_MONTHS_END = (add_months(TODAY - timedelta(days=35), 3) - timedelta(days=1)).isoformat()


def post_ok(client, url: str, data: dict):
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-1500:]
    return response


@pytest.fixture
def network(make_organisation, make_worker):
    orgs = {a: make_organisation(a) for a in ("SOC", "EMP", "TYP", "KELA", "PROVIDER")}
    workers = {
        "counsellor": make_worker(Role.SOCIAL_COUNSELLOR, orgs["SOC"]),
        "official": make_worker(Role.EMPLOYMENT_OFFICIAL, orgs["EMP"]),
        "pair_emp": make_worker(Role.TYP_PAIR_MEMBER, orgs["TYP"]),
        "pair_soc": make_worker(Role.TYP_PAIR_MEMBER, orgs["TYP"]),
    }
    workers["pair_emp"].home_authority = "EMP"
    workers["pair_emp"].save()
    workers["pair_soc"].home_authority = "SOC"
    workers["pair_soc"].save()
    return orgs, workers


def test_first_contact_to_rehabilitative_work_activity_and_closure(client, network):
    orgs, workers = network
    hetu = synthetic_hetu(1_200_000)

    # The social counsellor looks for the client by identity code, in a POST body.
    login(client, workers["counsellor"])
    found = client.post(reverse("workspace:search"), {"query": hetu})
    assert hetu not in found.request["PATH_INFO"] and "No client found" in found.content.decode()
    post_ok(
        client,
        reverse("workspace:client_new"),
        {
            "hetu": hetu,
            "first_names": "Outi",
            "last_name": "Polku",
            "language": "fi",
            "municipality": "Turku",
        },
    )
    person = Client.objects.get(hetu=hetu)
    post_ok(
        client,
        reverse("workspace:open_case", args=[person.pk]),
        {
            "occurred_on": day(-60),
            "initiator": "CLIENT",
            "channel": "IN_PERSON",
            "kind": "SOC_CLIENT",
            "pathway": "P3",
            "worker": workers["counsellor"].pk,
        },
    )
    soc = ClientRelationship.objects.get(client=person, kind="SOC_CLIENT")
    post_ok(
        client,
        reverse("workspace:assessment_new", args=[soc.pk]),
        {
            "assessed_on": day(-55),
            "findings": "Needs a steady daily rhythm.",
            "services": ["REHABILITATIVE_WORK_ACTIVITY"],
            "benefits": ["LABOUR_MARKET_SUBSIDY"],
        },
    )

    # The decision is refused before registration, with the reason on the form.
    refused = client.post(
        reverse("workspace:service_new", args=[person.pk]),
        {
            "service": "REHABILITATIVE_WORK_ACTIVITY",
            "decision_on": day(-40),
            "starts_on": day(-35),
            "ends_on": THREE_MONTHS_END,
            "days_per_week": 3,
            "hours_per_day": "4",
        },
    )
    assert refused.status_code == 422
    assert "registered as an unemployed job seeker" in refused.content.decode()
    client.logout()

    # The employment official opens their relationship and records the registration.
    login(client, workers["official"])
    post_ok(
        client,
        reverse("workspace:open_case", args=[person.pk]),
        {
            "occurred_on": day(-50),
            "initiator": "CLIENT",
            "channel": "ONLINE_SERVICE",
            "kind": "EMP_CLIENT",
            "worker": workers["official"].pk,
        },
    )
    post_ok(
        client, reverse("workspace:registration_new", args=[person.pk]), {"registered_on": day(-50)}
    )
    client.logout()

    # Back to the counsellor: the activation plan, then the decision.
    login(client, workers["counsellor"])
    too_long = client.post(
        reverse("workspace:plan_new", args=[person.pk]),
        {
            "plan_type": "ACTIVATION_PLAN",
            "made_on": day(-45),
            "review_months": 18,
            "parties": [orgs["SOC"].pk, orgs["EMP"].pk],
            "measures": ["REHABILITATIVE_WORK_ACTIVITY"],
        },
    )
    assert too_long.status_code == 422 and "3–12 months" in too_long.content.decode()
    post_ok(
        client,
        reverse("workspace:plan_new", args=[person.pk]),
        {
            "plan_type": "ACTIVATION_PLAN",
            "made_on": day(-45),
            "review_months": 6,
            "parties": [orgs["SOC"].pk, orgs["EMP"].pk],
            "measures": ["REHABILITATIVE_WORK_ACTIVITY", "JOB_SEARCH"],
        },
    )
    plan = Plan.objects.get(client=person)
    post_ok(
        client,
        reverse("workspace:plan_approve", args=[plan.pk]),
        {"row_version": plan.row_version, "channel": "IN_PERSON", "confirmed": "on"},
    )
    too_much = client.post(
        reverse("workspace:service_new", args=[person.pk]),
        {
            "service": "REHABILITATIVE_WORK_ACTIVITY",
            "decision_on": day(-40),
            "starts_on": day(-35),
            "ends_on": THREE_MONTHS_END,
            "days_per_week": 5,
            "hours_per_day": "4",
            "provider": orgs["PROVIDER"].pk,
        },
    )
    assert too_much.status_code == 422
    assert "at most 4 days a calendar week by law; 5 was given" in too_much.content.decode()
    post_ok(
        client,
        reverse("workspace:service_new", args=[person.pk]),
        {
            "service": "REHABILITATIVE_WORK_ACTIVITY",
            "decision_on": day(-40),
            "starts_on": day(-35),
            "ends_on": THREE_MONTHS_END,
            "days_per_week": 3,
            "hours_per_day": "4",
            "provider": orgs["PROVIDER"].pk,
        },
    )
    episode = ServiceEpisode.objects.get(client=person)
    page = client.get(reverse("workspace:client", args=[person.pk])).content.decode()
    assert "Step 5: Participates in rehabilitative work activity" in page
    assert "Rehabilitative work activity began" in page and "now at step 5" in page
    for offset in (-30, -29, -28):
        post_ok(
            client,
            reverse("workspace:participation_new", args=[episode.pk]),
            {"day": day(offset), "attended": "on"},
        )
    report = client.get(
        reverse("workspace:period_report", args=[episode.pk]), {"start": day(-31), "end": day(-1)}
    )
    assert "3 days × 9.00 € = 27.00 €" in report.content.decode()
    post_ok(
        client,
        reverse("workspace:episode_end", args=[episode.pk]),
        {"ended_on": day(-1), "end_reason": "CLIENT_QUIT"},
    )
    page = client.get(reverse("workspace:client", args=[person.pk])).content.decode()
    assert "The service has ended and no next step is recorded." in page
    closed = post_ok(
        client,
        reverse("workspace:relationship_close", args=[soc.pk]),
        {"closed_on": day(0), "closure_reason": "EMPLOYED"},
    )
    assert closed.url == reverse("workspace:clients")  # not to a page the worker may not see
    soc.refresh_from_db()
    assert soc.closure_reason == "EMPLOYED" and soc.closed_on == TODAY
    # With the relationship closed, social welfare no longer sees the record (nor its name).
    assert client.get(reverse("workspace:client", args=[person.pk])).status_code == 404


def test_typ_referral_consent_plan_review_and_final_assessment(client, network):
    orgs, workers = network
    person = Client.objects.create(
        hetu=synthetic_hetu(1_200_001), first_names="Tyyne", last_name="Pari"
    )
    login(client, workers["pair_emp"])
    without_consent = client.post(
        reverse("workspace:open_case", args=[person.pk]),
        {
            "occurred_on": day(-200),
            "initiator": "REFERRAL_KELA",
            "channel": "SECURE_EMAIL",
            "kind": "TYP_CLIENT",
            "worker": workers["pair_emp"].pk,
            "second_worker": workers["pair_soc"].pk,
        },
    )
    assert without_consent.status_code == 422
    assert "consent to TYP work" in without_consent.content.decode()
    post_ok(
        client,
        reverse("workspace:open_case", args=[person.pk]),
        {
            "occurred_on": day(-200),
            "initiator": "REFERRAL_KELA",
            "channel": "SECURE_EMAIL",
            "kind": "TYP_CLIENT",
            "worker": workers["pair_emp"].pk,
            "second_worker": workers["pair_soc"].pk,
            "consent_method": "IN_WRITING",
            "consent_until": day(165),
        },
    )
    typ = ClientRelationship.objects.get(client=person, kind="TYP_CLIENT")
    assert Consent.objects.get(client=person).purpose == "TYP_WORK"
    assert {n.role for n in typ.named_workers.all()} == {"WORK_PAIR_EMPLOYMENT", "WORK_PAIR_SOCIAL"}
    post_ok(
        client,
        reverse("workspace:assessment_new", args=[typ.pk]),
        {"assessed_on": day(-190), "findings": "Ready for a work trial."},
    )
    post_ok(
        client,
        reverse("workspace:plan_new", args=[person.pk]),
        {
            "plan_type": "MULTISECTORAL_PLAN",
            "made_on": day(-185),
            "review_months": 3,
            "parties": [orgs["TYP"].pk, orgs["EMP"].pk, orgs["SOC"].pk, orgs["KELA"].pk],
            "measures": ["WORK_TRIAL"],
        },
    )
    plan = Plan.objects.get(client=person)
    assert plan.process == "A2"
    post_ok(
        client,
        reverse("workspace:plan_revise", args=[plan.pk]),
        {"made_on": day(-95), "review_months": 3, "measures": ["WORK_TRIAL", "JOB_SEARCH"]},
    )
    assert Plan.objects.filter(client=person).count() == 2

    closing = client.post(
        reverse("workspace:relationship_close", args=[typ.pk]),
        {"closed_on": day(0), "closure_reason": "EMPLOYED"},
    )
    assert closing.status_code == 422 and "final assessment" in closing.content.decode()
    post_ok(
        client,
        reverse("workspace:assessment_new", args=[typ.pk]),
        {"assessed_on": day(-1), "findings": "Employed with wage subsidy.", "is_final": "on"},
    )
    post_ok(
        client,
        reverse("workspace:feedback", args=[typ.pk]),
        {"offered_on": day(-1), "feedback": "The pair was easy to reach."},
    )
    post_ok(
        client,
        reverse("workspace:relationship_close", args=[typ.pk]),
        {"closed_on": day(0), "closure_reason": "EMPLOYED"},
    )
    typ.refresh_from_db()
    assert typ.closed_on == TODAY and typ.client_feedback


def test_instructor_records_participation_and_worker_continues_the_period(
    client, network, make_worker, make_organisation, rules, settings
):
    from datetime import date

    from kaveri.casework import actions as casework
    from kaveri.plans import actions as plan_actions
    from kaveri.plans.actions import MeasureInput

    orgs, workers = network
    instructor = make_worker(Role.ACTIVITY_INSTRUCTOR, orgs["PROVIDER"])
    person = Client.objects.create(
        hetu=synthetic_hetu(1_200_002), first_names="Ilona", last_name="Ohjattava"
    )
    start = date(2026, 3, 2)
    rel = casework.open_relationship(
        person,
        orgs["SOC"],
        "SOC_CLIENT",
        start,
        [("OWN_WORKER", workers["counsellor"])],
        pathway="P3",
    )
    casework.register_job_seeker(person, orgs["EMP"], start)
    plan_actions.make_plan(
        person,
        "ACTIVATION_PLAN",
        "A1",
        rel,
        [orgs["SOC"], orgs["EMP"]],
        start,
        6,
        [MeasureInput("REHABILITATIVE_WORK_ACTIVITY", "SOC")],
    )
    login(client, workers["counsellor"])
    wrong = client.post(
        reverse("workspace:service_new", args=[person.pk]),
        {
            "service": "REHABILITATIVE_WORK_ACTIVITY",
            "decision_on": "2026-03-02",
            "starts_on": "2026-03-09",
            "ends_on": "2026-06-08",
            "days_per_week": 2,
            "hours_per_day": "4",
            "provider": make_organisation("PROVIDER").pk,
            "instructor": instructor.pk,
        },
    )
    assert wrong.status_code == 422 and "works at the chosen place" in wrong.content.decode()
    post_ok(
        client,
        reverse("workspace:service_new", args=[person.pk]),
        {
            "service": "REHABILITATIVE_WORK_ACTIVITY",
            "decision_on": "2026-03-02",
            "starts_on": "2026-03-09",
            "ends_on": "2026-06-08",
            "days_per_week": 2,
            "hours_per_day": "4",
            "provider": orgs["PROVIDER"].pk,
            "instructor": instructor.pk,
        },
    )
    episode = ServiceEpisode.objects.get(client=person)
    client.logout()

    settings.KAVERI_TODAY = date(2026, 3, 9)
    login(client, instructor)
    page = client.get(reverse("workspace:client", args=[person.pk])).content.decode()
    assert reverse("workspace:participation_new", args=[episode.pk]) in page
    post_ok(
        client,
        reverse("workspace:participation_new", args=[episode.pk]),
        {"day": "2026-03-09", "attended": "on"},
    )
    assert client.get(reverse("workspace:plan_new", args=[person.pk])).status_code == 403
    client.logout()

    login(client, workers["counsellor"])
    post_ok(
        client,
        reverse("workspace:episode_continue", args=[episode.pk]),
        {"decision_on": "2026-06-01"},
    )
    latest = ServiceEpisode.objects.filter(client=person).order_by("-starts_on").first()
    assert (latest.starts_on, latest.ends_on) == (date(2026, 6, 9), date(2026, 9, 8))
    assert latest.participation.count() == 0 and episode.participation.count() == 1


def test_plan_measures_get_the_responsible_party_chosen(client, network, rules):
    from kaveri.casework import actions as casework

    orgs, workers = network
    person = Client.objects.create(
        hetu=synthetic_hetu(1_200_003), first_names="V", last_name="Vastuu"
    )
    casework.open_relationship(
        person,
        orgs["SOC"],
        "SOC_CLIENT",
        TODAY,
        [("OWN_WORKER", workers["counsellor"])],
        pathway="P3",
    )
    login(client, workers["counsellor"])
    form_page = client.get(reverse("workspace:plan_new", args=[person.pk])).content.decode()
    assert "Responsible for: Health examination of the unemployed" in form_page
    post_ok(
        client,
        reverse("workspace:plan_new", args=[person.pk]),
        {
            "plan_type": "ACTIVATION_PLAN",
            "made_on": day(0),
            "review_months": 3,
            "parties": [orgs["SOC"].pk, orgs["EMP"].pk],
            "measures": ["HEALTH_EXAMINATION", "JOB_SEARCH"],
            "responsible_health_examination": "SOC",
        },
    )
    plan = Plan.objects.get(client=person)
    assert {m.measure: m.responsible_authority for m in plan.measures.all()} == {
        "HEALTH_EXAMINATION": "SOC",
        "JOB_SEARCH": "EMP",
    }
