"""Decision times as they were: refreshed per benefit, shown to the coordinator beside the
target and to a client waiting for a decision of the same kind, only from enough cases."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from kaveri.access.roles import Role
from kaveri.benefits.models import Application, ObservedProcessingTime
from kaveri.benefits.observed import refresh_observed
from kaveri.portal.views import observed_span
from tests.conftest import login

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 30)
BENEFIT = "SICKNESS_ALLOWANCE"  # target 3 weeks


@pytest.fixture
def decided(make_client, rules):
    def make(days: int, decided_on: date = DAY - timedelta(days=10), urgent=False, **extra):
        return Application.objects.create(
            client=extra.pop("client", None) or make_client(),
            benefit=extra.pop("benefit", BENEFIT),
            submitted_on=decided_on - timedelta(days=days),
            decided_on=decided_on,
            status="DECIDED",
            outcome="GRANTED",
            urgent=urgent,
            ruleset_version=rules.version,
            **extra,
        )

    return make


def test_the_spread_of_the_last_twelve_months_decisions_beside_the_target(decided):
    for days in range(11, 31):  # 20 decisions, 11 to 30 days
        decided(days)
    decided(200, decided_on=DAY - timedelta(days=400))  # outside the twelve months
    decided(90, urgent=True)  # urgent: a target of its own
    refresh_observed(DAY)
    row = ObservedProcessingTime.objects.get(benefit=BENEFIT)
    assert (row.decisions, row.p10_days, row.median_days, row.p90_days) == (20, 12, 20, 28)
    assert row.within_target == 11  # 11 to 21 days: within three weeks
    assert row.window_start == date(2025, 11, 30)


def test_the_processing_time_runs_from_completion_where_the_application_was_completed(decided):
    for _ in range(20):
        decided(40, completed_on=DAY - timedelta(days=24))
    refresh_observed(DAY)
    assert ObservedProcessingTime.objects.get(benefit=BENEFIT).median_days == 14


def test_too_few_decisions_give_a_count_and_no_figure(decided):
    for days in range(11, 30):  # 19
        decided(days)
    refresh_observed(DAY)
    row = ObservedProcessingTime.objects.get(benefit=BENEFIT)
    assert row.decisions == 19 and row.median_days is None and row.p90_days is None


def test_the_span_reads_in_days_or_weeks():
    row = ObservedProcessingTime(p10_days=20, p90_days=36)
    assert observed_span(row) == "3 to 5 weeks"
    assert observed_span(ObservedProcessingTime(p10_days=10, p90_days=16)) == "10 to 16 days"
    assert observed_span(ObservedProcessingTime(p10_days=7, p90_days=7)) == "7 days"
    assert observed_span(None) == ""


def test_a_client_waiting_for_a_decision_reads_how_long_such_decisions_have_taken(
    client, decided, make_client, django_user_model, rules, settings
):
    settings.KAVERI_TODAY = DAY
    for days in range(20, 40):
        decided(days)
    refresh_observed(DAY)
    user = django_user_model.objects.create_user("odottaja", password="x-Salasana-2026")
    person = make_client(user=user)
    Application.objects.create(
        client=person,
        benefit=BENEFIT,
        submitted_on=DAY - timedelta(days=3),
        expected_decision_on=DAY + timedelta(days=18),
        ruleset_version=rules.version,
    )
    client.force_login(user)
    page = client.get(reverse("portal")).content.decode()
    assert "Most decisions of this kind in your region (8 in 10) have come in 3 to 5 weeks." in page
    finnish = client.get("/fi/portal/").content.decode()
    assert "ovat tulleet 3–5 viikon kuluessa." in finnish


IN_PERIOD = date(2026, 8, 20)  # in the default period on DAY: 1.10.2025-30.9.2026


def test_the_coordinator_sees_the_decision_times_beside_the_targets(
    client, decided, make_worker, settings
):
    settings.KAVERI_TODAY = DAY
    for days in range(11, 31):
        decided(days, decided_on=IN_PERIOD)
    decided(200, decided_on=date(2026, 10, 5))  # after the period
    login(client, make_worker(Role.COORDINATOR))
    page = client.get(reverse("statistics:waiting")).content.decode()
    row = page[page.index("Decision times, days") :]
    row = row[row.index("Sickness allowance") :][:600]
    assert "<td>20</td><td>20</td><td>28</td><td>3 weeks</td><td>55 %</td>" in row

    download = client.get(reverse("statistics:export", args=["decision-times", "csv"]))
    lines = download.content.decode("utf-8-sig").splitlines()
    assert "Sickness allowance;Kela;20;20;28;3 weeks;55" in lines


def test_the_coordinator_s_decision_times_narrow_and_give_no_one_away(decided, make_client):
    from kaveri.rules.registry import rules_on
    from kaveri.statistics.decisions import decision_table
    from kaveri.statistics.filters import StatisticsFilters, default_period

    for days in range(11, 31):
        decided(days, decided_on=IN_PERIOD, client=make_client(language="fi"))
    for days in (60, 61):  # two in Swedish: the whole minus the Finnish would be them
        decided(days, decided_on=IN_PERIOD, client=make_client(language="sv"))
    rules = rules_on(DAY)
    period = StatisticsFilters(*default_period(DAY), DAY)
    (everyone,) = decision_table(period, rules)
    assert (everyone.decisions, everyone.median) == (22, 21)
    (finnish,) = decision_table(StatisticsFilters(*default_period(DAY), DAY, language="fi"), rules)
    assert finnish.decisions is None and finnish.median is None  # 22 - 20 = 2
    swedish = StatisticsFilters(*default_period(DAY), DAY, language="sv")
    assert decision_table(swedish, rules)[0].decisions is None
