"""Each rule of SERVICE-MODEL sections 2 and 3 as a named check, through the operations."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from kaveri.access.roles import Role
from kaveri.casework import actions
from kaveri.consent.models import Consent
from kaveri.plans import actions as plan_actions
from kaveri.plans.actions import MeasureInput
from kaveri.rules.violations import RuleViolation
from kaveri.services import actions as service_actions

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 2)
# The municipal employment trials ran until 31.12.2024 (rule set fi-2024.1).
TRIAL_DAY = date(2024, 6, 3)


@pytest.fixture
def net(make_organisation, make_worker, make_client):
    orgs = {a: make_organisation(a) for a in ("SOC", "EMP", "TYP", "KELA", "PROVIDER")}
    orgs["TRIAL"] = make_organisation("EMP")
    orgs["TRIAL"].is_municipal_trial = True
    orgs["TRIAL"].save()
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, orgs["SOC"])
    official = make_worker(Role.EMPLOYMENT_OFFICIAL, orgs["EMP"])
    pair_emp = make_worker(Role.TYP_PAIR_MEMBER, orgs["TYP"])
    pair_emp.home_authority = "EMP"
    pair_emp.save()
    pair_soc = make_worker(Role.TYP_PAIR_MEMBER, orgs["TYP"])
    pair_soc.home_authority = "SOC"
    pair_soc.save()
    return {
        "orgs": orgs,
        "counsellor": counsellor,
        "official": official,
        "pair": (pair_emp, pair_soc),
        "client": make_client(),
    }


def violation(check: str, call, *args, **kwargs) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        call(*args, **kwargs)
    assert caught.value.check == check, caught.value.message
    return caught.value


def soc_relationship(net):
    return actions.open_relationship(
        net["client"],
        net["orgs"]["SOC"],
        "SOC_CLIENT",
        DAY,
        [("OWN_WORKER", net["counsellor"])],
        pathway="P3",
    )


def activation_plan(net, rel, months=6):
    return plan_actions.make_plan(
        net["client"],
        "ACTIVATION_PLAN",
        "A1",
        rel,
        [net["orgs"]["SOC"], net["orgs"]["EMP"]],
        DAY,
        months,
        [MeasureInput("REHABILITATIVE_WORK_ACTIVITY", "SOC")],
    )


def test_own_worker_is_named_at_social_welfare(net):
    violation(
        "named_workers_fit_the_kind",
        actions.open_relationship,
        net["client"],
        net["orgs"]["SOC"],
        "SOC_CLIENT",
        DAY,
        [],
    )
    rel = soc_relationship(net)
    assert rel.named_workers.get().role == "OWN_WORKER"


def test_typ_work_pair_is_one_employment_and_one_social_welfare_worker(net):
    Consent.objects.create(
        client=net["client"],
        purpose="TYP_WORK",
        data_categories=["BASIC"],
        authorities=["TYP", "EMP", "SOC"],
        valid_from=DAY,
        method="IN_PERSON",
    )
    pair_emp, pair_soc = net["pair"]
    message = violation(
        "named_workers_fit_the_kind",
        actions.open_relationship,
        net["client"],
        net["orgs"]["TYP"],
        "TYP_CLIENT",
        DAY,
        [("WORK_PAIR_EMPLOYMENT", pair_soc), ("WORK_PAIR_SOCIAL", pair_emp)],
    )
    assert "is not from" in message.message
    rel = actions.open_relationship(
        net["client"],
        net["orgs"]["TYP"],
        "TYP_CLIENT",
        DAY,
        [("WORK_PAIR_EMPLOYMENT", pair_emp), ("WORK_PAIR_SOCIAL", pair_soc)],
    )
    # Opened here, so recorded as made in Kaveri (not as imported from TYPPI).
    assert rel.named_workers.count() == 2 and rel.source_system == "KAVERI"


def test_typ_registration_needs_consent(net):
    pair_emp, pair_soc = net["pair"]
    violation(
        "consent_given_for_typ",
        actions.open_relationship,
        net["client"],
        net["orgs"]["TYP"],
        "TYP_CLIENT",
        DAY,
        [("WORK_PAIR_EMPLOYMENT", pair_emp), ("WORK_PAIR_SOCIAL", pair_soc)],
    )


def test_closing_typ_needs_final_assessment_and_feedback_offer(net):
    Consent.objects.create(
        client=net["client"],
        purpose="TYP_WORK",
        data_categories=["BASIC"],
        authorities=["TYP", "EMP", "SOC"],
        valid_from=DAY,
        method="IN_PERSON",
    )
    pair_emp, pair_soc = net["pair"]
    rel = actions.open_relationship(
        net["client"],
        net["orgs"]["TYP"],
        "TYP_CLIENT",
        DAY,
        [("WORK_PAIR_EMPLOYMENT", pair_emp), ("WORK_PAIR_SOCIAL", pair_soc)],
    )
    later = date(2026, 9, 1)
    violation(
        "typ_closure_has_final_assessment", actions.close_relationship, rel, later, "EMPLOYED"
    )
    actions.record_assessment(rel, later, pair_emp, "Works full time.", is_final=True)
    assert (
        violation(
            "typ_closure_has_final_assessment", actions.close_relationship, rel, later, "EMPLOYED"
        ).field
        == "feedback_offered"
    )
    actions.offer_feedback(rel, later, "Good service.")
    actions.close_relationship(rel, later, "EMPLOYED")
    assert rel.closed_on == later and not rel.named_workers.filter(to_date__isnull=True).exists()


def test_relationship_closes_only_for_a_reason_the_rules_allow(net):
    rel = soc_relationship(net)
    violation(
        "closure_reason_is_allowed",
        actions.close_relationship,
        rel,
        DAY,
        "MULTISECTORAL_NEED_ENDED",
    )
    actions.close_relationship(rel, DAY, "RETIRED")


def test_municipal_trial_relationship_only_at_a_trial(net):
    violation(
        "relationship_kind_fits_organisation",
        actions.open_relationship,
        net["client"],
        net["orgs"]["EMP"],
        "EMP_TRIAL_CLIENT",
        TRIAL_DAY,
        [("RESPONSIBLE_OFFICIAL", net["official"])],
    )


def test_after_the_trials_ended_a_former_trial_opens_ordinary_relationships(
    net, make_worker, make_client
):
    trial_official = make_worker(Role.EMPLOYMENT_OFFICIAL, net["orgs"]["TRIAL"])
    in_trial = actions.open_relationship(
        net["client"],
        net["orgs"]["TRIAL"],
        "EMP_TRIAL_CLIENT",
        TRIAL_DAY,
        [("RESPONSIBLE_OFFICIAL", trial_official)],
    )
    assert in_trial.ruleset_version == "fi-2024.1"
    violation(
        "relationship_kind_known",
        actions.open_relationship,
        make_client(),
        net["orgs"]["TRIAL"],
        "EMP_TRIAL_CLIENT",
        DAY,
        [("RESPONSIBLE_OFFICIAL", trial_official)],
    )
    ordinary = actions.open_relationship(
        make_client(),
        net["orgs"]["TRIAL"],
        "EMP_CLIENT",
        DAY,
        [("RESPONSIBLE_OFFICIAL", trial_official)],
    )
    assert ordinary.ruleset_version == "fi-2026.1"


def test_plan_review_interval_within_rule_bounds(net):
    rel = soc_relationship(net)
    violation("review_interval_within_bounds", activation_plan, net, rel, months=13)
    plan = activation_plan(net, rel, months=12)
    assert plan.review_interval == "12M" and plan.next_review_on == date(2027, 3, 2)


def test_te_office_plan_is_reviewed_every_3_months(net):
    rel = actions.open_relationship(
        net["client"],
        net["orgs"]["EMP"],
        "EMP_CLIENT",
        DAY,
        [("RESPONSIBLE_OFFICIAL", net["official"])],
    )
    violation(
        "review_interval_within_bounds",
        plan_actions.make_plan,
        net["client"],
        "EMPLOYMENT_PLAN",
        "A3",
        rel,
        [net["orgs"]["EMP"]],
        DAY,
        6,
        [MeasureInput("JOB_SEARCH", "EMP")],
    )


def test_plan_measures_must_fit_the_plan_type(net):
    rel = soc_relationship(net)
    violation(
        "measure_fits_the_plan",
        plan_actions.make_plan,
        net["client"],
        "ACTIVATION_PLAN",
        "A1",
        rel,
        [net["orgs"]["SOC"], net["orgs"]["EMP"]],
        DAY,
        6,
        [MeasureInput("ENTREPRENEURSHIP", "EMP")],
    )


def test_activation_plan_is_made_with_employment_services(net):
    rel = soc_relationship(net)
    violation(
        "plan_parties_present",
        plan_actions.make_plan,
        net["client"],
        "ACTIVATION_PLAN",
        "A1",
        rel,
        [net["orgs"]["SOC"]],
        DAY,
        6,
        [],
    )


def test_revising_a_plan_keeps_the_old_version(net):
    plan = activation_plan(net, soc_relationship(net))
    revised = plan_actions.revise_plan(
        plan, date(2026, 9, 1), 3, [MeasureInput("JOB_SEARCH", "EMP")]
    )
    plan.refresh_from_db()
    assert (plan.is_current, revised.is_current, revised.version) == (False, True, 2)
    assert revised.series == plan.series and plan.measures.get().measure == (
        "REHABILITATIVE_WORK_ACTIVITY"
    )
    assert revised.next_review_on == date(2026, 12, 1)
    violation("revise_current_version", plan_actions.revise_plan, plan, date(2026, 9, 2), 3, [])


def test_client_approval_and_acknowledgement(net):
    plan = activation_plan(net, soc_relationship(net))
    plan_actions.approve_plan(plan, DAY)
    measure = plan_actions.acknowledge_measure(plan.measures.get(), date(2026, 4, 1), "IN_PROGRESS")
    assert plan.client_approved_on == DAY and measure.client_acknowledged_on == date(2026, 4, 1)


def rwa(net, **overrides):
    kwargs = dict(
        decided_by=net["orgs"]["SOC"],
        decision_on=DAY,
        starts_on=date(2026, 3, 9),
        ends_on=date(2026, 6, 8),
        days_per_week=3,
        hours_per_day=Decimal("4"),
        provider=net["orgs"]["PROVIDER"],
    )
    return service_actions.decide_service(
        net["client"], "REHABILITATIVE_WORK_ACTIVITY", **(kwargs | overrides)
    )


def test_rehabilitative_work_needs_registration_then_activation_plan(net):
    rel = soc_relationship(net)
    violation("registered_job_seeker", rwa, net)
    actions.register_job_seeker(net["client"], net["orgs"]["EMP"], DAY)
    violation("activation_plan_in_force", rwa, net)
    activation_plan(net, rel)
    assert rwa(net).service == "REHABILITATIVE_WORK_ACTIVITY"


@pytest.fixture
def ready_for_rwa(net):
    rel = soc_relationship(net)
    actions.register_job_seeker(net["client"], net["orgs"]["EMP"], DAY)
    activation_plan(net, rel)
    return net


@pytest.mark.parametrize(
    ("days", "hours", "field", "message"),
    [
        (5, "4", "days_per_week", ": at most 4 days a calendar week by law; 5 was given."),
        (0, "4", "days_per_week", ": at least 1 day a calendar week by law; 0 was given."),
        (3, "3", "hours_per_day", ": at least 4 hours a day by law; 3 was given."),
        (
            3,
            "9",
            "hours_per_day",
            ": at most 8 hours a day in this region's rule set; 9 was given. "
            "The law sets no daily maximum: this is local policy.",
        ),
    ],
)
def test_intensity_outside_the_bounds_names_the_bound_broken(
    ready_for_rwa, days, hours, field, message
):
    problem = violation(
        "intensity_within_bounds",
        rwa,
        ready_for_rwa,
        days_per_week=days,
        hours_per_day=Decimal(hours),
    )
    assert problem.field == field
    assert problem.message.endswith(message), problem.message


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("3.5", "Rehabilitative work activity: at least 4 hours a day by law; 3.5 was given."),
        ("9", "at most 8 hours a day in this region's rule set; 9 was given."),
    ],
)
def test_a_participation_day_keeps_within_the_daily_bounds(ready_for_rwa, hours, message):
    episode = rwa(ready_for_rwa)
    problem = violation(
        "hours_within_bounds",
        service_actions.record_participation,
        episode,
        date(2026, 3, 9),
        True,
        Decimal(hours),
    )
    assert message in problem.message
    assert not episode.participation.exists()
    missed = service_actions.record_participation(episode, date(2026, 3, 9), False)
    assert missed.hours is None


def test_a_fifth_day_in_a_calendar_week_is_refused(ready_for_rwa):
    episode = rwa(ready_for_rwa)
    monday = date(2026, 3, 9)
    for offset in range(4):
        service_actions.record_participation(episode, monday + timedelta(days=offset), True)
    service_actions.record_participation(episode, monday + timedelta(days=4), False)
    problem = violation(
        "days_in_week_within_bounds",
        service_actions.record_participation,
        episode,
        monday + timedelta(days=5),
        True,
    )
    assert problem.message == (
        "Rehabilitative work activity: at most 4 days a calendar week by law; "
        "this would be day 5 of the week 9.3.–15.3.2026."
    )
    # Correcting a day already recorded is not a fifth day; the next Monday starts a new week.
    service_actions.record_participation(episode, monday, True, Decimal("5"))
    service_actions.record_participation(episode, monday + timedelta(days=7), True)
    assert episode.participation.filter(attended=True).count() == 5


def test_decision_within_the_legal_3_to_24_months(ready_for_rwa):
    violation("decision_period_within_legal_bounds", rwa, ready_for_rwa, ends_on=date(2026, 5, 8))
    violation("decision_period_within_legal_bounds", rwa, ready_for_rwa, ends_on=date(2028, 3, 9))


def test_only_social_welfare_grants_rehabilitative_work(ready_for_rwa):
    violation("service_granted_by", rwa, ready_for_rwa, decided_by=ready_for_rwa["orgs"]["EMP"])


def test_continues_in_3_month_periods(ready_for_rwa):
    first = rwa(ready_for_rwa)
    second = service_actions.continue_service(first, date(2026, 6, 1))
    assert (second.starts_on, second.ends_on) == (date(2026, 6, 9), date(2026, 9, 8))
    assert second.previous == first and first.end_reason == "PERIOD_ENDED"


def test_participation_compensation_and_period_report(ready_for_rwa):
    episode = rwa(ready_for_rwa)
    for day, attended in (
        (date(2026, 3, 9), True),
        (date(2026, 3, 10), False),
        (date(2026, 3, 11), True),
    ):
        service_actions.record_participation(episode, day, attended)
    violation(
        "participation_within_period",
        service_actions.record_participation,
        episode,
        date(2026, 3, 1),
        True,
    )
    report = service_actions.unemployment_period_report(
        episode, date(2026, 3, 1), date(2026, 3, 31)
    )
    assert report.days_attended == [date(2026, 3, 9), date(2026, 3, 11)]
    assert report.total_compensation == Decimal("18.00")


def test_social_rehabilitation_can_move_on_to_rehabilitative_work(net):
    episode = service_actions.decide_service(
        net["client"],
        "SOCIAL_REHABILITATION",
        net["orgs"]["SOC"],
        DAY,
        DAY,
        date(2026, 9, 1),
        days_per_week=1,
    )
    violation("end_reason_is_allowed", service_actions.end_episode, episode, DAY, "RETIRED")
    assert service_actions.end_episode(episode, date(2026, 5, 4), "MOVED_TO_RWA") == (
        "REHABILITATIVE_WORK_ACTIVITY"
    )


def test_social_rehabilitation_at_least_one_day_a_week(net):
    violation(
        "intensity_within_bounds",
        service_actions.decide_service,
        net["client"],
        "SOCIAL_REHABILITATION",
        net["orgs"]["SOC"],
        DAY,
        DAY,
        date(2026, 9, 1),
        days_per_week=0,
    )


def test_position_on_the_pathway_follows_the_records(net, rules):
    from kaveri.casework.position import CaseFacts, current_step

    rel = soc_relationship(net)
    pathway = rules.pathways["P3"]

    def facts(**changes):
        base = dict(
            relationship=rel,
            assessments=0,
            registered=False,
            plans=[],
            episodes=[],
            named_workers=1,
            typ_consent=False,
            today=rel.opened_on,
        )
        return CaseFacts(**(base | changes))

    assert pathway.steps[current_step(pathway, facts())].code == "ENTRY"
    assert pathway.steps[current_step(pathway, facts(assessments=1))].code == "ASSESSMENT"
    assert pathway.steps[current_step(pathway, facts(assessments=1, registered=True))].code == (
        "REGISTRATION"
    )
    plan = activation_plan(net, rel)
    assert (
        pathway.steps[
            current_step(pathway, facts(assessments=1, registered=True, plans=[plan]))
        ].code
        == "ACTIVATION_PLAN"
    )


def test_te_office_decides_training_and_wage_subsidy_not_the_trial(net):
    violation(
        "te_office_decides",
        service_actions.decide_service,
        net["client"],
        "TRAINING",
        net["orgs"]["TRIAL"],
        TRIAL_DAY,
        TRIAL_DAY,
        date(2024, 9, 1),
    )
    assert (
        service_actions.decide_service(
            net["client"], "TRAINING", net["orgs"]["EMP"], TRIAL_DAY, TRIAL_DAY, date(2024, 9, 1)
        ).service
        == "TRAINING"
    )


@pytest.mark.parametrize("service", ["TRAINING", "WAGE_SUBSIDY_WORK", "START_UP_GRANT"])
def test_from_2025_the_municipal_employment_authority_decides(net, service):
    """A4 until 2024: the TE office decided on training, start-up grant and wage subsidy,
    not the municipal trial; from 2025 the municipality's employment services decide."""
    problem = violation(
        "te_office_decides",
        service_actions.decide_service,
        net["client"],
        service,
        net["orgs"]["TRIAL"],
        TRIAL_DAY,
        TRIAL_DAY,
        date(2024, 9, 1),
    )
    assert problem.message.startswith("The TE office decides on ")
    decided = service_actions.decide_service(
        net["client"], service, net["orgs"]["TRIAL"], DAY, DAY, date(2026, 9, 1)
    )
    assert decided.ruleset_version == "fi-2026.1"


