"""The statistics counted ahead: the night's refresh keeps every table for the choices the
pages open with; the same call is answered from it, any other counts live; a kept figure
changed in the database is refused."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation
from django_q.models import Schedule

from kaveri.casework.models import ClientRelationship, ServiceNeedAssessment
from kaveri.statistics import tasks
from kaveri.statistics.filters import StatisticsFilters
from kaveri.statistics.forms import StatisticsForm
from kaveri.statistics.history import first_quarter_counted
from kaveri.statistics.materialised import stored
from kaveri.statistics.models import MaterialisedFigure
from kaveri.statistics.tasks import REFRESH_TASK, ensure_schedule, refresh_figures
from kaveri.statistics.waiting import waiting_table
from tests.conftest import login
from tests.test_statistics_waiting import coordinator, opened  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 5)  # the default period: 1.10.2025–30.9.2026; OPENED is 2.3.2026


DRAW_REPORT = tasks._draw_report


@pytest.fixture(autouse=True)
def no_report_drawn(monkeypatch):
    """The night's PDFs take seconds each; only the test of them draws them."""
    monkeypatch.setattr(tasks, "_draw_report", lambda day: None)


def default_choice():
    return StatisticsForm(None, TODAY).filters()


@pytest.fixture
def region(opened):  # noqa: F811
    for days in (10, 20, 30, 40, 50, 60):
        opened("P1", assessed_after=days)
    return opened


def test_the_refresh_keeps_the_default_tables_and_they_answer_the_same_call(region):
    message = refresh_figures(TODAY)
    assert message.startswith("2026-12-05:") and MaterialisedFigure.objects.count() > 10
    region("P1", assessed_after=70)  # counted only at the next refresh
    assert waiting_table(default_choice()).rows[0].opened == 6
    refresh_figures(TODAY)
    assert waiting_table(default_choice()).rows[0].opened == 7


def test_the_refresh_throws_away_what_the_last_one_kept_and_it_did_not_count_again(region):
    last_quarter = date(2026, 9, 30)  # the figures then were counted to 30.6.
    refresh_figures(last_quarter)
    kept_then = StatisticsForm(None, last_quarter).filters()
    by_pathway = ("pathway", "kind")
    assert stored(waiting_table.__wrapped__, (kept_then, by_pathway)) is not None
    refresh_figures(TODAY)
    assert stored(waiting_table.__wrapped__, (kept_then, by_pathway)) is None
    assert stored(waiting_table.__wrapped__, (default_choice(), by_pathway)) is not None


def test_the_figures_are_the_same_from_one_day_to_the_next(region):
    """Counted for the last day of the last quarter ended: the night's figures answer the
    days after it too (the same choice), and a step taken since counts from the next quarter."""
    tomorrow = StatisticsForm(None, TODAY + timedelta(days=1)).filters()
    assert tomorrow == default_choice() and tomorrow.day == date(2026, 9, 30)
    opened_before = ClientRelationship.objects.filter(opened_on=date(2026, 3, 2)).first()
    ServiceNeedAssessment.objects.filter(relationship=opened_before).update(
        assessed_on=TODAY  # today: after the day counted
    )
    assert waiting_table(tomorrow).rows[0].waits["assessment"].count == 5


def test_any_period_of_the_quarters_counted_ahead_is_answered_from_them(region):
    refresh_figures(TODAY)
    region("P1", assessed_after=70)  # opened 2.3.2026: counted only at the next refresh
    longer = replace(default_choice(), start=date(2025, 7, 1))  # no period offered
    assert waiting_table(longer).rows[0].opened == 6
    assert waiting_table(replace(longer, language="fi")).rows[0].opened == 6


def opened_in_2023(region, times: int) -> None:
    earlier = [region("P1", assessed_after=70).pk for _ in range(times)]
    ClientRelationship.objects.filter(pk__in=earlier).update(opened_on=date(2023, 11, 5))


def test_the_older_quarters_that_hold_records_are_counted_ahead_too(region):
    opened_in_2023(region, 5)
    refresh_figures(TODAY)
    assert first_quarter_counted(TODAY) == date(2023, 10, 1)  # before the years offered
    opened_in_2023(region, 1)  # counted only at the next refresh
    from_2023 = replace(default_choice(), start=date(2023, 10, 1))
    assert waiting_table(from_2023).rows[0].opened == 11


def test_the_quarters_older_than_the_history_counted_are_counted_live(region, settings):
    settings.KAVERI_STATISTICS_HISTORY_YEARS = 2
    opened_in_2023(region, 5)
    refresh_figures(TODAY)
    assert first_quarter_counted(TODAY) == date(2024, 1, 1)
    opened_in_2023(region, 1)
    from_2023 = replace(default_choice(), start=date(2023, 10, 1))
    assert waiting_table(from_2023).rows[0].opened == 12  # 2023's quarter live, the rest kept


