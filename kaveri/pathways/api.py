"""The rule set in force, for anyone: pathways and processes with their steps and timings."""

from typing import Literal

from ninja import Schema

from kaveri.access.actions import Action
from kaveri.access.decorators import api_action
from kaveri.access.routing import KaveriRouter
from kaveri.rules.registry import get_rules

router = KaveriRouter(tags=["rules"])

Language = Literal["fi", "sv", "en"]


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


class RuleSetOut(Schema):
    version: str
    authorities: dict[str, str]
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
    )


@router.get("", response=RuleSetOut, auth=None, summary="The rule set in force")
@api_action(Action.API_RULES)
def rule_set(request, language: Language = "fi"):
    rules = get_rules()
    return RuleSetOut(
        version=rules.version,
        authorities={code: a.label.get(language) for code, a in rules.authorities.items()},
        pathways=[_flow(rules, p, language) for p in rules.data.pathways],
        processes=[_flow(rules, p, language) for p in rules.data.processes],
    )
