"""Every date the rules make due is a stored deadline, kept in step by the operations that
change its facts: for each kind, a case that makes it and the nearest case that does not."""

from datetime import date

import pytest
from django.urls import reverse

from kaveri.benefits import actions as benefits
from kaveri.casework import actions as casework
from kaveri.consent.actions import ConsentInput, record_consent, revoke_consent
from kaveri.plans import actions as plans
from kaveri.plans.actions import MeasureInput
from kaveri.rules.violations import RuleViolation
from kaveri.services import actions as services
from kaveri.watch.deadlines import deadlines_of, discussion_days, period_ends
from kaveri.watch.explain import explain
from kaveri.watch.facts import load_facts
from kaveri.watch.models import Deadline
from kaveri.watch.refresh import rebuild_deadlines
from tests.conftest import login
from tests.watch_network import (
    DAY,
    activation_plan,
    deadlines,
    ready_for_rwa,
    rwa,
    soc_relationship,
    social_rehabilitation,
)

pytestmark = pytest.mark.django_db


def test_plan_review_falls_on_the_review_date_for_the_own_worker(net):
    relationship = soc_relationship(net)
    plan = activation_plan(net, relationship, months=6)
    [review] = deadlines(net["client"], "PLAN_REVIEW")
    assert review.due_on == date(2026, 9, 2) == plan.next_review_on
    assert review.worker == net["counsellor"]
    assert review.organisation == net["orgs"]["SOC"]
    assert review.owners == ["EMP", "SOC"]
    assert explain(review, language="en") == (
        "Activation plan is to be reviewed by 2.9.2026 (review every 6 months, made on 2.3.2026)."
    )


def test_a_reviewed_plan_has_one_review_deadline_the_new_one(net):
    plan = activation_plan(net, soc_relationship(net), months=3)
    plans.revise_plan(
        plan, date(2026, 5, 4), 6, [MeasureInput("REHABILITATIVE_WORK_ACTIVITY", "SOC")]
    )
    assert [d.due_on for d in deadlines(net["client"], "PLAN_REVIEW")] == [date(2026, 11, 4)]


def test_a_decision_ends_and_its_three_month_periods_end_within_it(net):
    relationship = ready_for_rwa(net)
    episode = rwa(net, relationship)
    [end] = deadlines(net["client"], "DECISION_END")
    assert end.due_on == episode.ends_on == date(2026, 9, 8)
    assert end.worker == net["counsellor"]
    assert [d.due_on for d in deadlines(net["client"], "PERIOD_END")] == [date(2026, 6, 8)]


def test_a_three_month_decision_has_no_period_end_before_its_own_end():
    assert period_ends(date(2026, 3, 9), date(2026, 6, 8), _months(3)) == []
    assert period_ends(date(2026, 3, 9), date(2026, 6, 9), _months(3)) == [date(2026, 6, 8)]


def _months(n):
    from kaveri.rules.durations import Duration

    return Duration(n, "M")


def test_an_ended_decision_has_no_deadlines_left(net):
    episode = rwa(net, ready_for_rwa(net))
    services.end_episode(episode, date(2026, 4, 1), "CLIENT_QUIT")
    assert deadlines(net["client"], "DECISION_END") == []
    assert deadlines(net["client"], "UNEMPLOYMENT_PERIOD_REPORT") == []


def test_unemployment_period_reports_one_a_month_after_each_month(net):
    rwa(net, ready_for_rwa(net), ends_on=date(2026, 6, 8))
    reports = deadlines(net["client"], "UNEMPLOYMENT_PERIOD_REPORT")
    assert [r.due_on for r in reports] == [date(2026, 4, 9), date(2026, 5, 9), date(2026, 6, 9)]
    assert [r.facts["end"] for r in reports] == ["2026-04-08", "2026-05-08", "2026-06-08"]
    assert not any(r.tracked for r in reports)
    assert explain(reports[0], language="en").endswith(
        "goes to Kela or the unemployment fund that pays the client's benefit from 9.4.2026."
    )


