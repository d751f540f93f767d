"""The rule set in force, for anyone: pathways and processes with their steps and timings."""

from datetime import date
from typing import Literal

from ninja import Schema, Status

from kaveri.access.actions import Action
from kaveri.access.decorators import api_action
from kaveri.access.routing import ErrorOut, KaveriRouter
from kaveri.rules.pathways import citations
from kaveri.rules.registry import get_rules, registry

router = KaveriRouter(tags=["rules"])

Language = Literal["fi", "sv", "en"]


class CitationOut(Schema):
    number: str
    title: str
    section: str
    verified: bool


class StepOut(Schema):
    code: str
    authority: str
    also: list[str]
    label: str
    timing: str | None


class FlowOut(Schema):
    code: str
    label: str
    steps: list[StepOut]
    cites: list[CitationOut]


class RuleSetOut(Schema):
    version: str
    valid_from: date
    valid_until: date | None
    in_force: bool
    versions: list[str]
    authorities: dict[str, str]
    statutes: list[CitationOut]
    pathways: list[FlowOut]
    processes: list[FlowOut]


def _flow(rules, flow, language: str) -> FlowOut:
    return FlowOut(
        code=flow.code,
        label=flow.label.get(language),
        steps=[
            StepOut(
                code=s.code,
                authority=s.authority,
                also=list(s.also),
                label=s.label.get(language),
                timing=rules.timing_text(s.timing, language) if s.timing else None,
            )
            for s in flow.steps
        ],
        cites=[CitationOut(**vars(c)) for c in citations(rules, flow.cites, language)],
    )


@router.get(
    "",
    response={200: RuleSetOut, 404: ErrorOut},
    auth=None,
    summary="The rule set in force, or an earlier one by version",
)
@api_action(Action.API_RULES)
def rule_set(request, language: Language = "fi", version: str | None = None):
    in_force = get_rules()
    try:
        rules = registry().of_version(version) if version else in_force
    except KeyError:
        known = ", ".join(registry().versions)
        return Status(404, ErrorOut(detail=f"There is no rule set {version}; known: {known}"))
    return RuleSetOut(
        version=rules.version,
        valid_from=rules.data.valid_from,
        valid_until=registry().in_force_until(rules),
        in_force=rules.version == in_force.version,
        versions=registry().versions,
        statutes=[
            CitationOut(
                number=s.number, title=s.title.get(language), section="", verified=s.verified
            )
            for s in rules.data.statutes
        ],
        authorities={code: a.label.get(language) for code, a in rules.authorities.items()},
        pathways=[_flow(rules, p, language) for p in rules.data.pathways],
        processes=[_flow(rules, p, language) for p in rules.data.processes],
    )
