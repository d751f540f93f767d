"""Bottlenecks: the longest waits and the highest drop-outs, ranked over the last twelve
months, each with its trend month by month, no month resting on fewer than five."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from kaveri.casework.models import ClientRelationship
from kaveri.rules.registry import get_rules
from kaveri.statistics.bottlenecks import (
    drop_out_bottlenecks,
    trend_period,
    wait_bottlenecks,
)
from kaveri.statistics.drawing import sparkline
from kaveri.statistics.filters import StatisticsFilters
from tests.conftest import login
from tests.test_statistics_waiting import OPENED, coordinator, opened  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

CHOSEN = StatisticsFilters(start=date(2026, 10, 1), end=date(2026, 11, 30), day=date(2026, 11, 30))


def trend():
    period = trend_period(CHOSEN, get_rules())
    return period, period.months()


@pytest.fixture
def region(opened):  # noqa: F811
    for days in (10, 20, 30, 40, 50, 60):
        opened("P1", assessed_after=days)
    for days in (100, 110, 120, 130, 140):
        opened("P2", assessed_after=days)
    for _ in range(5):  # P3: assessed, then five of ten closed without a plan
        relationship = opened("P3", assessed_after=5)
        ClientRelationship.objects.filter(pk=relationship.pk).update(
            closed_on=date(2026, 6, 1), closure_reason="CLIENT_QUIT", state="CLOSED"
        )
    for _ in range(5):
        opened("P3", assessed_after=5, planned_after=10)


def test_the_trend_is_the_twelve_months_to_the_end_of_the_period():
    period, months = trend()
    assert (period.start, period.end) == (date(2025, 12, 1), date(2026, 11, 30))
    assert len(months) == 12 and months[3] == OPENED.replace(day=1)


def test_the_longest_waits_come_first_with_their_month(region):
    period, months = trend()
    ranked = wait_bottlenecks(period, months)
    first, second, third, fourth = ranked[:4]
    assert (first.group, first.step, first.figure, first.people) == ("P2", "assessment", 120, 5)
    assert (second.group, second.step, second.figure) == ("P1", "assessment", 30)
    assert (third.group, third.step, third.figure) == ("P3", "plan", 10)
    assert (fourth.group, fourth.step, fourth.figure, fourth.people) == ("P3", "assessment", 5, 10)
    march = months.index(OPENED.replace(day=1))
    assert first.trend[march] == 120
    assert all(value is None for i, value in enumerate(first.trend) if i != march)


def later(relationship, opened_on: date) -> None:
    ClientRelationship.objects.filter(pk=relationship.pk).update(opened_on=opened_on)


def test_a_month_of_fewer_than_five_shows_no_median(region, opened):  # noqa: F811
    period, months = trend()
    for days in (1, 2):  # two in April, between March's five and May's
        later(opened("P2", assessed_after=days), date(2026, 4, 6))
    for days in (3, 4, 5, 6, 7):
        later(opened("P2", assessed_after=days), date(2026, 5, 4))
    p2 = next(b for b in wait_bottlenecks(period, months) if b.group == "P2")
    assert p2.people == 12 and p2.figure == 6  # 1, 2, ... 7, 100, ... 140
    april, may = months.index(date(2026, 4, 1)), months.index(date(2026, 5, 1))
    assert p2.trend[april] is None and p2.trend[may] == 5


def test_a_quarter_at_either_end_with_a_few_hides_the_whole_figure(region, opened):  # noqa: F811
    period, months = trend()
    for days in (1, 2):  # a period without June to August would give these two away
        later(opened("P2", assessed_after=days), date(2026, 7, 6))
    assert all(b.group != "P2" for b in wait_bottlenecks(period, months))


def test_the_highest_drop_out_is_first(region):
    period, months = trend()
    ranked = drop_out_bottlenecks(get_rules(), period, months)
    top = ranked[0]
    assert top.group == "P3" and top.figure == 50 and top.people == 10
    assert get_rules().pathways["P3"].steps[int(top.step)].code == "ASSESSMENT"
    assert top.trend[months.index(OPENED.replace(day=1))] == 50


def test_a_share_is_not_shown_where_it_would_give_a_few_away(opened):  # noqa: F811
    for i in range(7):
        relationship = opened("P3", assessed_after=5)
        if i < 2:  # two of seven closed: 29 % and seven reached would say two
            ClientRelationship.objects.filter(pk=relationship.pk).update(
                closed_on=date(2026, 6, 1), closure_reason="CLIENT_QUIT", state="CLOSED"
            )
    period, months = trend()
    assert all(b.group != "P3" for b in drop_out_bottlenecks(get_rules(), period, months))


def test_the_sparkline_breaks_where_a_month_is_withheld():
    drawn = sparkline([10, 20, None, 5, None, None, 40])
    assert len(drawn.segments) == 1 and len(drawn.dots) == 2
    assert drawn.segments[0].count(",") == 2


def test_the_page_and_the_downloads(client, coordinator, region):  # noqa: F811
    login(client, coordinator)
    query = {"start": "1.10.2026", "end": "30.11.2026"}
    page = client.get(reverse("statistics:bottlenecks"), query)
    assert page.status_code == 200
    text = page.content.decode()
    assert "The longest waits" in text and 'class="sparkline"' in text
    assert "Month by month, 1/2026: withheld" in text  # the quarter of 30.11. ends in December
    download = client.get(reverse("statistics:export", args=["bottleneck-waits", "csv"]), query)
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Rank", "Pathway or process", "Step", "median days", "reached"]
    assert rows[0][5] == "1/2026" and rows[0][-1] == "12/2026"
    assert rows[1][:5] == ["1", rows[1][1], "To the service need assessment", "120", "5"]
    api = client.get("/api/v1/statistics/bottleneck-drop-outs", {"end": "2026-11-30"})
    assert api.status_code == 200 and api.json()["rows"][0][3] == 50