@pytest.mark.parametrize(
    ("benefit", "payer", "words"),
    [
        ("LABOUR_MARKET_SUBSIDY", "KELA", "goes to Kela from"),
        ("EARNINGS_RELATED_ALLOWANCE", "UNEMPLOYMENT_FUND", "goes to Unemployment fund from"),
    ],
)
def test_the_period_report_goes_to_the_payer_of_the_benefit(
    client, net, make_organisation, benefit, payer, words
):
    episode = rwa(net, ready_for_rwa(net), ends_on=date(2026, 6, 8))
    application = benefits.record_application(net["client"], benefit, date(2026, 2, 2))
    benefits.decide_application(
        application, make_organisation(payer), date(2026, 2, 20), "GRANTED", date(2026, 12, 31)
    )
    [first, *_rest] = deadlines(net["client"], "UNEMPLOYMENT_PERIOD_REPORT")
    assert words in explain(first, language="en")
    report = services.unemployment_period_report(episode, date(2026, 3, 9), date(2026, 4, 8))
    assert (report.goes_to, report.paid_benefit) == (payer, benefit)
    login(client, net["counsellor"])
    page = client.get(
        reverse("workspace:period_report", args=[episode.pk]),
        {"start": "2026-03-09", "end": "2026-04-08"},
    ).content.decode()
    paid_by = "Kela (Labour market subsidy)" if payer == "KELA" else "Unemployment fund ("
    assert f"The report goes to:</strong> {paid_by}" in page


def test_social_rehabilitation_has_no_unemployment_period_report(net):
    social_rehabilitation(net)
    assert deadlines(net["client"], "UNEMPLOYMENT_PERIOD_REPORT") == []
    assert len(deadlines(net["client"], "DECISION_END")) == 1


def test_initial_interview_within_five_working_days_until_the_employment_plan(net):
    casework.register_job_seeker(net["client"], net["orgs"]["EMP"], date(2026, 4, 1))
    [interview] = deadlines(net["client"], "INITIAL_INTERVIEW")
    # Wednesday 1 April; Good Friday 3.4 and Easter Monday 6.4 are holidays.
    assert interview.due_on == date(2026, 4, 10)
    relationship = casework.open_relationship(
        net["client"],
        net["orgs"]["EMP"],
        "EMP_CLIENT",
        date(2026, 4, 1),
        [("RESPONSIBLE_OFFICIAL", net["official"])],
    )
    plans.make_plan(
        net["client"],
        "EMPLOYMENT_PLAN",
        "A3",
        relationship,
        [net["orgs"]["EMP"]],
        date(2026, 4, 8),
        3,
        [MeasureInput("JOB_SEARCH", "EMP")],
    )
    assert deadlines(net["client"], "INITIAL_INTERVIEW") == []


def test_a_plan_made_before_the_registration_does_not_count_as_the_interview(net):
    relationship = soc_relationship(net)
    activation_plan(net, relationship)
    casework.register_job_seeker(net["client"], net["orgs"]["EMP"], date(2026, 4, 1))
    assert len(deadlines(net["client"], "INITIAL_INTERVIEW")) == 1


def test_an_activation_plan_made_with_employment_services_stands_for_it(net):
    relationship = soc_relationship(net)
    casework.register_job_seeker(net["client"], net["orgs"]["EMP"], DAY)
    activation_plan(net, relationship, made_on=date(2026, 3, 5))
    assert deadlines(net["client"], "INITIAL_INTERVIEW") == []


def test_job_search_discussions_every_two_weeks_for_three_months(net):
    casework.register_job_seeker(net["client"], net["orgs"]["EMP"], DAY)
    found = deadlines(net["client"], "JOB_SEARCH_DISCUSSION")
    assert [d.due_on for d in found] == [
        date(2026, 3, 16),
        date(2026, 3, 30),
        date(2026, 4, 13),
        date(2026, 4, 27),
        date(2026, 5, 11),
        date(2026, 5, 25),
    ]
    assert discussion_days(DAY, _weeks(2), _months(3))[-1] == date(2026, 5, 25)


def _weeks(n):
    from kaveri.rules.durations import Duration

    return Duration(n, "W")


def test_expected_decision_until_decided(net):
    application = benefits.record_application(net["client"], "SICKNESS_ALLOWANCE", DAY)
    [expected] = deadlines(net["client"], "EXPECTED_DECISION")
    assert expected.due_on == date(2026, 3, 23) == application.expected_decision_on
    assert expected.authority == "KELA"
    benefits.decide_application(application, net["orgs"]["KELA"], date(2026, 3, 20), "GRANTED")
    assert deadlines(net["client"], "EXPECTED_DECISION") == []


def test_information_request_answer_due_until_answered(net):
    application = benefits.record_application(net["client"], "SICKNESS_ALLOWANCE", DAY)
    request = benefits.request_information(application, date(2026, 3, 5), "Lääkärinlausunto B")
    [answer] = deadlines(net["client"], "INFORMATION_ANSWER")
    assert answer.due_on == request.due_on
    assert deadlines(net["client"], "EXPECTED_DECISION") == []
    benefits.answer_information_request(request, date(2026, 3, 10))
    assert deadlines(net["client"], "INFORMATION_ANSWER") == []


