"""The rule set loads, and every kind of error names the file, the key and the problem."""

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kaveri.rules.loader import DATA_DIR, RuleSetInvalid, check_single_file, load_rule_set

BUNDLED = DATA_DIR / "fi-2026.1"


@pytest.fixture
def rule_folder(tmp_path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(BUNDLED, folder)
    return folder


def edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(RuleSetInvalid) as caught:
        load_rule_set(folder)
    return [str(p) for p in caught.value.problems]


def test_bundled_rule_set_loads_with_version():
    rules = load_rule_set(BUNDLED)
    assert rules.version == "fi-2026.1"


def test_yaml_syntax_error_names_file_and_line(rule_folder):
    edit(rule_folder, "plans.yaml", "plans:\n", "plans:\n  - code: [unclosed\n")
    found = problems_of(rule_folder)
    assert any(p.startswith("plans.yaml: line ") and "not valid YAML" in p for p in found)


def test_unknown_top_level_key(rule_folder):
    edit(rule_folder, "plans.yaml", "plans:\n", "plannz: []\nplans:\n")
    assert any(p.startswith("plans.yaml: plannz: unknown key") for p in problems_of(rule_folder))


def test_misspelt_nested_key_is_refused(rule_folder):
    edit(rule_folder, "services.yaml", "continuation_period: 3M", "continuaton_period: 3M")
    found = problems_of(rule_folder)
    assert any("services.yaml: services[1].continuaton_period: Extra inputs" in p for p in found)


def test_bad_duration_explains_the_format(rule_folder):
    edit(rule_folder, "benefits.yaml", "processing_time: 11W", "processing_time: 11 weeks")
    found = problems_of(rule_folder)
    assert any(
        "benefits.yaml: benefits[" in p
        and "processing_time" in p
        and "'11 weeks' is not a duration" in p
        for p in found
    )


def test_range_with_min_above_max(rule_folder):
    edit(rule_folder, "plans.yaml", "default: {min: 3M, max: 12M}", "default: {min: 13M, max: 12M}")
    found = problems_of(rule_folder)
    assert any("plans.yaml: plans[0].review.default" in p and "longer than max" in p for p in found)


def test_wrong_type(rule_folder):
    edit(
        rule_folder,
        "services.yaml",
        "days_per_week: {min: 1, max: 4}",
        "days_per_week: {min: one, max: 4}",
    )
    found = problems_of(rule_folder)
    assert any("services[1].intensity.days_per_week.min" in p and "integer" in p for p in found)


def test_missing_label_language(rule_folder):
    edit(
        rule_folder,
        "authorities.yaml",
        'label: {fi: "Kela", sv: "FPA", en: "Kela"}',
        'label: {fi: "Kela", en: "Kela"}',
    )
    assert any("authorities[4].label.sv: Field required" in p for p in problems_of(rule_folder))


def test_missing_section(rule_folder):
    (rule_folder / "measures.yaml").unlink()
    found = problems_of(rule_folder)
    assert any(p.startswith("ruleset.yaml: measures: missing") for p in found)


def test_section_given_twice(rule_folder):
    (rule_folder / "zz_extra.yaml").write_text(
        "sectors:\n  - {code: X, label: {fi: a, sv: b, en: c}}\n"
    )
    found = problems_of(rule_folder)
    assert any("zz_extra.yaml: sectors: already given in information.yaml" in p for p in found)


def test_duplicate_code(rule_folder):
    edit(rule_folder, "services.yaml", "- code: OPEN_WORK", "- code: DAY_ACTIVITY")
    found = problems_of(rule_folder)
    assert any(
        "services.yaml: services[" in p and "'DAY_ACTIVITY' is given twice" in p for p in found
    )


def test_unknown_reference(rule_folder):
    edit(rule_folder, "benefits.yaml", "decided_by: PENSION", "decided_by: PENSIONS")
    found = problems_of(rule_folder)
    assert any(
        "benefits.yaml: benefits[3].decided_by: unknown authority 'PENSIONS'" in p for p in found
    )


def test_unknown_timing_reference(rule_folder):
    edit(
        rule_folder,
        "pathways.yaml",
        "ref: ACTIVATION_PLAN, process: A1",
        "ref: ACTIVATION_PLANS, process: A1",
    )
    assert any("timing.ref: unknown plan 'ACTIVATION_PLANS'" in p for p in problems_of(rule_folder))


def test_empty_file(rule_folder):
    (rule_folder / "empty.yaml").write_text("")
    assert "empty.yaml: the file is empty" in problems_of(rule_folder)


def test_not_a_folder(tmp_path):
    assert any("is not a folder" in p for p in problems_of(tmp_path / "nowhere"))


def test_single_file_check_finds_shape_errors(rule_folder):
    edit(rule_folder, "benefits.yaml", "processing_time: 5W", "processing_time: 5Q")
    found = [str(p) for p in check_single_file(rule_folder / "benefits.yaml")]
    assert found and all(p.startswith("benefits.yaml: ") for p in found)
    assert check_single_file(BUNDLED / "benefits.yaml") == []


def test_rules_check_command_passes_on_the_bundled_set(capsys):
    call_command("rules", "check", str(BUNDLED))
    assert "rule set fi-2026.1 is valid" in capsys.readouterr().out


def test_rules_check_command_fails_with_the_problems(rule_folder, capsys):
    edit(rule_folder, "benefits.yaml", "decided_by: PENSION", "decided_by: NOBODY")
    with pytest.raises(CommandError, match="1 problem"):
        call_command("rules", "check", str(rule_folder))
    assert "unknown authority 'NOBODY'" in capsys.readouterr().err


def test_rules_check_command_exit_code_is_non_zero(rule_folder):
    import subprocess
    import sys

    edit(rule_folder, "plans.yaml", "plans:\n", "plannz: []\nplans:\n")
    result = subprocess.run(
        [sys.executable, "-m", "kaveri", "rules", "check", str(rule_folder)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode != 0
    assert "plans.yaml: plannz: unknown key" in result.stderr


def test_system_check_reports_a_broken_rule_set(rule_folder, settings):
    from kaveri.rules import registry
    from kaveri.rules.checks import rule_set_loads

    edit(rule_folder, "benefits.yaml", "decided_by: PENSION", "decided_by: NOBODY")
    settings.KAVERI_RULES_DIRS = [str(rule_folder)]
    registry._registry.cache_clear()
    try:
        errors = rule_set_loads(None)
    finally:
        settings.KAVERI_RULES_DIRS = [str(BUNDLED)]
        registry._registry.cache_clear()
    assert [e.id for e in errors] == ["kaveri.E002"]
    assert "unknown authority 'NOBODY'" in errors[0].msg
