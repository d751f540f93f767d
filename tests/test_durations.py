from datetime import date

import pytest

from kaveri.rules.durations import Duration, add_months, add_working_days, is_working_day


def test_months_keep_the_day_or_clamp_to_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 8, 15), 6) == date(2027, 2, 15)


def test_working_days_skip_weekends_and_finnish_holidays():
    assert not is_working_day(date(2026, 12, 24))  # Christmas Eve
    assert not is_working_day(date(2026, 12, 6))  # Independence Day
    # Mon 21.12.2026 + 3 working days: 22.12 (Tue), 23.12 (Wed), skip 24-27, 28.12 (Mon)
    assert add_working_days(date(2026, 12, 21), 3) == date(2026, 12, 28)


def test_duration_units():
    assert Duration.parse("7D").after(date(2026, 3, 1)) == date(2026, 3, 8)
    assert Duration.parse("2W").after(date(2026, 3, 1)) == date(2026, 3, 15)
    assert Duration.parse("5WD").after(date(2026, 11, 27)) == date(2026, 12, 4)


@pytest.mark.parametrize("text", ["3", "M3", "3 M", "-3M", "3Q", ""])
def test_bad_durations_are_refused(text):
    with pytest.raises(ValueError, match="is not a duration"):
        Duration.parse(text)


@pytest.mark.parametrize(
    ("text", "end", "start"),
    [
        ("14D", date(2026, 11, 29), date(2026, 11, 15)),
        ("2W", date(2026, 11, 29), date(2026, 11, 15)),
        ("1M", date(2026, 3, 31), date(2026, 3, 1)),  # 31.3. + 1M is 30.4.: 30 days back
    ],
)
def test_before_is_as_far_back_as_after_is_forward(text, end, start):
    assert Duration.parse(text).before(end) == start


def test_counting_back_follows_the_same_rules_as_counting_forward():
    # 150/1930, 4 §: a time before a day is counted back as it is counted forward.
    back = {
        ("3M", date(2026, 12, 31)): date(2026, 9, 30),
        ("1M", date(2026, 3, 31)): date(2026, 2, 28),
        ("1M", date(2028, 3, 31)): date(2028, 2, 29),
        ("12M", date(2029, 2, 28)): date(2028, 2, 28),
        ("7W", date(2026, 12, 31)): date(2026, 11, 12),
        ("10D", date(2026, 3, 1)): date(2026, 2, 19),
        # Working days back over Easter 2026 (Good Friday 3.4. to Easter Monday 6.4.).
        ("2WD", date(2026, 4, 7)): date(2026, 4, 1),
    }
    for (text, end), expected in back.items():
        assert Duration.parse(text).counted_back_from(end) == expected, (text, end)