def test_continuation_application_one_processing_time_before_the_grant_ends(net):
    application = benefits.record_application(net["client"], "REHABILITATION_SUBSIDY", DAY)
    benefits.decide_application(
        application, net["orgs"]["KELA"], date(2026, 4, 1), "GRANTED", date(2026, 12, 31)
    )
    [continuation] = deadlines(net["client"], "CONTINUATION_APPLICATION")
    assert continuation.due_on == date(2026, 11, 12)  # 7 weeks before
    # The rules ask for a new statement B with the continuation of a rehabilitation subsidy.
    [statement] = deadlines(net["client"], "CONTINUATION_EVIDENCE")
    assert (statement.due_on, statement.facts["evidence"]) == (
        date(2026, 11, 12),
        "label:evidence:DOCTOR_B",
    )
    assert explain(statement, language="en") == (
        "Rehabilitation subsidy is granted until 31.12.2026; its continuation application "
        "needs a new Medical statement B by 12.11.2026."
    )
    benefits.record_application(net["client"], "REHABILITATION_SUBSIDY", date(2026, 11, 2))
    assert deadlines(net["client"], "CONTINUATION_APPLICATION") == []
    assert deadlines(net["client"], "CONTINUATION_EVIDENCE") == []


def test_the_rules_may_ask_for_a_continuation_earlier_than_the_processing_time(net, settings):
    from kaveri.rules import registry as rule_registry
    from kaveri.rules.durations import Duration

    rules = rule_registry.rules_of("fi-2026.1")
    subsidy = rules.benefits["REHABILITATION_SUBSIDY"]
    earlier = subsidy.model_copy(update={"continuation_asked_before_end": Duration(3, "M")})
    rules.benefits["REHABILITATION_SUBSIDY"] = earlier
    try:
        application = benefits.record_application(net["client"], "REHABILITATION_SUBSIDY", DAY)
        benefits.decide_application(
            application, net["orgs"]["KELA"], date(2026, 4, 1), "GRANTED", date(2026, 12, 31)
        )
        [continuation] = deadlines(net["client"], "CONTINUATION_APPLICATION")
        assert continuation.due_on == date(2026, 9, 30)
    finally:
        rules.benefits["REHABILITATION_SUBSIDY"] = subsidy


def test_a_benefit_without_continuation_asks_for_none(net):
    application = benefits.record_application(net["client"], "SICKNESS_ALLOWANCE", DAY)
    benefits.decide_application(
        application, net["orgs"]["KELA"], date(2026, 3, 20), "GRANTED", date(2026, 6, 30)
    )
    assert deadlines(net["client"], "CONTINUATION_APPLICATION") == []


def test_consent_expiry_until_revoked(net, settings):
    settings.KAVERI_TODAY = DAY
    consent = record_consent(
        net["client"],
        ConsentInput("TYP_WORK", ["BASIC"], ["SOC", "TYP"], DAY, date(2026, 12, 31), "IN_PERSON"),
        net["counsellor"],
        DAY,
    )
    [expiry] = deadlines(net["client"], "CONSENT_EXPIRY")
    assert expiry.due_on == date(2026, 12, 31)
    revoke_consent(consent, net["counsellor"], "Asiakas peruutti", date(2026, 3, 3))
    assert deadlines(net["client"], "CONSENT_EXPIRY") == []


def test_a_consent_without_an_end_has_no_expiry(net, settings):
    settings.KAVERI_TODAY = DAY
    record_consent(
        net["client"],
        ConsentInput("TYP_WORK", ["BASIC"], ["SOC", "TYP"], DAY, None, "IN_PERSON"),
        net["counsellor"],
        DAY,
    )
    assert deadlines(net["client"], "CONSENT_EXPIRY") == []


def test_the_stored_deadlines_are_what_the_facts_give_and_a_rebuild_changes_nothing(net):
    relationship = ready_for_rwa(net)
    rwa(net, relationship)
    benefits.record_application(net["client"], "SICKNESS_ALLOWANCE", DAY)

    def stored():
        return sorted(
            (d.kind, d.due_on, d.source_id) for d in Deadline.objects.filter(client=net["client"])
        )

    before = stored()
    computed = sorted(
        (d.kind, d.due_on, d.source_id)
        for d in deadlines_of(load_facts([net["client"].pk])[net["client"].pk])
    )
    assert before == computed
    Deadline.objects.all().delete()
    assert rebuild_deadlines() == len(before)
    assert stored() == before


def test_a_failed_operation_leaves_the_deadlines_as_they_were(net):
    relationship = soc_relationship(net)
    activation_plan(net, relationship)
    before = list(Deadline.objects.values_list("kind", "due_on"))
    with pytest.raises(RuleViolation):
        activation_plan(net, relationship)  # one plan of a type in force at a time
    assert list(Deadline.objects.values_list("kind", "due_on")) == before
