"""What a coordinator narrows the statistics to: the period, and the region, municipality,
authority, organisation, age group and language of the relationships counted; and the day
the figures are counted for.

A table is counted over the period in whole quarters (see kaveri.statistics.differencing):
the form widens the chosen days to the quarters they fall in, so that two periods differ by
whole quarters, never by a few days or a month of a few people. What a record is counted by
(the month of its event, its narrowings, the steps it reached by the day counted) does not
depend on the period, so a period's figures are the sum of its quarters' (kept per quarter,
kaveri.statistics.quarters), and a shorter period differs from a longer one by exactly the
quarters it leaves out."""

import calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db.models import Case, CharField, DateField, F, Value, When
from django.db.models.functions import ExtractYear, TruncMonth
from django.db.models.lookups import LessThan, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from kaveri.rules.durations import add_months

# Age at the end of the year of the record's event (opening, closure, decision...), in the
# groups the employment statistics use for working-age people; from youngest to oldest, each
# starting the year after the one before it ends.
AGE_GROUPS = {
    "18-24": (18, 24, _("18–24 years")),
    "25-34": (25, 34, _("25–34 years")),
    "35-49": (35, 49, _("35–49 years")),
    "50-": (50, 200, _("50 years or older")),
}

# The narrowings, in the order a cube's coordinates name them.
NARROWINGS = ("region", "municipality", "authority", "organisation", "age_group", "language")

# Where each narrowing is read from a client relationship (age: from the birth date).
RELATIONSHIP_PATHS = {
    "region": "organisation__region",
    "municipality": "client__municipality",
    "authority": "organisation__authority",
    "organisation": "organisation_id",
    "age_group": "client__birth_date",
    "language": "client__language",
}


def through(prefix: str, paths: dict[str, str] = RELATIONSHIP_PATHS) -> dict[str, str]:
    """The paths from a record that points at a relationship through `prefix`."""
    return {name: f"{prefix}__{path}" for name, path in paths.items()}


# Months in a quarter: the step by which one period a coordinator can ask for differs
# from another (kaveri.statistics.differencing).
QUARTER = 3


def whole_months(start: date, end: date) -> tuple[date, date]:
    """The first day of the start's month and the last day of the end's."""
    last = calendar.monthrange(end.year, end.month)[1]
    return start.replace(day=1), end.replace(day=last)


def whole_quarters(start: date, end: date) -> tuple[date, date]:
    """The first day of the start's quarter and the last day of the end's."""
    first_month = start.month - (start.month - 1) % QUARTER
    last_month = end.month - (end.month - 1) % QUARTER + QUARTER - 1
    first = start.replace(day=1, month=first_month)
    return whole_months(first, end.replace(day=1, month=last_month))


def default_period(today: date) -> tuple[date, date]:
    """The last four whole quarters before today's: a quarter still under way is small
    at its end, and would change from one day to the next."""
    this_quarter, _end = whole_quarters(today, today)
    return add_months(this_quarter, -4 * QUARTER), this_quarter - timedelta(days=1)


def offered_periods(today: date, years: int) -> list[tuple[date, date]]:
    """The periods counted ahead each night, with every narrowing: the default, then the
    last `years` whole calendar years. Another period is counted when asked for."""
    found = [default_period(today)]
    for year in range(today.year - 1, today.year - 1 - years, -1):
        if (date(year, 1, 1), date(year, 12, 31)) not in found:
            found.append((date(year, 1, 1), date(year, 12, 31)))
    return found


def first_offered_day(today: date, years: int) -> date:
    """The first day of the earliest period offered."""
    return min(start for start, _end in offered_periods(today, years))


def last_published_day(today: date) -> date:
    """The last day of the last quarter that has ended: a quarter under way is not counted,
    as its figures would change from one day to the next, and two days' figures would
    differ by what happened to a few people in between."""
    return default_period(today)[1]


def history_starts(today: date, years: int) -> date:
    """The first day statistics are counted from: 1 January, `years` whole years back."""
    return date(today.year - years, 1, 1)


@dataclass(frozen=True)
class StatisticsFilters:
    start: date
    end: date
    # The day counted for: the steps a record reached by it. The form counts for the last
    # day of the last quarter ended (last_published_day), so the figures stay the same
    # from one day to the next, but for a late entry or a correction.
    day: date
    region: str = ""
    municipality: str = ""
    authority: str = ""
    organisation: int | None = None
    age_group: str = ""
    language: str = ""

    def narrowed(self) -> tuple[str, ...]:
        """The narrowings chosen, in NARROWINGS order."""
        return tuple(name for name in NARROWINGS if getattr(self, name))

    def chosen(self) -> tuple:
        return tuple(getattr(self, name) for name in self.narrowed())

    def period(self) -> "StatisticsFilters":
        """The same period with no narrowing: what a table's cube is counted for, as every
        narrowing is one of its dimensions."""
        return StatisticsFilters(self.start, self.end, self.day)

    def calendar_quarters(self) -> list["StatisticsFilters"]:
        """The period's calendar quarters, each with no narrowing."""
        return [
            StatisticsFilters(
                max(months[0], self.start),
                min(whole_months(months[-1], months[-1])[1], self.end),
                self.day,
            )
            for months in self.quarters()
        ]

    def without(self, name: str) -> "StatisticsFilters":
        return replace(self, **{name: StatisticsFilters.__dataclass_fields__[name].default})

    def months(self) -> list[date]:
        """The first day of each month the period touches."""
        found, month = [], self.start.replace(day=1)
        while month <= self.end:
            found.append(month)
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return found

    def quarters(self) -> list[list[date]]:
        """The period's months in threes from its start: the steps between the periods a
        coordinator can ask for."""
        months = self.months()
        return [months[i : i + QUARTER] for i in range(0, len(months), QUARTER)]

    def dimensions(
        self, event: str, paths: dict[str, str] = RELATIONSHIP_PATHS
    ) -> dict[str, object]:
        """Annotations giving each record's coordinates in the cube: the month of its
        `event` day, then its value of every narrowing (kaveri.statistics.differencing), the
        age group at the end of the event's year."""
        found: dict[str, object] = {"d_month": TruncMonth(event, output_field=DateField())}
        for name in NARROWINGS:
            found[f"d_{name}"] = (
                age_group_at(event, paths[name]) if name == "age_group" else F(paths[name])
            )
        return found


def age_group_at(event: str, birth_date: str) -> Case:
    """The age group by the years between the birth and the event (the age at the end of
    the event's year, as the employment statistics count it)."""
    age = ExtractYear(event) - ExtractYear(birth_date)
    groups = sorted(AGE_GROUPS.items(), key=lambda item: item[1][0])
    youngest = groups[0][1][0]
    whens = [When(LessThan(age, youngest), then=Value(""))]
    for code, (_youngest, oldest, _label) in groups:
        whens.append(When(LessThanOrEqual(age, oldest), then=Value(code)))
    return Case(*whens, default=Value(""), output_field=CharField())