def test_a_case_begins_the_way_the_process_says(net):
    contact = actions.record_contact(net["client"], net["orgs"]["TYP"], DAY, "CLIENT", "PHONE")
    Consent.objects.create(
        client=net["client"],
        purpose="TYP_WORK",
        data_categories=["BASIC"],
        authorities=["TYP", "EMP", "SOC"],
        valid_from=DAY,
        method="IN_PERSON",
    )
    pair_emp, pair_soc = net["pair"]
    problem = violation(
        "entry_fits_the_process",
        actions.open_relationship,
        net["client"],
        net["orgs"]["TYP"],
        "TYP_CLIENT",
        DAY,
        [("WORK_PAIR_EMPLOYMENT", pair_emp), ("WORK_PAIR_SOCIAL", pair_soc)],
        contact=contact,
    )
    assert "Referral from Kela" in problem.message


def test_moving_on_from_social_rehabilitation_opens_pathway_p3(net):
    rel = actions.open_relationship(
        net["client"],
        net["orgs"]["SOC"],
        "SOC_CLIENT",
        DAY,
        [("OWN_WORKER", net["counsellor"])],
        pathway="P1",
    )
    episode = service_actions.decide_service(
        net["client"],
        "SOCIAL_REHABILITATION",
        net["orgs"]["SOC"],
        DAY,
        DAY,
        date(2026, 9, 1),
        days_per_week=1,
        relationship=rel,
    )
    service_actions.end_episode(episode, date(2026, 5, 4), "MOVED_TO_RWA")
    rel.refresh_from_db()
    assert rel.pathway == "P3"


