"""Durations of the rule set: `7D` days, `5WD` working days, `3W` weeks, `3M` months,
`10Y` years (counted as twelve months each)."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

_PATTERN = re.compile(r"^(\d+)(WD|D|W|M|Y)$")
_UNIT_ORDER = {"D": 1, "WD": 1.4, "W": 7, "M": 30.44, "Y": 365.25}
MONTHS_A_YEAR = 12


@dataclass(frozen=True, order=False)
class Duration:
    amount: int
    unit: str

    @classmethod
    def parse(cls, text: str) -> "Duration":
        match = _PATTERN.match(str(text).strip())
        if not match:
            raise ValueError(
                f"'{text}' is not a duration; write a whole number and a unit: "
                "D (days), WD (working days), W (weeks), M (months) or Y (years), "
                "e.g. 7D, 5WD, 3W, 3M, 10Y"
            )
        return cls(int(match.group(1)), match.group(2))

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"

    @property
    def approximate_days(self) -> float:
        """For ordering and bounds checks only; dates use `after`."""
        return self.amount * _UNIT_ORDER[self.unit]

    def before(self, end: date) -> date:
        """The day as far before `end` as `after(end)` lies after it: the start of a period
        of this duration that ends on `end`."""
        return end - (self.after(end) - end)

    def counted_back_from(self, end: date) -> date:
        """A deadline this long before `end`, counted back by the rules that count forward
        (150/1930, 4 §): months keep the day of month, clamped to the month's last day;
        working days skip weekends and holidays. (`before` is the other question: the
        latest start of a period of this length that has run by `end`.)"""
        if self.unit == "D":
            return end - timedelta(days=self.amount)
        if self.unit == "W":
            return end - timedelta(weeks=self.amount)
        if self.unit in ("M", "Y"):
            return add_months(end, -self.months)
        return subtract_working_days(end, self.amount)

    @property
    def months(self) -> int:
        return self.amount * MONTHS_A_YEAR if self.unit == "Y" else self.amount

    def after(self, start: date) -> date:
        """The date this duration after `start` (months keep the day of month, clamped)."""
        if self.unit == "D":
            return start + timedelta(days=self.amount)
        if self.unit == "W":
            return start + timedelta(weeks=self.amount)
        if self.unit in ("M", "Y"):
            return add_months(start, self.months)
        return add_working_days(start, self.amount)


def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


@lru_cache(maxsize=64)
def _finnish_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.Finland(years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _finnish_holidays(day.year)


def add_working_days(start: date, count: int) -> date:
    return _nth_day(start + timedelta(days=1), count, is_working_day)


def _nth_day(first: date, count: int, counts) -> date:
    """The `count`th day from `first` on (itself included) that `counts`."""
    day = first - timedelta(days=1)
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if counts(day):
            remaining -= 1
    return day


def first_open_day(day: date) -> date:
    """The day itself, or the next working day when it falls on a Saturday, a Sunday or a
    holiday (Midsummer and Christmas Eve included): where a deadline on a closed day ends
    (150/1930, 5 §)."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def subtract_working_days(end: date, count: int) -> date:
    day = end
    remaining = count
    while remaining > 0:
        day -= timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def is_paid_weekday(day: date) -> bool:
    """A day sickness allowance is paid for: Monday to Saturday, holidays excepted."""
    return day.weekday() < 6 and day not in _finnish_holidays(day.year)


def nth_paid_day(start: date, count: int) -> date:
    """The `count`th paid day from `start` (the start itself counting when it is one)."""
    return _nth_day(start, count, is_paid_weekday)
