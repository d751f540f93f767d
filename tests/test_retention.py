"""Retention: what the rule set's keeping times make due on a day (`kaveri retention`)."""

import itertools
import shutil
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from kaveri.access.models import AuditEvent
from kaveri.casework.models import ClientRelationship
from kaveri.casework.retention import retention_report
from kaveri.demo.identity import check_character
from kaveri.rules.durations import Duration
from kaveri.rules.loader import DATA_DIR, RuleSetInvalid, load_rule_set
from kaveri.rules.registry import rules_on

TODAY = date(2036, 12, 4)


def test_years_are_counted_as_months_from_the_day():
    assert Duration.parse("10Y").counted_back_from(TODAY) == date(2026, 12, 4)
    assert Duration.parse("10Y").after(date(2016, 2, 29)) == date(2026, 2, 28)


def test_the_rules_give_the_law_s_keeping_times():
    retention = rules_on(TODAY).data.retention
    working_age = next(r for r in retention.records if r.code == "WORKING_AGE_SERVICES")
    assert str(working_age.keep_for) == "10Y" and working_age.relationship_kinds == ["SOC_CLIENT"]
    assert str(retention.audit_log.keep_for) == "12Y"


@pytest.fixture
def closed(make_client, make_organisation):
    organisations = {}
    numbers = itertools.count()

    def make(kind: str, closed_on: date | None, born_on_day: int = 3, client=None):
        authority = {"SOC_CLIENT": "SOC", "DIS_CLIENT": "DIS", "EMP_CLIENT": "EMP"}[kind]
        if authority not in organisations:
            organisations[authority] = make_organisation(authority)
        if client is None:
            birth = date(1980, 5, born_on_day)
            individual = 900 + next(numbers)
            code = f"{birth:%d%m%y}-{individual}{check_character(birth, individual)}"
            client = make_client(hetu=code)
        return ClientRelationship.objects.create(
            client=client,
            organisation=organisations[authority],
            kind=kind,
            opened_on=date(2000, 1, 5),
            closed_on=closed_on,
            closure_reason="SERVICE_ENDED" if closed_on else "",
            state="CLOSED" if closed_on else "OPEN",
            ruleset_version="fi-2024.1",
        )

    return make


def _due(report, code):
    return next(due for due in report.due if due.rule.code == code)


def test_a_relationship_is_due_the_day_ten_years_have_passed_and_not_before(closed):
    due_today = closed("SOC_CLIENT", date(2026, 12, 4))
    closed("SOC_CLIENT", date(2026, 12, 5))
    closed("SOC_CLIENT", None)
    working_age = _due(retention_report(TODAY), "WORKING_AGE_SERVICES")
    assert list(working_age.to_delete) == [due_today]
    assert not working_age.to_archive.exists()


def test_a_client_born_on_a_sampled_day_is_archived_for_ever_not_deleted(closed):
    sampled = closed("SOC_CLIENT", date(2020, 3, 1), born_on_day=18)
    working_age = _due(retention_report(TODAY), "WORKING_AGE_SERVICES")
    assert list(working_age.to_archive) == [sampled]
    assert not working_age.to_delete.exists()


def test_disability_records_wait_for_the_client_s_last_relationship(closed):
    first = closed("DIS_CLIENT", date(2019, 1, 1))
    closed("DIS_CLIENT", date(2027, 6, 1), client=first.client)
    alone = closed("DIS_CLIENT", date(2019, 1, 1), born_on_day=4)
    disability = _due(retention_report(TODAY), "DISABILITY_SERVICES")
    assert list(disability.to_delete) == [alone]


def test_kinds_without_a_rule_are_kept_and_counted_never_due(closed):
    closed("EMP_CLIENT", date(2001, 1, 1))
    report = retention_report(TODAY)
    assert report.kept_without_rule == {"EMP_CLIENT": 1}
    assert all(not due.to_delete.exists() for due in report.due)


def test_the_command_lists_without_changing_anything_or_naming_anyone(closed):
    relationship = closed("SOC_CLIENT", date(2025, 1, 1))
    before = ClientRelationship.objects.count()
    out = StringIO()
    call_command("retention", "--today", "2036-12-04", "--list", stdout=out)
    text = out.getvalue()
    assert "WORKING_AGE_SERVICES" in text and "dry run" in text
    assert f"delete relationship {relationship.pk} (client {relationship.client_id}" in text
    assert relationship.client.last_name not in text and relationship.client.hetu not in text
    assert ClientRelationship.objects.count() == before
    assert AuditEvent.objects.filter(action="console.retention").count() == 1


def test_a_retention_rule_naming_an_unknown_kind_is_refused(tmp_path):
    shutil.copytree(DATA_DIR / "fi-2026.1", tmp_path / "set")
    path = tmp_path / "set" / "retention.yaml"
    path.write_text(path.read_text().replace("[SOC_CLIENT]", "[NO_SUCH_KIND]"))
    with pytest.raises(RuleSetInvalid, match="NO_SUCH_KIND"):
        load_rule_set(tmp_path / "set")