def test_changing_the_own_worker_ends_the_previous_assignment(net, make_worker):
    rel = soc_relationship(net)
    successor = make_worker(Role.SOCIAL_COUNSELLOR, net["orgs"]["SOC"])
    actions.name_worker(rel, "OWN_WORKER", successor, date(2026, 5, 1))
    current = rel.named_workers.filter(to_date__isnull=True)
    assert [n.worker for n in current] == [successor]
    assert rel.named_workers.get(worker=net["counsellor"]).to_date == date(2026, 5, 1)
    violation(
        "named_workers_fit_the_kind",
        actions.name_worker,
        rel,
        "OWN_WORKER",
        net["official"],
        date(2026, 6, 1),
    )


def test_client_with_no_named_worker_can_be_given_one(net):
    rel = actions.open_relationship(net["client"], net["orgs"]["KELA"], "KELA_CLIENT", DAY, [])
    assert not rel.named_workers.exists()


@pytest.mark.parametrize(
    ("language", "hours", "message"),
    [
        (
            "fi",
            "9",
            "Kuntouttava työtoiminta: alueen sääntökokoelman mukaan enintään 8 tuntia päivässä; "
            "annettu 9. Laki ei aseta päivittäistä ylärajaa: raja on alueen oma linjaus.",
        ),
        (
            "sv",
            "3.5",
            "Arbetsverksamhet i rehabiliteringssyfte: enligt lag minst 4 timmar per dag; "
            "3,5 angavs.",
        ),
    ],
)
def test_the_bound_is_named_in_finnish_and_swedish(ready_for_rwa, language, hours, message):
    from django.utils import translation

    episode = rwa(ready_for_rwa)
    with translation.override(language):
        problem = violation(
            "hours_within_bounds",
            service_actions.record_participation,
            episode,
            date(2026, 3, 9),
            True,
            Decimal(hours),
        )
    assert problem.message == message
