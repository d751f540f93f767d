"""Retention: what the rule set's keeping times make due on a day (`kaveri retention`)."""

import itertools
import json
import shutil
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

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


# Carrying the list out: `kaveri retention --apply`.

CLOSED_ON = date(2027, 3, 1)
DUE_DAY = "2037-03-01"


def _code(born_on_day: int, individual: int) -> str:
    birth = date(1981, 7, born_on_day)
    return f"{birth:%d%m%y}-{individual}{check_character(birth, individual)}"


@pytest.fixture
def worked(transactional_db, make_client, make_organisation, make_worker):
    """Run as the command runs, committing (the package is named when the deletion has
    committed). A social welfare relationship with all that is made in one: the contact that opened
    it, an assessment, an activation plan, a service episode, their state histories;
    closed on 1.3.2027, so due on 1.3.2037."""
    from kaveri.casework import actions as casework
    from kaveri.services import actions as services
    from tests.conftest import activation_plan

    soc, emp = make_organisation("SOC"), make_organisation("EMP")
    counsellor = make_worker("SOCIAL_COUNSELLOR", soc)
    individuals = itertools.count(950)

    def make(born_on_day: int = 3):
        person = make_client(hetu=_code(born_on_day, next(individuals)))
        plan = activation_plan(person, counsellor, [soc, emp])
        relationship = plan.relationship
        relationship.contact = casework.record_contact(
            person, soc, date(2026, 9, 30), "CLIENT", "PHONE"
        )
        relationship.save(update_fields=["contact"])
        casework.record_assessment(relationship, date(2026, 10, 5), counsellor, "findings")
        casework.register_job_seeker(person, emp, date(2026, 10, 1))
        services.decide_service(
            person,
            "REHABILITATIVE_WORK_ACTIVITY",
            soc,
            date(2026, 11, 3),
            date(2026, 11, 9),
            date(2027, 2, 8),
            2,
            4,
            relationship=relationship,
        )
        casework.close_relationship(relationship, CLOSED_ON, "EMPLOYED")
        return relationship

    return make


def _held(person) -> dict:
    from kaveri.casework.models import Contact, ServiceNeedAssessment
    from kaveri.plans.models import Measure, Plan
    from kaveri.services.models import ServiceEpisode
    from kaveri.transitions.models import StateChange

    return {
        model.__name__: model.objects.filter(
            **({"plan__client": person} if model is Measure else {"client": person})
        ).count()
        for model in (
            ClientRelationship,
            Contact,
            ServiceNeedAssessment,
            Plan,
            Measure,
            ServiceEpisode,
            StateChange,
        )
    }


def _apply(tmp_path, *extra, today=DUE_DAY):
    out = StringIO()
    call_command(
        "retention",
        "--today",
        today,
        "--apply",
        "--archive-dir",
        str(tmp_path),
        "--accept-unverified",
        *extra,
        stdout=out,
    )
    return out.getvalue()


def test_apply_deletes_a_due_relationship_with_what_was_made_in_it(worked, tmp_path):
    due = worked().client
    assert all(_held(due).values()), _held(due)
    text = _apply(tmp_path)
    assert "Deleted 1 relationships" in text
    assert set(_held(due).values()) == {0}
    assert list(tmp_path.iterdir()) == []  # nothing to archive, no package
    event = AuditEvent.objects.get(action="console.retention_carry_out")
    assert event.client_id == due.pk and event.basis.startswith("deleted: WORKING_AGE_SERVICES")


def test_apply_keeps_what_is_not_yet_due_and_other_clients_records(worked, tmp_path):
    due = worked().client
    kept = worked().client
    ClientRelationship.objects.filter(client=kept).update(closed_on=date(2027, 3, 2))
    before = _held(kept)
    _apply(tmp_path)
    assert _held(kept) == before
    assert _held(due)["ClientRelationship"] == 0


def test_a_sampled_client_s_relationship_goes_to_the_archive_package_then_away(worked, tmp_path):
    sampled = worked(born_on_day=18)
    person = sampled.client
    text = _apply(tmp_path)
    (package,) = tmp_path.iterdir()
    assert package.name == "kaveri-archive-2037-03-01-1.jsonl" and str(package) in text
    assert package.stat().st_mode & 0o777 == 0o600
    header, entry = (json.loads(line) for line in package.read_text().splitlines())
    assert header["format"] == "kaveri-retention-archive" and header["relationships"] == 1
    assert entry["rule"] == "WORKING_AGE_SERVICES"
    assert entry["client"]["hetu"] == person.hetu
    assert entry["relationship"]["closed_on"] == "2027-03-01"
    assert entry["contact"]["channel"] == "PHONE"
    assert [a["findings"] for a in entry["assessments"]] == ["findings"]
    assert [p["plan_type"] for p in entry["plans"]] == ["ACTIVATION_PLAN"]
    assert entry["plans"][0]["measures"][0]["measure"] == "JOB_SEARCH"
    assert [e["service"] for e in entry["service_episodes"]] == ["REHABILITATIVE_WORK_ACTIVITY"]
    assert {c["to_state"] for c in entry["state_changes"]} >= {"CLOSED"}
    assert set(_held(person).values()) == {0}
    event = AuditEvent.objects.get(action="console.retention_carry_out")
    assert event.basis == f"archived: WORKING_AGE_SERVICES relationship {sampled.pk}"


def test_a_second_run_finds_nothing_more_and_writes_no_package(worked, tmp_path):
    worked(born_on_day=18)
    _apply(tmp_path)
    text = _apply(tmp_path)
    assert "Deleted 0 relationships" in text
    assert len(list(tmp_path.iterdir())) == 1


def test_unverified_rules_are_not_carried_out_without_being_told(worked, tmp_path):
    person = worked().client
    before = _held(person)
    with pytest.raises(CommandError, match=r"Nothing was deleted.*archive_permanently"):
        call_command(
            "retention",
            "--today",
            DUE_DAY,
            "--apply",
            "--archive-dir",
            str(tmp_path),
            stdout=StringIO(),
        )
    assert _held(person) == before


def test_apply_needs_a_folder_for_the_archive(worked, tmp_path):
    with pytest.raises(CommandError, match="--archive-dir"):
        call_command("retention", "--today", DUE_DAY, "--apply", stdout=StringIO())
    with pytest.raises(CommandError, match="is not a folder"):
        _apply(tmp_path / "missing")


@pytest.mark.parametrize("failing", ["archive_entry", "_audit"])
def test_a_failure_in_the_middle_deletes_nothing_and_leaves_no_package(
    worked, tmp_path, monkeypatch, failing
):
    """Whether the package breaks off half-written or the audit fails after it."""
    from kaveri.exchange import retention

    person = worked(born_on_day=28).client
    before = _held(person)

    def broken(*args):
        raise RuntimeError(f"{failing} failed")

    monkeypatch.setattr(retention, failing, broken)
    with pytest.raises(RuntimeError):
        _apply(tmp_path)
    assert _held(person) == before
    assert list(tmp_path.iterdir()) == []
