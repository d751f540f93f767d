"""What a coordinator narrows the statistics to: the period, and the region, municipality,
authority, organisation, age group and language of the relationships counted.

A table is counted over the period in whole quarters (see kaveri.statistics.differencing):
the form widens the chosen days to the quarters they fall in, so that two periods differ by
whole quarters, never by a few days or a month of a few people."""

import calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db.models import Case, CharField, DateField, F, Value, When
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from kaveri.rules.durations import add_months

# Age on the last day of the period, in the groups the employment statistics use for
# working-age people.
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


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


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
    return whole_months(start.replace(month=first_month), end.replace(day=1, month=last_month))


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


@dataclass(frozen=True)
class StatisticsFilters:
    start: date
    end: date
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
        return StatisticsFilters(self.start, self.end)

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

    def born_between(self, age_group: str) -> tuple[date, date]:
        """(born after, born by) for the age group on the period's last day."""
        youngest, oldest, _label = AGE_GROUPS[age_group]
        return _years_before(self.end, oldest + 1), _years_before(self.end, youngest)

    def dimensions(
        self, event: str, paths: dict[str, str] = RELATIONSHIP_PATHS
    ) -> dict[str, object]:
        """Annotations giving each record's coordinates in the cube: the month of its
        `event` day, then its value of every narrowing (kaveri.statistics.differencing), the
        age group as on the period's last day."""
        found: dict[str, object] = {"d_month": TruncMonth(event, output_field=DateField())}
        for name in NARROWINGS:
            found[f"d_{name}"] = (
                self._age_group_of(paths[name]) if name == "age_group" else F(paths[name])
            )
        return found

    def _age_group_of(self, birth_date: str) -> Case:
        whens = []
        for code in AGE_GROUPS:
            born_after, born_by = self.born_between(code)
            whens.append(
                When(
                    **{f"{birth_date}__gt": born_after, f"{birth_date}__lte": born_by},
                    then=Value(code),
                )
            )
        return Case(*whens, default=Value(""), output_field=CharField())
