"""Rule versions that records keep: two rule sets side by side.

The bundled set (in force from 1.1.2025) and a newer one written here from it (in force
from 1.1.2027): the newer set shortens the activation plan's review to at most 6 months
and retires the closure reason "moved out of the area". An old record keeps its rules
after the new set takes over; a new record follows the set in force on its date.
"""

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from django.urls import reverse

from kaveri.access.roles import Role
from kaveri.casework import actions as casework
from kaveri.plans import actions as plans
from kaveri.plans.actions import MeasureInput
from kaveri.rules import registry as rule_registry
from kaveri.rules.loader import DATA_DIR
from kaveri.rules.registry import registry, rules_for, rules_on
from kaveri.rules.violations import RuleViolation
from tests.conftest import login

BUNDLED = DATA_DIR / "fi-2026.1"
OLD, NEW = date(2026, 6, 1), date(2027, 3, 1)


def _edit(folder: Path, name: str, change) -> None:
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _retire_moved_away(data) -> None:
    data["closure_reasons"] = [r for r in data["closure_reasons"] if r["code"] != "MOVED_AWAY"]
    for kind in data["relationship_kinds"]:
        kind["closure_reasons"] = [r for r in kind["closure_reasons"] if r != "MOVED_AWAY"]


def _shorter_activation_review(data) -> None:
    plan = next(p for p in data["plans"] if p["code"] == "ACTIVATION_PLAN")
    plan["review"]["default"] = {"min": "3M", "max": "6M"}


@pytest.fixture
def two_rule_sets(tmp_path, settings):
    newer = tmp_path / "fi-2027.1"
    shutil.copytree(BUNDLED, newer)
    _edit(
        newer, "ruleset.yaml", lambda d: d.update(version="fi-2027.1", valid_from=date(2027, 1, 1))
    )
    _edit(newer, "plans.yaml", _shorter_activation_review)
    _edit(newer, "relationships.yaml", _retire_moved_away)
    settings.KAVERI_RULES_DIRS = [str(BUNDLED), str(newer)]
    rule_registry._registry.cache_clear()
    yield
    rule_registry._registry.cache_clear()


@pytest.fixture
def net(db, make_organisation, make_worker, make_client):
    orgs = {a: make_organisation(a) for a in ("SOC", "EMP")}
    return orgs, make_worker(Role.SOCIAL_COUNSELLOR, orgs["SOC"]), make_client()


def _activation_plan(net, made_on, months):
    orgs, _counsellor, person = net
    return plans.make_plan(
        person,
        "ACTIVATION_PLAN",
        "A1",
        None,
        [orgs["SOC"], orgs["EMP"]],
        made_on,
        months,
        [MeasureInput("JOB_SEARCH")],
    )


def test_the_registry_knows_both_and_which_is_in_force_when(two_rule_sets):
    assert registry().versions == ["fi-2026.1", "fi-2027.1"]
    assert rules_on(OLD).version == "fi-2026.1" and rules_on(NEW).version == "fi-2027.1"
    assert rules_on(date(2020, 1, 1)).version == "fi-2026.1"


def test_an_old_plan_keeps_its_review_bounds_after_the_new_set_takes_over(
    two_rule_sets, net, settings
):
    old = _activation_plan(net, OLD, 12)
    assert old.ruleset_version == "fi-2026.1"
    settings.KAVERI_TODAY = NEW
    with pytest.raises(RuleViolation) as refused:
        _activation_plan(net, NEW, 12)
    assert refused.value.check == "review_interval_within_bounds"
    assert "3–6 months" in refused.value.message
    revised = plans.revise_plan(old, NEW, 12, [MeasureInput("JOB_SEARCH")])
    assert revised.ruleset_version == "fi-2026.1" and revised.review_interval == "12M"


