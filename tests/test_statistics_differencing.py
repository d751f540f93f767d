"""Two tables must not give away by their difference what each withholds: a narrowing
against the whole, every value of a narrowing against the whole, and a period against the
same period shorter by whole months. Tables built to leak, then every table a coordinator
could ask for of a small region, attacked."""

import itertools
import random
from dataclasses import replace
from datetime import date

import pytest

from kaveri.casework.models import ClientRelationship
from kaveri.people.models import Client
from kaveri.rules.registry import rules_on
from kaveri.statistics.differencing import ALL
from kaveri.statistics.filters import AGE_GROUPS, StatisticsFilters
from kaveri.statistics.flows import pathway_flows
from kaveri.statistics.forms import StatisticsForm
from kaveri.statistics.outcomes import OutcomeTable, outcome_table
from kaveri.statistics.suppression import is_small
from kaveri.statistics.waiting import STEPS, Wait, WaitingTable, waiting_table
from tests.test_statistics_waiting import PERIOD, opened  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

# Born so that at the end of 2025 and of 2026 the client is in the age group.
BORN = {"18-24": date(2004, 6, 1), "25-34": date(1995, 6, 1), "35-49": date(1985, 6, 1)}
BORN["50-"] = date(1965, 6, 1)


def closed(
    opened,  # noqa: F811
    times,
    reason="EMPLOYED",
    on=date(2026, 9, 1),
    age_group="",
    opened_on=date(2025, 12, 1),
    **client,
):
    for _ in range(times):
        relationship = opened("P1", **client)
        ClientRelationship.objects.filter(pk=relationship.pk).update(
            opened_on=opened_on, closed_on=on, closure_reason=reason, state="CLOSED"
        )
        if age_group:
            Client.objects.filter(pk=relationship.client_id).update(birth_date=BORN[age_group])


def outcome_figures(table: OutcomeTable) -> dict[tuple, int | None]:
    """Every figure a reader sees, by its key: cells, row and column totals, the total."""
    shown = table.shown
    figures = {(ALL, ALL): shown.total}
    for group, cells, total in zip(table.groups, shown.cells, shown.row_totals, strict=True):
        figures[(group, ALL)] = total
        figures.update({(group, r): v for r, v in zip(table.reasons, cells, strict=True)})
    figures.update({(ALL, r): v for r, v in zip(table.reasons, shown.column_totals, strict=True)})
    return figures


def waiting_figures(table: WaitingTable) -> dict[tuple, int | None]:
    figures = {(ALL, "opened"): table.total_opened}
    figures.update({(ALL, step): table.total_waits[step].count for step in STEPS})
    for row in table.rows:
        figures[(row.group, "opened")] = row.opened
        figures.update({(row.group, step): row.waits[step].count for step in STEPS})
    return figures


def flows_of(choice: StatisticsFilters):
    return pathway_flows(rules_on(choice.end), choice, "en")


def flow_figures(flows) -> dict[tuple, int | None]:
    figures = {}
    for flow in flows:
        figures[(flow.code, "opened")] = flow.opened
        for i, step in enumerate(flow.steps):
            figures.update({(flow.code, i, "reached"): step.reached})
            figures.update({(flow.code, i, "went_on"): step.went_on})
            figures.update({(flow.code, i, "closed"): step.closed_here})
    return figures


def filters(start=PERIOD.start, end=PERIOD.end, **narrowing) -> StatisticsFilters:
    return StatisticsFilters(start=start, end=end, day=PERIOD.day, **narrowing)


def test_a_narrowing_that_leaves_out_a_few_shows_neither_the_count_nor_its_days(opened):  # noqa: F811
    for days in (10, 20, 30, 40, 50, 60):
        opened("P1", assessed_after=days, language="sv")
    for days in (70, 80):
        opened("P1", assessed_after=days, language="fi")
    whole = waiting_table(filters())
    assert whole.rows[0].opened == 8
    swedish = waiting_table(filters(language="sv"))
    # 8 - 6 would be the two Finnish speakers, and their waits the difference in the spread
    assert swedish.rows[0].opened is None and swedish.total_opened is None
    assert swedish.rows[0].waits["assessment"] == Wait(None, None, None)
    assert waiting_table(filters(language="fi")).rows[0].opened is None


