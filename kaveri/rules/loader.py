"""Loading and validating a rule set folder.

A rule set is a folder of YAML files whose top-level keys together form
`RuleSetData`. Every problem is reported with the file, the key path and what
is wrong, all at once, so that one run of `kaveri rules check` lists them all.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from pydantic import ValidationError

from kaveri.rules.schema import TOP_LEVEL_KEYS, RuleSetData

if TYPE_CHECKING:
    from kaveri.rules.ruleset import RuleSet

DATA_DIR = Path(__file__).resolve().parent / "data"
CLIENT_PARTY = "CLIENT"


@dataclass(frozen=True)
class RuleProblem:
    file: str
    key: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.key}: {self.message}"
            if self.key
            else f"{self.file}: {self.message}"
        )


class RuleSetInvalid(Exception):
    def __init__(self, problems: list[RuleProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _format_location(location: tuple) -> str:
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def read_yaml_file(path: Path) -> tuple[dict, list[RuleProblem]]:
    """One file's top-level mapping, or the problems that stop it being read."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        return {}, [RuleProblem(path.name, where, f"not valid YAML: {error.problem}")]
    except (OSError, UnicodeDecodeError) as error:
        return {}, [RuleProblem(path.name, "", f"cannot be read: {error}")]
    if content is None:
        return {}, [RuleProblem(path.name, "", "the file is empty")]
    if not isinstance(content, dict):
        return {}, [RuleProblem(path.name, "", "the top level must be a mapping of keys")]
    return content, []


def _merge_files(paths: list[Path]) -> tuple[dict, dict[str, str], list[RuleProblem]]:
    merged: dict = {}
    origin: dict[str, str] = {}
    problems: list[RuleProblem] = []
    for path in paths:
        content, file_problems = read_yaml_file(path)
        problems += file_problems
        for key, value in content.items():
            if key not in TOP_LEVEL_KEYS:
                known = ", ".join(sorted(TOP_LEVEL_KEYS))
                problems.append(
                    RuleProblem(path.name, str(key), f"unknown key; known keys: {known}")
                )
            elif key in merged:
                problems.append(RuleProblem(path.name, str(key), f"already given in {origin[key]}"))
            else:
                merged[key] = value
                origin[key] = path.name
    return merged, origin, problems


def _schema_problems(error: ValidationError, origin: dict[str, str]) -> list[RuleProblem]:
    problems = []
    for item in error.errors():
        location = item["loc"]
        top = str(location[0]) if location else ""
        file = origin.get(top, "ruleset.yaml")
        message = item["msg"]
        if item["type"] == "missing" and len(location) == 1:
            message = "missing: no file of the rule set gives this key"
        problems.append(RuleProblem(file, _format_location(location), message))
    return problems


def merged_files(folder: Path) -> tuple[dict, dict[str, str], list[RuleProblem]]:
    """A folder's files as one mapping, which file gave each key, and the problems."""
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise RuleSetInvalid([RuleProblem(str(folder), "", "holds no .yaml files")])
    return _merge_files(paths)


def validated_rule_set(merged: dict, origin: dict[str, str]) -> "RuleSet":
    """The rule set of merged content; raise RuleSetInvalid listing every problem."""
    from kaveri.rules.ruleset import RuleSet

    try:
        data = RuleSetData.model_validate(merged)
    except ValidationError as error:
        raise RuleSetInvalid(_schema_problems(error, origin)) from None
    problems = list(_reference_problems(data, origin))
    if problems:
        raise RuleSetInvalid(problems)
    return RuleSet(data)


def load_rule_set(folder: Path | str) -> "RuleSet":
    """Load and validate a rule set folder; raise RuleSetInvalid listing every problem."""
    folder = Path(folder)
    if not folder.is_dir():
        raise RuleSetInvalid([RuleProblem(str(folder), "", "is not a folder of rule files")])
    merged, origin, problems = merged_files(folder)
    try:
        rules = validated_rule_set(merged, origin)
    except RuleSetInvalid as invalid:
        raise RuleSetInvalid(problems + invalid.problems) from None
    if problems:
        raise RuleSetInvalid(problems)
    return rules


