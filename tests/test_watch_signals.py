"""Each signal of the watch, scanned for a given day: a case that raises it and the nearest
case that does not (a day earlier, a next step recorded, a consent renewed)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kaveri.access.emergency import open_emergency_access, review
from kaveri.access.roles import Role
from kaveri.benefits import actions as benefits
from kaveri.casework import actions as casework
from kaveri.casework.models import ClientRelationship
from kaveri.consent.actions import ConsentInput, attach_signed_form, record_consent
from kaveri.plans import actions as plans
from kaveri.plans.actions import MeasureInput
from kaveri.services import actions as services
from kaveri.services.models import Participation
from kaveri.watch.explain import explain
from kaveri.watch.models import Signal
from kaveri.watch.scan import scan
from tests.watch_network import (
    DAY,
    activation_plan,
    open_signals,
    ready_for_rwa,
    rwa,
    soc_relationship,
    social_rehabilitation,
)

pytestmark = pytest.mark.django_db


def raised(net, kind: str, day: date) -> list[Signal]:
    scan(day)
    return open_signals(net["client"], kind)


# --- a service ended with no next step ----------------------------------------------------


def test_a_decision_past_its_end_date_with_nothing_after_it(net):
    relationship = soc_relationship(net, pathway="P1")
    social_rehabilitation(net, relationship)
    assert raised(net, "SERVICE_ENDED_NO_NEXT_STEP", date(2026, 6, 1)) == []
    [signal] = raised(net, "SERVICE_ENDED_NO_NEXT_STEP", date(2026, 6, 2))
    assert signal.due_on == date(2026, 6, 1)
    assert signal.organisation == net["orgs"]["SOC"]
    assert explain(signal, language="en") == (
        "Social rehabilitation ended on 1.6.2026 (its end date passed with no end "
        "recorded) and no next service, plan or closure of the relationship is recorded. "
        f"Responsible: {net['orgs']['SOC'].name}."
    )


def test_moving_on_to_rehabilitative_work_needs_that_service_recorded(net):
    relationship = ready_for_rwa(net)
    episode = social_rehabilitation(net, relationship)
    services.end_episode(episode, date(2026, 3, 6), "MOVED_TO_RWA")
    [signal] = raised(net, "SERVICE_ENDED_NO_NEXT_STEP", date(2026, 3, 9))
    assert signal.facts["reason"] == "label:end_reason:MOVED_TO_RWA"
    rwa(net, relationship)
    assert raised(net, "SERVICE_ENDED_NO_NEXT_STEP", date(2026, 3, 9)) == []
    assert Signal.objects.get(pk=signal.pk).cleared_on is not None


def test_a_closed_relationship_or_employment_is_no_gap(net):
    relationship = soc_relationship(net, pathway="P1")
    episode = social_rehabilitation(net, relationship)
    services.end_episode(episode, date(2026, 4, 1), "EMPLOYED")
    assert raised(net, "SERVICE_ENDED_NO_NEXT_STEP", date(2026, 4, 2)) == []


def test_a_gap_older_than_the_look_back_is_not_raised(net):
    social_rehabilitation(net, soc_relationship(net, pathway="P1"))
    assert len(raised(net, "SERVICE_ENDED_NO_NEXT_STEP", date(2026, 11, 28))) == 1
    assert raised(net, "SERVICE_ENDED_NO_NEXT_STEP", date(2026, 11, 29)) == []


# --- plans --------------------------------------------------------------------------------


def test_plan_review_overdue_from_the_day_after_the_review_date(net):
    plan = activation_plan(net, soc_relationship(net), months=3)
    assert raised(net, "PLAN_REVIEW_OVERDUE", plan.next_review_on) == []
    [signal] = raised(net, "PLAN_REVIEW_OVERDUE", plan.next_review_on + timedelta(days=1))
    assert signal.due_on == plan.next_review_on == date(2026, 6, 2)
    plans.revise_plan(
        plan, date(2026, 6, 3), 3, [MeasureInput("REHABILITATIVE_WORK_ACTIVITY", "SOC")]
    )
    assert raised(net, "PLAN_REVIEW_OVERDUE", date(2026, 6, 3)) == []


def typ_consent(net, until, valid_from=DAY):
    return record_consent(
        net["client"],
        ConsentInput("ACTIVATION_PLAN", ["PLANS"], ["SOC", "EMP"], valid_from, until, "IN_PERSON"),
        net["counsellor"],
        valid_from,
    )


def test_a_consent_the_plan_depends_on_ending_within_thirty_days(net):
    activation_plan(net, soc_relationship(net), months=6)
    typ_consent(net, date(2026, 5, 1))
    assert raised(net, "CONSENT_PLAN_AT_RISK", date(2026, 3, 31)) == []
    [signal] = raised(net, "CONSENT_PLAN_AT_RISK", date(2026, 4, 1))
    assert signal.facts["until"] == "2026-05-01"
    typ_consent(net, date(2026, 12, 31), valid_from=date(2026, 4, 1))
    assert raised(net, "CONSENT_PLAN_AT_RISK", date(2026, 4, 1)) == []


def test_a_plan_whose_consent_was_revoked(net, settings):
    from kaveri.consent.actions import revoke_consent

    settings.KAVERI_TODAY = DAY
    activation_plan(net, soc_relationship(net))
    consent = typ_consent(net, None)
    assert raised(net, "CONSENT_PLAN_AT_RISK", date(2026, 3, 10)) == []
    revoke_consent(consent, net["counsellor"], "Asiakas peruutti", date(2026, 3, 10))
    [signal] = raised(net, "CONSENT_PLAN_AT_RISK", date(2026, 3, 10))
    assert signal.facts["until"] == "label:watch:NO_CONSENT"


# --- participation ------------------------------------------------------------------------


def test_no_participation_for_fourteen_days_in_an_active_service(net):
    episode = rwa(net, ready_for_rwa(net))  # starts 9.3.
    assert raised(net, "NO_PARTICIPATION", date(2026, 3, 22)) == []
    [signal] = raised(net, "NO_PARTICIPATION", date(2026, 3, 23))
    assert signal.facts["last"] == "label:watch:NEVER"
    services.record_participation(episode, date(2026, 3, 10), True, Decimal("4"))
    assert raised(net, "NO_PARTICIPATION", date(2026, 3, 23)) == []
    assert len(raised(net, "NO_PARTICIPATION", date(2026, 3, 25))) == 1


def test_more_than_four_days_in_a_calendar_week_recorded_by_an_import(net):
    episode = rwa(net, ready_for_rwa(net))
    for day in range(9, 13):  # Monday to Thursday
        services.record_participation(episode, date(2026, 3, day), True, Decimal("4"))
    assert raised(net, "PARTICIPATION_OUT_OF_BOUNDS", date(2026, 3, 15)) == []
    # Kaveri itself refuses a fifth day; history from another system may hold one.
    Participation.objects.create(episode=episode, day=date(2026, 3, 13), hours=Decimal("4"))
    [signal] = raised(net, "PARTICIPATION_OUT_OF_BOUNDS", date(2026, 3, 15))
    assert explain(signal, language="en").startswith(
        "Rehabilitative work activity: in the week of 9.3.2026, 5 days recorded; "
        "allowed: at most 4 days."
    )


def test_under_four_hours_a_day_recorded_by_an_import(net):
    episode = rwa(net, ready_for_rwa(net))
    Participation.objects.create(episode=episode, day=date(2026, 3, 10), hours=Decimal("4"))
    assert raised(net, "PARTICIPATION_OUT_OF_BOUNDS", date(2026, 3, 15)) == []
    Participation.objects.create(episode=episode, day=date(2026, 3, 11), hours=Decimal("3"))
    [signal] = raised(net, "PARTICIPATION_OUT_OF_BOUNDS", date(2026, 3, 15))
    assert signal.facts["bound"] == "hours_at_least:4"


def test_one_client_s_page_groups_only_that_client_s_days(net):
    """The client page runs the rules for one client: the breaches are grouped from that
    client's participation, not the region's (which grew with every client), and found
    the same as by the daily scan."""
    from kaveri.rules.registry import rules_on
    from kaveri.watch.scan import signals_on
    from kaveri.watch.signals import QUERIES

    episode = rwa(net, ready_for_rwa(net))
    for day in range(9, 14):  # Monday to Friday: five days
        Participation.objects.create(episode=episode, day=date(2026, 3, day), hours=Decimal("4"))
    day, person = date(2026, 3, 15), net["client"]
    kinds = [s.kind for s in signals_on(day, [person.pk])]
    assert kinds.count("PARTICIPATION_OUT_OF_BOUNDS") == 1
    rules = rules_on(day)
    rule = rules.data.watch.signal("PARTICIPATION_OUT_OF_BOUNDS")
    sql = str(QUERIES["PARTICIPATION_OUT_OF_BOUNDS"].found(day, rule, rules, [person.pk]).query)
    # the outer filter, and one in each set of breaches (days a week, hours a day)
    assert sql.count(f'"client_id" IN ({person.pk})') >= 3, sql


# --- applications -------------------------------------------------------------------------


def test_an_application_past_its_expected_decision_date(net):
    application = benefits.record_application(net["client"], "SICKNESS_ALLOWANCE", DAY)
    assert raised(net, "APPLICATION_OVERDUE", application.expected_decision_on) == []
    [signal] = raised(net, "APPLICATION_OVERDUE", date(2026, 3, 24))
    assert signal.authority == "KELA"
    assert "Responsible: Kela" in explain(signal, language="en")


def test_an_information_request_due_within_seven_days(net):
    application = benefits.record_application(net["client"], "SICKNESS_ALLOWANCE", DAY)
    request = benefits.request_information(application, DAY, "Lääkärinlausunto B")
    assert raised(net, "INFORMATION_REQUEST_DUE", request.due_on - timedelta(days=8)) == []
    assert len(raised(net, "INFORMATION_REQUEST_DUE", request.due_on - timedelta(days=7))) == 1
    benefits.answer_information_request(request, date(2026, 3, 10))
    assert raised(net, "INFORMATION_REQUEST_DUE", request.due_on) == []


def test_a_kela_relationship_with_no_application_pending(net):
    ClientRelationship.objects.create(
        client=net["client"],
        organisation=net["orgs"]["KELA"],
        kind="KELA_CLIENT",
        opened_on=DAY,
        ruleset_version="fi-2026.1",
    )
    assert raised(net, "KELA_SERVICE_NO_APPLICATION", date(2026, 3, 31)) == []
    assert len(raised(net, "KELA_SERVICE_NO_APPLICATION", date(2026, 4, 1))) == 1
    benefits.record_application(net["client"], "SICKNESS_ALLOWANCE", date(2026, 4, 1))
    assert raised(net, "KELA_SERVICE_NO_APPLICATION", date(2026, 4, 1)) == []


# --- relationships ------------------------------------------------------------------------


def test_an_open_relationship_with_no_named_worker(net):
    relationship = ClientRelationship.objects.create(
        client=net["client"],
        organisation=net["orgs"]["SOC"],
        kind="SOC_CLIENT",
        opened_on=DAY,
        ruleset_version="fi-2026.1",
    )
    assert raised(net, "NO_NAMED_WORKER", date(2026, 3, 8)) == []
    assert len(raised(net, "NO_NAMED_WORKER", date(2026, 3, 9))) == 1
    casework.name_worker(relationship, "OWN_WORKER", net["counsellor"], date(2026, 3, 9))
    assert raised(net, "NO_NAMED_WORKER", date(2026, 3, 9)) == []


def test_a_typ_referral_not_acted_on_in_thirty_days(net, make_worker):
    pair_emp = make_worker(Role.TYP_PAIR_MEMBER, net["orgs"]["TYP"])
    pair_soc = make_worker(Role.TYP_PAIR_MEMBER, net["orgs"]["TYP"])
    relationship = ClientRelationship.objects.create(
        client=net["client"],
        organisation=net["orgs"]["TYP"],
        kind="TYP_CLIENT",
        opened_on=DAY,
        ruleset_version="fi-2026.1",
    )
    for role, worker in (("WORK_PAIR_EMPLOYMENT", pair_emp), ("WORK_PAIR_SOCIAL", pair_soc)):
        relationship.named_workers.create(worker=worker, role=role, from_date=DAY)
    assert raised(net, "TYP_REFERRAL_NOT_ACTED", date(2026, 3, 31)) == []
    assert len(raised(net, "TYP_REFERRAL_NOT_ACTED", date(2026, 4, 1))) == 1
    casework.record_assessment(relationship, date(2026, 4, 1), pair_emp)
    assert raised(net, "TYP_REFERRAL_NOT_ACTED", date(2026, 4, 1)) == []


# --- consents and emergency access --------------------------------------------------------


def test_a_consent_recorded_without_the_signed_form(net, settings):
    settings.KAVERI_TODAY = DAY
    consent = typ_consent(net, None)
    recorded = timezone.localdate(consent.recorded_at)
    assert raised(net, "CONSENT_WITHOUT_FORM", recorded + timedelta(days=13)) == []
    assert len(raised(net, "CONSENT_WITHOUT_FORM", recorded + timedelta(days=14))) == 1
    attach_signed_form(
        consent,
        SimpleUploadedFile("lomake.pdf", b"%PDF-1.4 signed", content_type="application/pdf"),
        net["counsellor"],
    )
    assert raised(net, "CONSENT_WITHOUT_FORM", recorded + timedelta(days=14)) == []


def test_an_emergency_access_unreviewed_after_seven_days(net, make_worker, make_organisation):
    outsider = make_worker(Role.EMPLOYMENT_OFFICIAL, net["orgs"]["EMP"])
    supervisor = make_worker(Role.EMPLOYMENT_OFFICIAL, net["orgs"]["EMP"], is_staff=False)
    supervisor.is_supervisor = True
    supervisor.save()
    opened = timezone.make_aware(datetime(2026, 3, 2, 10))
    access = open_emergency_access(
        outsider,
        net["client"],
        "DANGER_TO_LIFE",
        "Asiakas kertoi puhelimessa vakavasta vaarasta itselleen",
        now=opened,
    )
    assert raised(net, "EMERGENCY_ACCESS_UNREVIEWED", date(2026, 3, 9)) == []
    [signal] = raised(net, "EMERGENCY_ACCESS_UNREVIEWED", date(2026, 3, 10))
    assert signal.owners == []
    review(access, supervisor, "Perusteltu")
    assert raised(net, "EMERGENCY_ACCESS_UNREVIEWED", date(2026, 3, 10)) == []


def test_a_scan_counts_what_it_raised_and_cleared(net, settings):
    settings.KAVERI_TODAY = DAY
    plan = activation_plan(net, soc_relationship(net), months=3)
    counts = {c.kind: c for c in scan(plan.next_review_on + timedelta(days=1))}
    assert counts["PLAN_REVIEW_OVERDUE"].raised == 1
    again = {c.kind: c for c in scan(plan.next_review_on + timedelta(days=2))}
    assert (again["PLAN_REVIEW_OVERDUE"].raised, again["PLAN_REVIEW_OVERDUE"].open) == (0, 1)
    back = {c.kind: c for c in scan(plan.next_review_on)}
    assert (back["PLAN_REVIEW_OVERDUE"].cleared, back["PLAN_REVIEW_OVERDUE"].open) == (1, 0)