def test_a_retired_code_stays_valid_on_old_records(two_rule_sets, net, settings, client):
    orgs, counsellor, person = net
    old = casework.open_relationship(
        person, orgs["SOC"], "SOC_CLIENT", OLD, [("OWN_WORKER", counsellor)]
    )
    settings.KAVERI_TODAY = NEW
    casework.close_relationship(old, NEW, "MOVED_AWAY")
    old.refresh_from_db()
    old.full_clean()
    assert rules_for(old).version == "fi-2026.1"

    casework.open_relationship(person, orgs["SOC"], "SOC_CLIENT", NEW, [("OWN_WORKER", counsellor)])
    login(client, counsellor)
    page = client.get(reverse("workspace:client", args=[person.pk])).content.decode()
    assert "The client moved out of the area" in page


def test_a_new_record_follows_the_set_in_force_on_its_date(two_rule_sets, net, settings):
    orgs, counsellor, person = net
    settings.KAVERI_TODAY = NEW
    young = casework.open_relationship(
        person, orgs["SOC"], "SOC_CLIENT", date(2027, 2, 1), [("OWN_WORKER", counsellor)]
    )
    assert young.ruleset_version == "fi-2027.1"
    with pytest.raises(RuleViolation) as refused:
        casework.close_relationship(young, NEW, "MOVED_AWAY")
    assert refused.value.check == "closure_reason_is_allowed"


def test_the_import_names_a_rule_set_it_does_not_know(two_rule_sets, net, tmp_path, capsys):
    import json

    from django.core.management import call_command
    from django.core.management.base import CommandError

    orgs, _counsellor, _person = net
    record = {
        "hetu": "010594Y9032",
        "first_names": "A",
        "last_name": "B",
        "relationships": [
            {
                "organisation": orgs["SOC"].name,
                "kind": "SOC_CLIENT",
                "opened_on": "2026-01-05",
                "ruleset_version": "fi-1999.1",
            }
        ],
    }
    path = tmp_path / "in.json"
    path.write_text(
        json.dumps({"format": "kaveri-client-records", "format_version": 1, "clients": [record]})
    )
    with pytest.raises(CommandError):
        call_command("import", str(path))
    assert (
        "clients[0].relationships[0].ruleset_version: unknown rule set 'fi-1999.1'; "
        "known: fi-2026.1, fi-2027.1" in capsys.readouterr().err
    )


def _kela_decides_supplementary_assistance(data) -> None:
    benefit = next(b for b in data["benefits"] if b["code"] == "SUPPLEMENTARY_SOCIAL_ASSISTANCE")
    benefit["decided_by"] = "KELA"


def test_who_holds_a_record_is_asked_of_the_rules_it_was_made_under(
    tmp_path, settings, net, make_organisation, make_worker
):
    """A pending application made when social welfare decided the benefit stays social
    welfare's after a newer set hands such decisions to Kela; a new one is Kela's."""
    from kaveri.access.principal import Principal
    from kaveri.access.relations import holds_record
    from kaveri.benefits import actions as benefits

    newer = tmp_path / "fi-2027.1"
    shutil.copytree(BUNDLED, newer)
    _edit(
        newer, "ruleset.yaml", lambda d: d.update(version="fi-2027.1", valid_from=date(2027, 1, 1))
    )
    _edit(newer, "benefits.yaml", _kela_decides_supplementary_assistance)
    settings.KAVERI_RULES_DIRS = [str(BUNDLED), str(newer)]
    rule_registry._registry.cache_clear()
    try:
        orgs, counsellor, person = net
        office = make_organisation("KELA")
        officer = make_worker(Role.KELA_OFFICER, office)
        casework.open_relationship(
            person, orgs["SOC"], "SOC_CLIENT", OLD, [("OWN_WORKER", counsellor)]
        )
        casework.open_relationship(person, office, "KELA_CLIENT", OLD, [("KELA_CONTACT", officer)])
        old = benefits.record_application(person, "SUPPLEMENTARY_SOCIAL_ASSISTANCE", OLD)
        settings.KAVERI_TODAY = NEW
        new = benefits.record_application(person, "SUPPLEMENTARY_SOCIAL_ASSISTANCE", NEW)

        def held(worker, application) -> bool:
            principal = Principal(worker.user, worker.role, worker, worker.organisation, today=NEW)
            return holds_record(principal, application)

        assert (held(counsellor, old), held(officer, old)) == (True, False)
        assert (held(counsellor, new), held(officer, new)) == (False, True)
    finally:
        rule_registry._registry.cache_clear()
