"""One test per number of the service model, read from both bundled rule sets: the one
for the world the source presentation describes (until 31.12.2024) and the one in force
from 1.1.2025. Where the 2025 reform changed the world, the test says which set."""

from datetime import date

import pytest

from kaveri.rules.durations import Duration
from kaveri.rules.registry import rules_of

SOURCE_WORLD, IN_FORCE = "fi-2024.1", "fi-2026.1"


@pytest.fixture(params=[SOURCE_WORLD, IN_FORCE])
def rules(request):
    return rules_of(request.param)


@pytest.fixture
def source_world():
    return rules_of(SOURCE_WORLD)


def months(text: str) -> Duration:
    return Duration.parse(text)


def test_three_pathways_and_six_processes(source_world):
    assert [p.code for p in source_world.data.pathways] == ["P1", "P2", "P3"]
    processes = [p.code for p in source_world.data.processes]
    assert processes == ["A1", "A2", "A3", "A4", "A5", "A6"]


def test_from_2025_no_municipal_trial_and_the_te_office_is_employment_services():
    in_force = rules_of(IN_FORCE)
    assert [p.code for p in in_force.data.processes] == ["A1", "A2", "A3", "A5", "A6"]
    assert "EMP_TRIAL_CLIENT" not in in_force.relationship_kinds
    assert in_force.processes["A3"].label.fi == "Työllisyyspalvelut"
    assert in_force.processes["A3"].formerly.fi == "TE-toimisto"
    assert not any(s.not_decided_by_municipal_trial for s in in_force.data.services)
    numbers = {s.number for s in in_force.data.statutes}
    assert {"380/2023", "381/2023", "675/2023"} <= numbers
    assert not {"916/2012", "1369/2014", "380/1987"} & numbers


def test_the_source_world_cites_the_laws_then_in_force(source_world):
    numbers = {s.number for s in source_world.data.statutes}
    assert {"916/2012", "1369/2014", "1269/2020", "380/1987"} <= numbers
    typ = source_world.authorities["TYP"].cites
    assert [c.statute for c in typ] == ["MULTISECTORAL_JOINT_SERVICE_ACT"]


def test_kela_certificate_a_is_a_certificate_and_b_c_are_statements(rules):
    label = {
        code: rules.evidence_types[code].label for code in ("DOCTOR_A", "DOCTOR_B", "DOCTOR_C")
    }
    assert label["DOCTOR_A"].fi == "Lääkärintodistus A" and label["DOCTOR_A"].sv == "Läkarintyg A"
    assert (
        label["DOCTOR_B"].fi == "Lääkärinlausunto B" and label["DOCTOR_B"].sv == "Läkarutlåtande B"
    )
    assert label["DOCTOR_C"].en == "Medical statement C"
    forms = [rules.evidence_types[c].form for c in ("DOCTOR_A", "DOCTOR_B", "DOCTOR_C")]
    assert forms == ["SV 6", "SV 7", "EV 256"]


def test_the_eight_hour_day_is_local_policy_not_law(rules):
    hours = rules.services["REHABILITATIVE_WORK_ACTIVITY"].intensity.hours_per_day
    assert (hours.min, hours.max, hours.max_is_local_policy) == (4, 8, True)


def test_social_rehabilitation_at_least_one_day_a_week(rules):
    days = rules.services["SOCIAL_REHABILITATION"].intensity.days_per_week
    assert days.min == 1


def test_rehabilitative_work_activity_one_to_four_days_at_least_four_hours(rules):
    intensity = rules.services["REHABILITATIVE_WORK_ACTIVITY"].intensity
    assert (intensity.days_per_week.min, intensity.days_per_week.max) == (1, 4)
    assert intensity.hours_per_day.min == 4


def test_rehabilitative_work_activity_decisions_3_to_6_months_within_legal_3_to_24(rules):
    period = rules.services["REHABILITATIVE_WORK_ACTIVITY"].decision_period
    assert (period.default.min, period.default.max) == (months("3M"), months("6M"))
    assert (period.legal.min, period.legal.max) == (months("3M"), months("24M"))


def test_rehabilitative_work_activity_continues_in_3_month_periods(rules):
    assert rules.services["REHABILITATIVE_WORK_ACTIVITY"].continuation_period == months("3M")


def test_rehabilitative_work_activity_compensation_9_eur_a_day(rules):
    compensation = rules.services["REHABILITATIVE_WORK_ACTIVITY"].day_compensation
    assert {c.code: str(c.eur_per_day) for c in compensation} == {
        "EXPENSE_COMPENSATION": "9.00",
        "ACTIVITY_ALLOWANCE": "9.00",
    }


def test_rehabilitative_work_activity_needs_registration_and_activation_plan(rules):
    assert rules.services["REHABILITATIVE_WORK_ACTIVITY"].requires == [
        "UNEMPLOYED_JOB_SEEKER",
        "ACTIVATION_PLAN_IN_FORCE",
    ]


def test_activation_plan_reviewed_every_3_to_12_months(rules):
    review = rules.plan_review("ACTIVATION_PLAN", "A1")
    assert (review.min, review.max) == (months("3M"), months("12M"))
    assert rules.plans["ACTIVATION_PLAN"].parties == ["SOC", "EMP", "CLIENT"]