def check_single_file(path: Path) -> list[RuleProblem]:
    """Check one file on its own: YAML, known keys and each key's shape."""
    content, problems = read_yaml_file(path)
    if problems:
        return problems
    for key in content:
        if key not in TOP_LEVEL_KEYS:
            known = ", ".join(sorted(TOP_LEVEL_KEYS))
            problems.append(RuleProblem(path.name, str(key), f"unknown key; known keys: {known}"))
    fields = RuleSetData.model_fields
    for key, value in content.items():
        if key not in fields:
            continue
        try:
            RuleSetData.__pydantic_validator__.validate_assignment(
                RuleSetData.model_construct(), key, value
            )
        except ValidationError as error:
            problems += _schema_problems(error, {key: path.name})
    return problems


# Cross-references: each code that names something must name a thing that exists.


def _codes(items) -> set[str]:
    return {item.code for item in items}


def _reference_targets(data: RuleSetData) -> dict[str, set[str]]:
    authorities = _codes(data.authorities)
    return {
        "authority": authorities,
        "party": authorities | {CLIENT_PARTY},
        "service": _codes(data.services),
        "measure": _codes(data.measures),
        "plan": _codes(data.plans),
        "benefit": _codes(data.benefits),
        "appeal": _codes(data.appeals),
        "evidence": _codes(data.evidence_types),
        "end reason": _codes(data.end_reasons),
        "closure reason": _codes(data.closure_reasons),
        "worker role": _codes(data.worker_roles),
        "relationship kind": _codes(data.relationship_kinds),
        "contact initiator": _codes(data.contact_initiators),
        "contact channel": _codes(data.contact_channels),
        "consent purpose": _codes(data.consent_purposes),
        "data category": _codes(data.data_categories),
        "watch signal": _codes(data.watch.signals),
        "source system": _codes(data.source_systems),
        "sector": _codes(data.sectors),
        "pathway": {p.code for p in data.pathways},
        "process": {p.code for p in data.processes},
        "statute": _codes(data.statutes),
    }


