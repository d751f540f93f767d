"""Properties that hold for every input, checked by hypothesis over many generated ones:
the rule set's date arithmetic, identity codes and the import format."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaveri.demo.identity import CAPACITY, CHECK_CHARACTERS, synthetic_hetu
from kaveri.exchange.importer import ImportOptions, import_document
from kaveri.exchange.records import client_record
from kaveri.people.lookup_key import identity_key
from kaveri.people.models import Client, birth_date_from_hetu
from kaveri.people.validators import normalise_hetu, validate_hetu
from kaveri.rules.durations import (
    Duration,
    add_months,
    add_working_days,
    is_working_day,
    subtract_working_days,
)

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))
counts = st.integers(min_value=0, max_value=400)
units = st.sampled_from(["D", "WD", "W", "M", "Y"])


def last_day_of_month(day: date) -> int:
    return (add_months(day.replace(day=1), 1) - timedelta(days=1)).day


# --- months and years ---


@given(days, st.integers(min_value=-600, max_value=600))
def test_months_keep_the_day_or_clamp_to_the_month_s_last(start, months):
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == min(start.day, last_day_of_month(end))


@given(days, st.integers(min_value=-600, max_value=600))
def test_a_day_that_every_month_has_comes_back(start, months):
    start = start.replace(day=min(start.day, 28))
    assert add_months(add_months(start, months), -months) == start


@given(days, st.integers(min_value=0, max_value=50))
def test_a_year_is_twelve_months(start, years):
    assert Duration(years, "Y").after(start) == add_months(start, 12 * years)


@given(days, days, st.integers(min_value=0, max_value=60), units)
def test_a_later_start_never_gives_an_earlier_end(first, second, amount, unit):
    early, late = sorted((first, second))
    duration = Duration(amount, unit)
    assert duration.after(early) <= duration.after(late)


@given(days, st.integers(min_value=0, max_value=60), units)
def test_counting_forward_never_goes_back_and_back_never_forward(start, amount, unit):
    duration = Duration(amount, unit)
    assert duration.after(start) >= start
    assert duration.counted_back_from(start) <= start


@given(days, counts, st.sampled_from(["D", "W"]))
def test_days_and_weeks_counted_back_are_counted_forward_again(end, amount, unit):
    duration = Duration(amount, unit)
    assert duration.after(duration.counted_back_from(end)) == end


# --- working days and Finnish holidays ---


@given(days, st.integers(min_value=1, max_value=60))
def test_working_days_land_on_a_working_day_after_exactly_that_many(start, count):
    end = add_working_days(start, count)
    assert is_working_day(end)
    between = [start + timedelta(days=n) for n in range(1, (end - start).days + 1)]
    assert sum(is_working_day(day) for day in between) == count


@given(days, st.integers(min_value=1, max_value=60))
def test_working_days_counted_back_are_counted_forward_again(end, count):
    start = subtract_working_days(end, count)
    assert is_working_day(start)
    if is_working_day(end):
        assert add_working_days(start, count) == end


@given(st.integers(min_value=1990, max_value=2060))
def test_the_fixed_finnish_holidays_are_never_working_days(year):
    for month, day in ((1, 1), (1, 6), (5, 1), (12, 6), (12, 24), (12, 25), (12, 26)):
        assert not is_working_day(date(year, month, day))


# --- identity codes ---

indexes = st.integers(min_value=0, max_value=CAPACITY - 1)


@given(indexes)
def test_every_synthetic_code_is_a_valid_test_code_with_its_birth_date(index):
    code = synthetic_hetu(index)
    with settings_allowing_test_codes():
        validate_hetu(code)
    assert 900 <= int(code[7:10]) <= 999
    assert birth_date_from_hetu(code).strftime("%d%m%y") == code[:6]


@given(indexes, indexes)
def test_distinct_indexes_give_distinct_codes_and_lookup_keys(first, second):
    if first != second:
        assert synthetic_hetu(first) != synthetic_hetu(second)
        assert identity_key(synthetic_hetu(first)) != identity_key(synthetic_hetu(second))


@given(indexes, st.sampled_from(CHECK_CHARACTERS))
def test_a_wrong_check_character_is_always_refused(index, check):
    code = synthetic_hetu(index)
    if check == code[-1]:
        return
    with settings_allowing_test_codes(), pytest.raises(ValidationError):
        validate_hetu(code[:-1] + check)


@given(indexes, st.sampled_from([str.lower, str.upper, lambda c: f"  {c} "]))
def test_a_code_written_any_accepted_way_is_the_same_code_and_key(index, spelling):
    code = synthetic_hetu(index)
    assert normalise_hetu(spelling(code)) == code
    assert identity_key(spelling(code)) == identity_key(code)


class settings_allowing_test_codes:
    def __enter__(self):
        from django.conf import settings as django_settings

        self.settings = django_settings
        self.before = django_settings.KAVERI_ALLOW_TEST_IDENTITY_CODES
        django_settings.KAVERI_ALLOW_TEST_IDENTITY_CODES = True

    def __exit__(self, *exc):
        self.settings.KAVERI_ALLOW_TEST_IDENTITY_CODES = self.before


# --- the import format ---

# Names and addresses as people write them: letters of any script, spaces, hyphens,
# apostrophes; no control characters (the format refuses those).
text = st.text(
    alphabet=st.characters(categories=["L", "M", "Zs", "Pd", "Po"], exclude_characters="\x00"),
    max_size=40,
)
names = text.map(str.strip).filter(bool)
basic_records = st.fixed_dictionaries(
    {
        "first_names": names,
        "last_name": names,
        "language": st.sampled_from(["fi", "sv", "en"]),
        "municipality": text,
        "address": text,
        "phone": st.from_regex(r"\A(\+358|0)[0-9 ]{6,14}\Z"),
    }
)


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(index=indexes, basics=basic_records)
def test_an_imported_client_exports_as_it_came_and_imports_again_unchanged(index, basics):
    record = {"hetu": synthetic_hetu(index)} | basics
    document = {"format": "kaveri-client-records", "format_version": 1, "clients": [record]}
    with transaction.atomic():
        first = import_document(document, options=ImportOptions())
        client = Client.objects.get()
        exported = client_record(client)
        second = import_document(document, options=ImportOptions())
        transaction.set_rollback(True)
    assert (first.created, second.unchanged, second.created, second.updated) == (1, 1, 0, 0)
    assert {key: exported[key] for key in record} == record