def test_multisectoral_plan_reviewed_every_3_months(rules):
    assert rules.plan_review("MULTISECTORAL_PLAN", "A2").fixed == months("3M")


def test_te_office_employment_plan_every_3_months(rules):
    assert rules.plan_review("EMPLOYMENT_PLAN", "A3").fixed == months("3M")


def test_municipal_trial_employment_plan_every_3_to_12_months(source_world):
    review = source_world.plan_review("EMPLOYMENT_PLAN", "A4")
    assert (review.min, review.max) == (months("3M"), months("12M"))


def test_kela_processing_times_lie_within_7_days_and_3_months(rules):
    shortest, longest = rules.processing_span("KELA")
    assert shortest.approximate_days >= 7
    assert longest.approximate_days <= months("3M").approximate_days


def test_kela_published_processing_times(rules):
    expected = {
        "HOUSING_ALLOWANCE": "3W",
        "NATIONAL_PENSION": "5W",
        "DISABILITY_PENSION": "11W",
        "REHABILITATION_SUBSIDY": "7W",
        "KELA_REHABILITATION": "5W",
        "REHABILITATION_ALLOWANCE": "3W",
        "PARENTAL_ALLOWANCE": "5W",
        "SICKNESS_ALLOWANCE": "3W",
        "BASIC_SOCIAL_ASSISTANCE": "7WD",
    }
    assert {code: str(rules.benefits[code].processing_time) for code in expected} == expected


def test_basic_social_assistance_urgent_next_working_day_and_restart(rules):
    benefit = rules.benefits["BASIC_SOCIAL_ASSISTANCE"]
    assert str(benefit.urgent_processing_time) == "1WD"
    assert benefit.restarts_when_completed


def test_sickness_allowance_at_most_300_working_days(rules):
    assert str(rules.benefits["SICKNESS_ALLOWANCE"].max_duration) == "300WD"


def test_appeal_within_37_days_of_mailing(rules):
    for appeal in rules.data.appeals:
        total = appeal.presumed_receipt_after.amount + appeal.period_after_receipt.amount
        assert total == 37, appeal.code


def test_doctors_statements_forms(rules):
    forms = {code: rules.evidence_types[code].form for code in ("DOCTOR_A", "DOCTOR_B", "DOCTOR_C")}
    assert forms == {"DOCTOR_A": "SV 6", "DOCTOR_B": "SV 7", "DOCTOR_C": "EV 256"}


def test_typ_work_pair_is_one_employment_and_one_social_welfare_worker(rules):
    workers = rules.relationship_kinds["TYP_CLIENT"].workers
    assert sorted((w.from_, w.min, w.max) for w in workers) == [("EMP", 1, 1), ("SOC", 1, 1)]
    assert rules.relationship_kinds["TYP_CLIENT"].requires_consent
    assert rules.relationship_kinds["TYP_CLIENT"].closing_requires == [
        "FINAL_ASSESSMENT",
        "FEEDBACK_OFFERED",
    ]


def test_te_office_closure_reasons(rules):
    assert set(rules.relationship_kinds["EMP_CLIENT"].closure_reasons) >= {
        "EMPLOYED",
        "SICKNESS_OR_MATERNITY_ALLOWANCE",
        "RETIRED",
    }


def test_social_rehabilitation_may_end_by_moving_to_rehabilitative_work(rules):
    assert "MOVED_TO_RWA" in rules.services["SOCIAL_REHABILITATION"].end_reasons
    reason = next(r for r in rules.data.end_reasons if r.code == "MOVED_TO_RWA")
    assert reason.next_service == "REHABILITATIVE_WORK_ACTIVITY"


def test_nordic_job_seeker_model(rules):
    model = rules.data.job_seeker_model
    assert str(model.initial_interview_within) == "5WD"
    assert str(model.job_search_discussions_every) == "2W"
    assert model.applications_per_month_max == 4


def test_wage_subsidy_decided_on_employers_application_by_employment_services(rules):
    service = rules.services["WAGE_SUBSIDY_WORK"]
    assert service.granted_by == ["EMP"]
    assert service.decided_on_application_of == "EMPLOYER"


def test_social_work_notes_are_never_shared_outside(rules):
    notes = next(c for c in rules.data.data_categories if c.code == "SOCIAL_WORK_NOTES")
    assert notes.shared_outside == []


def test_every_step_has_labels_in_three_languages(rules):
    for flow in [*rules.data.pathways, *rules.data.processes]:
        for step in flow.steps:
            assert step.label.fi and step.label.sv and step.label.en


def test_kela_processing_step_text_is_derived_from_benefits(rules):
    step = next(s for s in rules.processes["A5"].steps if s.code == "PROCESSING")
    assert rules.timing_text(step.timing, "en") == "7 working days – 11 weeks"


def test_plan_review_dates_use_the_rule_interval(rules):
    review = rules.plan_review("MULTISECTORAL_PLAN", "A2")
    assert review.fixed.after(date(2026, 11, 30)) == date(2027, 2, 28)