def _references(data: RuleSetData) -> Iterator[tuple[str, str, str | None, str]]:
    """(top-level key, key path, code, kind of thing it must name)."""
    for i, a in enumerate(data.authorities):
        yield "authorities", f"authorities[{i}].part_of", a.part_of, "authority"
        for j, code in enumerate(a.joint_of):
            yield "authorities", f"authorities[{i}].joint_of[{j}]", code, "authority"
    for i, r in enumerate(data.end_reasons):
        yield "end_reasons", f"end_reasons[{i}].next_service", r.next_service, "service"
    for i, s in enumerate(data.services):
        yield "services", f"services[{i}].pathway", s.pathway, "pathway"
        for field, kind in (
            ("granted_by", "authority"),
            ("provided_by", "authority"),
            ("end_reasons", "end reason"),
        ):
            for j, code in enumerate(getattr(s, field)):
                yield "services", f"services[{i}].{field}[{j}]", code, kind
    for i, m in enumerate(data.measures):
        yield "measures", f"measures[{i}].service", m.service, "service"
        for j, code in enumerate(m.granted_by):
            yield "measures", f"measures[{i}].granted_by[{j}]", code, "authority"
    for i, p in enumerate(data.plans):
        for field, kind in (
            ("parties", "party"),
            ("made_in", "process"),
            ("measures", "measure"),
            ("evidence", "evidence"),
        ):
            for j, code in enumerate(getattr(p, field)):
                yield "plans", f"plans[{i}].{field}[{j}]", code, kind
        for code in p.review.by_process:
            yield "plans", f"plans[{i}].review.by_process.{code}", code, "process"
    for i, b in enumerate(data.benefits):
        yield "benefits", f"benefits[{i}].decided_by", b.decided_by, "authority"
        yield "benefits", f"benefits[{i}].appeal", b.appeal, "appeal"
        for field, kind in (
            ("pathways", "pathway"),
            ("evidence", "evidence"),
            ("continuation_evidence", "evidence"),
        ):
            for j, code in enumerate(getattr(b, field)):
                yield "benefits", f"benefits[{i}].{field}[{j}]", code, kind
        for j, later in enumerate(b.later_evidence):
            path = f"benefits[{i}].later_evidence[{j}].evidence"
            yield "benefits", path, later.evidence, "evidence"
    for i, k in enumerate(data.employment_statements):
        base = f"employment_statements[{i}]"
        yield "employment_statements", f"{base}.given_by", k.given_by, "authority"
        for j, code in enumerate(k.for_benefits):
            yield "employment_statements", f"{base}.for_benefits[{j}]", code, "benefit"
    for i, e in enumerate(data.evidence_types):
        for j, code in enumerate(e.issued_by):
            yield "evidence_types", f"evidence_types[{i}].issued_by[{j}]", code, "party"
    for key, rows, field in (
        ("decision_bases", data.decision_bases, "evidence"),
        ("client_delivers", data.client_delivers, "items"),
    ):
        for i, row in enumerate(rows):
            first = row.authority if key == "decision_bases" else row.to
            yield (
                key,
                f"{key}[{i}].{'authority' if key == 'decision_bases' else 'to'}",
                first,
                "authority",
            )
            for j, code in enumerate(getattr(row, field)):
                yield key, f"{key}[{i}].{field}[{j}]", code, "evidence"
    for i, k in enumerate(data.relationship_kinds):
        yield "relationship_kinds", f"relationship_kinds[{i}].authority", k.authority, "authority"
        yield "relationship_kinds", f"relationship_kinds[{i}].process", k.process, "process"
        yield (
            "relationship_kinds",
            f"relationship_kinds[{i}].registered_in",
            k.registered_in,
            "source system",
        )
        for j, w in enumerate(k.workers):
            yield (
                "relationship_kinds",
                f"relationship_kinds[{i}].workers[{j}].role",
                w.role,
                "worker role",
            )
            yield (
                "relationship_kinds",
                f"relationship_kinds[{i}].workers[{j}].from",
                w.from_,
                "authority",
            )
        for j, code in enumerate(k.closure_reasons):
            yield (
                "relationship_kinds",
                f"relationship_kinds[{i}].closure_reasons[{j}]",
                code,
                "closure reason",
            )
    for i, n in enumerate(data.client_needs):
        yield "client_needs", f"client_needs[{i}].at", n.at, "authority"
    for i, code in enumerate(data.on_behalf_channels):
        yield "on_behalf_channels", f"on_behalf_channels[{i}]", code, "contact channel"
    for j, code in enumerate(data.consent_rules.social_welfare):
        yield "consent_rules", f"consent_rules.social_welfare[{j}]", code, "authority"
    for i, c in enumerate(data.data_categories):
        for j, code in enumerate(c.shared_outside or []):
            yield "data_categories", f"data_categories[{i}].shared_outside[{j}]", code, "authority"
    for i, s in enumerate(data.source_systems):
        yield "source_systems", f"source_systems[{i}].sector", s.sector, "sector"
    for i, k in enumerate(data.authority_requests.kinds):
        base = f"authority_requests.kinds[{i}]"
        yield "authority_requests", f"{base}.to", k.to, "authority"
        for j, code in enumerate(k.categories):
            yield "authority_requests", f"{base}.categories[{j}]", code, "data category"
    yield from _retention_references(data)
    yield from _watch_references(data)
    yield from _flow_references(data)
    yield from _citation_references(data)


CITING_KEYS = (
    "employment_statements",
    "authorities",
    "services",
    "plans",
    "benefits",
    "appeals",
    "evidence_types",
    "relationship_kinds",
    "pathways",
    "processes",
)


def _citation_references(data: RuleSetData) -> Iterator[tuple[str, str, str | None, str]]:
    for key in CITING_KEYS:
        for i, item in enumerate(getattr(data, key)):
            for j, citation in enumerate(item.cites):
                yield key, f"{key}[{i}].cites[{j}]", citation.statute, "statute"
    for j, citation in enumerate(data.information_requests.cites):
        path = f"information_requests.cites[{j}]"
        yield "information_requests", path, citation.statute, "statute"