def test_every_value_of_a_narrowing_against_the_whole_reveals_no_small_one(opened):  # noqa: F811
    for age_group, times in (("18-24", 6), ("25-34", 7), ("35-49", 8), ("50-", 2)):
        closed(opened, times, age_group=age_group)
    assert outcome_figures(outcome_table(filters()))[("P1", "EMPLOYED")] == 23
    by_age = {
        age_group: outcome_figures(outcome_table(filters(age_group=age_group)))
        for age_group in AGE_GROUPS
    }
    hidden = [a for a, figures in by_age.items() if figures.get(("P1", "EMPLOYED")) is None]
    # the whole minus three groups would be the fourth: two are withheld, the two smallest
    assert hidden == ["18-24", "50-"]


def test_a_period_a_quarter_shorter_does_not_reveal_the_quarter_left_out(opened):  # noqa: F811
    closed(opened, 6, on=date(2026, 1, 15))
    closed(opened, 2, on=date(2026, 4, 15))
    half_year = outcome_figures(outcome_table(filters(date(2026, 1, 1), date(2026, 6, 30))))
    first_quarter = outcome_table(filters(date(2026, 1, 1), date(2026, 3, 31)))
    assert outcome_figures(first_quarter)[("P1", "EMPLOYED")] == 6
    assert half_year[("P1", "EMPLOYED")] is None
    assert half_year[(ALL, ALL)] is None


def test_a_narrowing_dropped_and_a_period_moved_at_once_reveal_no_small_count(opened):  # noqa: F811
    closed(opened, 6, on=date(2026, 1, 15), language="sv")
    closed(opened, 6, on=date(2026, 4, 15), language="sv")
    closed(opened, 1, on=date(2026, 1, 15), language="fi")
    closed(opened, 5, on=date(2026, 4, 15), language="fi")
    half_year, second = filters(end=date(2026, 6, 30)), filters(date(2026, 4, 1), date(2026, 6, 30))
    whole = [outcome_figures(outcome_table(p))[("P1", "EMPLOYED")] for p in (half_year, second)]
    assert whole == [18, 11]
    swedish = [outcome_table(replace(p, language="sv")) for p in (half_year, second)]
    # (18 - 12) - (11 - 6) would be the one Finnish speaker closed in the first quarter
    assert outcome_figures(swedish[1])[("P1", "EMPLOYED")] == 6
    assert outcome_figures(swedish[0])[("P1", "EMPLOYED")] is None


def test_a_few_a_month_show_when_each_quarter_has_enough(opened):  # noqa: F811
    for month in (1, 2, 3, 4, 5, 6):  # two a month: six a quarter
        closed(opened, 2, on=date(2026, month, 15))
    figures = outcome_figures(outcome_table(filters(date(2026, 1, 1), date(2026, 6, 30))))
    assert figures[("P1", "EMPLOYED")] == 12 and figures[(ALL, ALL)] == 12


MONTHS = [date(2026, m, 1) for m in range(1, 13)]
QUARTERS = [date(2026, m, 1) for m in (1, 4, 7, 10)]
QUARTER_ENDS = [date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31)]
LANGUAGES = ("fi", "sv")


@pytest.fixture
def small_region(opened):  # noqa: F811
    """Forty relationships closed over a year, in two languages and four age groups, for
    three reasons: small counts everywhere."""
    chance = random.Random(20261205)
    for _ in range(40):
        month = chance.choice(MONTHS)
        closed(
            opened,
            1,
            reason=chance.choice(["EMPLOYED", "STUDIES", "ILLNESS"]),
            opened_on=month,
            on=month.replace(day=chance.randint(2, 28)),
            age_group=chance.choice(list(AGE_GROUPS)),
            language=chance.choice(LANGUAGES),
        )


def every_choice():
    periods = [
        (QUARTERS[first], QUARTER_ENDS[last])
        for first in range(len(QUARTERS))
        for last in range(first, len(QUARTERS))
    ]
    for (start, end), language, age_group in itertools.product(
        periods, ("", *LANGUAGES), ("", *AGE_GROUPS)
    ):
        yield filters(start, end, language=language, age_group=age_group)