def test_a_narrowing_of_the_default_period_is_answered_from_the_period_counted_ahead(region):
    refresh_figures(TODAY)
    region("P1", assessed_after=70, language="sv")  # counted only at the next refresh
    finnish = replace(default_choice(), language="fi")
    assert waiting_table(finnish).rows[0].opened == 6
    assert waiting_table(replace(default_choice(), language="sv")).rows == []
    refresh_figures(TODAY)
    assert waiting_table(default_choice()).rows[0].opened == 7
    assert waiting_table(finnish).rows[0].opened is None  # 7 - 6 would be the one in Swedish


def test_a_kept_figure_changed_in_the_database_is_refused_and_counted_again(region):
    refresh_figures(TODAY)
    region("P1", assessed_after=70)
    MaterialisedFigure.objects.update(value=b"tampered")  # whatever it holds, unsigned
    assert waiting_table(default_choice()).rows[0].opened == 7
    assert stored(waiting_table.__wrapped__, (default_choice(), ("pathway", "kind"))) is None


def test_the_refresh_is_scheduled_daily():
    ensure_schedule()
    schedule = Schedule.objects.get(func=REFRESH_TASK)
    assert schedule.schedule_type == Schedule.DAILY and schedule.repeats == -1


def test_the_pages_say_when_the_figures_were_counted(client, coordinator, region, settings):  # noqa: F811
    settings.KAVERI_TODAY = TODAY
    refresh_figures(TODAY)
    login(client, coordinator)
    text = client.get(reverse("statistics:waiting")).content.decode()
    assert "were counted ahead at" in text and "The quarters from 1.1.2024 to 30.9.2026" in text


def test_the_demo_queues_the_same_task_the_schedule_runs():
    from kaveri.demo.management.commands.demo import STATISTICS_TASK

    assert STATISTICS_TASK == REFRESH_TASK


def test_a_page_counts_a_period_once_however_many_tables_read_it(
    client,
    coordinator,  # noqa: F811
    region,
    settings,
    monkeypatch,
):
    from kaveri.statistics import waiting

    settings.KAVERI_TODAY = TODAY
    counted = []
    original = waiting.waiting_days
    monkeypatch.setattr(
        waiting, "waiting_days", lambda *args: counted.append(args) or original(*args)
    )
    login(client, coordinator)
    response = client.get(reverse("statistics:waiting"), {"start": "2025-07-01"})
    assert response.status_code == 200
    quarters = [(period.start, period.end) for (period, *_fields) in counted]
    # the tables by pathway and by organisation read one count of each quarter
    assert quarters == [(date(2025, 7, 1), date(2025, 9, 30)), *quarters[1:]]
    assert len(quarters) == len(set(quarters)) == 5


def test_the_report_for_the_default_choices_is_drawn_at_night(
    client,
    coordinator,  # noqa: F811
    region,
    settings,
    monkeypatch,
):
    pytest.importorskip("weasyprint", exc_type=OSError)  # no Pango on this machine
    from kaveri.statistics.pdf import drawn_report

    settings.KAVERI_TODAY = TODAY
    monkeypatch.setattr(tasks, "_draw_report", DRAW_REPORT)
    refresh_figures(TODAY)
    for language in ("fi", "sv", "en"):
        assert stored(drawn_report.__wrapped__, (default_choice(), TODAY, language)) is not None
    login(client, coordinator)
    with translation.override("sv"):
        response = client.get(reverse("statistics:report"))
    assert response.content == stored(drawn_report.__wrapped__, (default_choice(), TODAY, "sv"))


def test_a_narrowing_of_a_whole_year_offered_is_answered_from_the_night_s_count(region):
    ClientRelationship.objects.update(opened_on=date(2025, 5, 5))
    refresh_figures(TODAY)
    region("P1", assessed_after=70)  # counted only at the next refresh
    ClientRelationship.objects.update(opened_on=date(2025, 5, 5))
    year = StatisticsFilters(date(2025, 1, 1), date(2025, 12, 31), default_choice().day)
    assert waiting_table(replace(year, language="fi")).rows[0].opened == 6
    a_custom_period = replace(year, start=date(2025, 4, 1), language="fi")
    assert waiting_table(a_custom_period).rows[0].opened == 6  # of the same quarters


def test_the_pages_offer_the_periods_counted_ahead_with_the_choices_kept(
    client,
    coordinator,  # noqa: F811
    settings,
):
    settings.KAVERI_TODAY = TODAY
    login(client, coordinator)
    text = client.get(reverse("statistics:flows"), {"language": "sv"}).content.decode()
    offered = text[text.index('class="offered-periods"') :]
    offered = offered[: offered.index("</nav>")]
    for start, end in (("1.10.2025", "30.9.2026"), ("1.1.2025", "31.12.2025")):
        assert f"?language=sv&amp;start={start}&amp;end={end}" in offered
    assert "start=1.1.2024" in offered and "start=1.1.2023" not in offered  # two years
    assert offered.count('aria-current="page"') == 1  # the default period, as opened