def _retention_references(data: RuleSetData) -> Iterator[tuple[str, str, str | None, str]]:
    retention = data.retention
    for i, rule in enumerate(retention.records):
        for j, code in enumerate(rule.relationship_kinds):
            path = f"retention.records[{i}].relationship_kinds[{j}]"
            yield "retention", path, code, "relationship kind"
        for j, citation in enumerate(rule.cites):
            path = f"retention.records[{i}].cites[{j}]"
            yield "retention", path, citation.statute, "statute"
    for j, code in enumerate(retention.archive_permanently.relationship_kinds):
        path = f"retention.archive_permanently.relationship_kinds[{j}]"
        yield "retention", path, code, "relationship kind"
    for j, citation in enumerate(retention.audit_log.cites):
        yield "retention", f"retention.audit_log.cites[{j}]", citation.statute, "statute"


def _watch_references(data: RuleSetData) -> Iterator[tuple[str, str, str | None, str]]:
    for i, deadline in enumerate(data.watch.deadlines):
        code = deadline.overdue_signal
        yield "watch", f"watch.deadlines[{i}].overdue_signal", code, "watch signal"
    for i, signal in enumerate(data.watch.signals):
        base = f"watch.signals[{i}]"
        for j, code in enumerate(signal.settled_by_end_reasons):
            yield "watch", f"{base}.settled_by_end_reasons[{j}]", code, "end reason"
        for plan, purpose in signal.plans_depend_on.items():
            yield "watch", f"{base}.plans_depend_on", plan, "plan"
            yield "watch", f"{base}.plans_depend_on.{plan}", purpose, "consent purpose"


def _flow_references(data: RuleSetData) -> Iterator[tuple[str, str, str | None, str]]:
    timing_kinds = {
        "service_intensity": "service",
        "service_decision_period": "service",
        "service_continuation": "service",
        "plan_review": "plan",
        "processing_time": "authority",
        "initial_interview": "plan",
    }
    for key, flows in (("pathways", data.pathways), ("processes", data.processes)):
        for i, flow in enumerate(flows):
            base = f"{key}[{i}]"
            for j, code in enumerate(flow.entry):
                yield key, f"{base}.entry[{j}]", code, "contact initiator"
            if key == "pathways":
                for field, kind in (("services", "service"), ("benefits", "benefit")):
                    for j, code in enumerate(getattr(flow, field)):
                        yield key, f"{base}.{field}[{j}]", code, kind
            else:
                yield key, f"{base}.owner", flow.owner, "authority"
                yield key, f"{base}.relationship_kind", flow.relationship_kind, "relationship kind"
            for j, step in enumerate(flow.steps):
                yield key, f"{base}.steps[{j}].authority", step.authority, "authority"
                for k, code in enumerate(step.also):
                    yield key, f"{base}.steps[{j}].also[{k}]", code, "authority"
                if step.timing:
                    kind = timing_kinds[step.timing.kind]
                    yield key, f"{base}.steps[{j}].timing.ref", step.timing.ref, kind
                    yield key, f"{base}.steps[{j}].timing.process", step.timing.process, "process"


def _duplicate_problems(data: RuleSetData, origin: dict[str, str]) -> Iterator[RuleProblem]:
    for key in (
        "authorities",
        "services",
        "measures",
        "plans",
        "benefits",
        "appeals",
        "evidence_types",
        "closure_reasons",
        "worker_roles",
        "relationship_kinds",
        "contact_initiators",
        "contact_channels",
        "situation_changes",
        "source_systems",
        "sectors",
        "end_reasons",
        "consent_purposes",
        "data_categories",
        "pathways",
        "processes",
        "statutes",
    ):
        seen: set[str] = set()
        for i, item in enumerate(getattr(data, key)):
            if item.code in seen:
                yield RuleProblem(
                    origin[key],
                    f"{key}[{i}].code",
                    f"'{item.code}' is given twice; codes must be unique",
                )
            seen.add(item.code)


def _reference_problems(data: RuleSetData, origin: dict[str, str]) -> Iterator[RuleProblem]:
    yield from _duplicate_problems(data, origin)
    targets = _reference_targets(data)
    for top, path, code, kind in _references(data):
        if code is not None and code not in targets[kind]:
            known = ", ".join(sorted(targets[kind]))
            yield RuleProblem(origin[top], path, f"unknown {kind} '{code}'; known: {known}")


def version_folder(version: str) -> Path:
    return DATA_DIR / version


@cache
def load_version(version: str) -> "RuleSet":
    """The rule set of a given version, as bundled with Kaveri."""
    return load_rule_set(version_folder(version))