def differences(published: dict[StatisticsFilters, dict], choice: StatisticsFilters):
    """The tables a reader can subtract from `choice`'s, with what the difference stands
    for: a narrowing dropped, or a period that covers it."""
    for name in choice.narrowed():
        yield published[choice.without(name)]
    for other, figures in published.items():
        wider = other.start <= choice.start and choice.end <= other.end
        same_choice = (other.narrowed(), other.chosen()) == (choice.narrowed(), choice.chosen())
        if wider and other != choice and same_choice:
            yield figures


def two_step_differences(published: dict[StatisticsFilters, dict], choice: StatisticsFilters):
    """A narrowing dropped and the period lengthened at once: the whole minus the choice over
    a longer period, minus the same over the choice's, by key."""
    for name, longer in itertools.product(choice.narrowed(), published):
        covers = longer.start <= choice.start and choice.end <= longer.end
        same_choice = (longer.narrowed(), longer.chosen()) == (choice.narrowed(), choice.chosen())
        if longer == choice or not (covers and same_choice):
            continue
        tables = (published[longer.without(name)], published[longer])
        tables += (published[choice.without(name)], published[choice])
        for key in published[choice]:
            found = [table.get(key) for table in tables]
            if None not in found:
                yield key, (found[0] - found[1]) - (found[2] - found[3])


@pytest.mark.parametrize(
    "table, figures_of",
    [
        (outcome_table, outcome_figures),
        (waiting_table, waiting_figures),
        (flows_of, flow_figures),
    ],
    ids=["outcomes", "waiting", "flows"],
)
def test_no_table_of_a_small_region_gives_a_small_count_away_by_difference(
    small_region, table, figures_of
):
    published = {choice: figures_of(table(choice)) for choice in every_choice()}
    for choice, figures in published.items():
        assert not any(is_small(v) for v in figures.values() if v is not None)
        for other in differences(published, choice):
            for key, value in figures.items():
                if value is not None and other.get(key) is not None:
                    assert not is_small(other[key] - value), (choice, key, value, other[key])
    for choice in published:
        for key, difference in two_step_differences(published, choice):
            assert not is_small(difference), (choice, key, difference)
    for choice in published:
        if choice.narrowed():
            continue
        for name, values in (("language", LANGUAGES), ("age_group", tuple(AGE_GROUPS))):
            parts = [published[filters(choice.start, choice.end, **{name: v})] for v in values]
            for key, whole in published[choice].items():
                figures = [part.get(key, 0) for part in parts]
                if whole is not None and figures.count(None) == 1:
                    left = whole - sum(v for v in figures if v is not None)
                    assert not is_small(left), (choice, name, key, figures, whole)


def test_the_chosen_days_are_widened_to_whole_quarters():
    form = StatisticsForm({"start": "15.3.2026", "end": "10.5.2026"}, date(2026, 12, 5))
    chosen = form.filters()
    assert (chosen.start, chosen.end) == (date(2026, 1, 1), date(2026, 6, 30))
    unbound = StatisticsForm({}, date(2026, 12, 5)).filters()
    assert (unbound.start, unbound.end) == (date(2025, 10, 1), date(2026, 9, 30))
    assert [quarter[0] for quarter in chosen.quarters()] == [date(2026, 1, 1), date(2026, 4, 1)]


def test_a_day_the_first_month_of_its_quarter_does_not_have_is_widened_too():
    # 31.5. once became "31.4." on the way to the quarter's first day, and the page failed
    form = StatisticsForm({"start": "31.5.2026", "end": "31.8.2026"}, date(2026, 12, 5))
    chosen = form.filters()
    assert (chosen.start, chosen.end) == (date(2026, 4, 1), date(2026, 9, 30))


def test_a_narrowing_given_without_dates_narrows_the_default_period():
    """The API's callers leave the dates out: the choice was dropped with them."""
    chosen = StatisticsForm({"language": "sv"}, date(2026, 12, 5)).filters()
    assert chosen.language == "sv"
    assert (chosen.start, chosen.end) == (date(2025, 10, 1), date(2026, 9, 30))
    later = StatisticsForm({"start": "1.1.2026"}, date(2026, 12, 5)).filters()
    assert (later.start, later.end) == (date(2026, 1, 1), date(2026, 9, 30))
