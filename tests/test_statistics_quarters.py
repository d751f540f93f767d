"""A period's figures are the sum of its quarters': nothing a record is counted by depends on
the period, so the night's quarters answer any period of them. The quarter under way is not
counted at all."""

from array import array
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.urls import reverse

from kaveri.casework.models import ClientRelationship
from kaveri.people.models import Client
from kaveri.rules.registry import rules_on
from kaveri.services.models import ServiceEpisode
from kaveri.statistics.durations import tally_services
from kaveri.statistics.filters import StatisticsFilters
from kaveri.statistics.flows import counted_flows
from kaveri.statistics.outcomes import outcome_cube
from kaveri.statistics.quarters import merged
from kaveri.statistics.waiting import pathway_waits, waiting_table
from tests.conftest import login
from tests.test_statistics_waiting import (  # noqa: F401 (fixtures)
    COUNTED_ON,
    PERIOD,
    coordinator,
    opened,
)

pytestmark = pytest.mark.django_db


def comparable(value):
    """A count's result with its days in order: one query and four return them in turns."""
    if isinstance(value, array):
        return sorted(value)
    if isinstance(value, Counter):
        return +value
    if isinstance(value, dict):
        return {key: comparable(v) for key, v in value.items()}
    if isinstance(value, tuple | list):
        return [comparable(v) for v in value]
    return value


def in_one_query(count, *args):
    """The count of the whole period at once, not quarter by quarter."""
    return count.__wrapped__(*args)


@pytest.fixture
def a_year(opened):  # noqa: F811
    """Relationships opened in each quarter of 2026, each taking steps in the next, some
    closed, and a service ending in one quarter with the next beginning in another."""
    for month in (2, 5, 8, 11):
        for i in range(6):
            relationship = opened("P1", assessed_after=40 + i, planned_after=80, served_after=95)
            ClientRelationship.objects.filter(pk=relationship.pk).update(
                opened_on=date(2026, month, 10)
            )
            if i < 2:
                ClientRelationship.objects.filter(pk=relationship.pk).update(
                    closed_on=date(2026, month, 28), closure_reason="EMPLOYED", state="CLOSED"
                )
    ServiceEpisode.objects.update(
        ended_on=date(2026, 6, 29), end_reason="PERIOD_ENDED", state="ENDED"
    )
    for episode in ServiceEpisode.objects.all()[:3]:  # the next begins in the next quarter
        episode.pk, episode.ended_on, episode.end_reason, episode.state = None, None, "", "DECIDED"
        episode.decision_on = episode.starts_on = date(2026, 7, 15)
        episode.save()


def test_the_quarters_joined_are_the_period_counted_at_once(a_year):
    year = StatisticsFilters(date(2026, 1, 1), date(2026, 12, 31), COUNTED_ON)
    rules = rules_on(year.end)
    assert comparable(pathway_waits(year)) == comparable(in_one_query(pathway_waits, year))
    assert comparable(counted_flows(rules, year)) == comparable(
        in_one_query(counted_flows, rules, year)
    )
    assert comparable(outcome_cube(year)) == comparable(in_one_query(outcome_cube, year))
    assert comparable(tally_services(year)) == comparable(in_one_query(tally_services, year))


def test_a_period_is_cut_into_its_calendar_quarters():
    period = StatisticsFilters(date(2025, 7, 1), date(2026, 3, 31), COUNTED_ON)
    assert [(q.start, q.end, q.day) for q in period.calendar_quarters()] == [
        (date(2025, 7, 1), date(2025, 9, 30), COUNTED_ON),
        (date(2025, 10, 1), date(2025, 12, 31), COUNTED_ON),
        (date(2026, 1, 1), date(2026, 3, 31), COUNTED_ON),
    ]


def test_joining_adds_nothing_twice_and_refuses_a_cell_counted_in_two_quarters():
    first = {"P1": ({(date(2026, 1, 1),): Counter(a=1)}, {(date(2026, 1, 1),): array("i", [3])})}
    second = {"P1": ({(date(2026, 4, 1),): Counter(a=2)}, {(date(2026, 4, 1),): array("i", [5])})}
    joined = merged([first, second])
    assert joined["P1"][0] == {(date(2026, 1, 1),): Counter(a=1), (date(2026, 4, 1),): Counter(a=2)}
    assert first["P1"][0] == {(date(2026, 1, 1),): Counter(a=1)}  # the parts are left as they were
    with pytest.raises(TypeError):
        merged([{"x": object()}, {"x": object()}])


def test_the_age_group_is_the_age_at_the_end_of_the_year_of_the_event(opened):  # noqa: F811
    # Born 20.12.2001: 24 on 2.3.2026, when opened, but 25 at the end of 2026.
    for days in (10, 20, 30, 40, 50):
        relationship = opened("P1", assessed_after=days)
        Client.objects.filter(pk=relationship.client_id).update(birth_date=date(2001, 12, 20))
    assert waiting_table(replace(PERIOD, age_group="25-34")).rows[0].opened == 5
    assert waiting_table(replace(PERIOD, age_group="18-24")).rows == []


def test_the_quarter_under_way_is_not_counted(client, coordinator, settings):  # noqa: F811
    settings.KAVERI_TODAY = date(2026, 12, 5)
    login(client, coordinator)
    chosen = {"start": "1.1.2026", "end": "5.12.2026"}
    page = client.get(reverse("statistics:waiting"), chosen).content.decode()
    assert "The quarter under way is not counted" in page and "ends by 30.9.2026" in page
    download = client.get(reverse("statistics:export", args=["waiting", "csv"]), chosen)
    assert download.status_code == 400 and "ends by 30.9.2026" in download.content.decode()
    api = client.get("/api/v1/statistics/waiting", {"start": "2026-01-01", "end": "2026-12-05"})
    assert api.status_code == 422 and "30.9.2026" in api.json()["detail"]
    ended = client.get(reverse("statistics:waiting"), {"start": "1.1.2026", "end": "30.9.2026"})
    assert "The quarter under way" not in ended.content.decode()


def test_a_period_before_the_history_counted_is_refused(client, coordinator, settings):  # noqa: F811
    # each quarter is a count of its own: a period from 1900 would be four hundred of them
    settings.KAVERI_TODAY, settings.KAVERI_STATISTICS_HISTORY_YEARS = date(2026, 12, 5), 10
    login(client, coordinator)
    chosen = {"start": "1.1.1900", "end": "30.9.2026"}
    download = client.get(reverse("statistics:export", args=["waiting", "csv"]), chosen)
    assert download.status_code == 400
    assert "counted from 1.1.2016" in download.content.decode()
    allowed = client.get(
        reverse("statistics:export", args=["waiting", "csv"]), chosen | {"start": "1.1.2016"}
    )
    assert allowed.status_code == 200


def test_a_wait_ends_only_on_a_step_taken_by_the_day_counted(opened):  # noqa: F811
    for days in (10, 20, 30, 40, 50):
        opened("P1", served_after=days)
    a_service_decided_ahead = opened("P1", served_after=300)  # begins after the day counted
    starts_on = ServiceEpisode.objects.get(relationship=a_service_decided_ahead).starts_on
    assert starts_on > date(2026, 12, 1)
    on_the_first = replace(PERIOD, day=date(2026, 12, 1))
    (p1,) = waiting_table(on_the_first).rows
    assert p1.opened == 6 and p1.waits["service"].count == 5
    assert (
        waiting_table(replace(on_the_first, day=starts_on + timedelta(days=1)))
        .rows[0]
        .waits["service"]
        .count
        == 6
    )
