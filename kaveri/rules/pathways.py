"""What the pathways page shows for each pathway and process, derived from the rule set."""

from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from kaveri.rules.diagram import authority_colour, authority_name, flow_svg
from kaveri.rules.ruleset import RuleSet, duration_text


@dataclass
class StepText:
    number: int
    authority: str
    also: str
    label: str
    timing: str


@dataclass
class BenefitText:
    label: str
    decided_by: str
    processing_time: str


@dataclass
class CitationText:
    number: str
    title: str
    section: str
    verified: bool


@dataclass
class FlowView:
    code: str
    label: str
    svg: SafeString
    steps: list[StepText]
    formerly: str = ""
    cites: list[CitationText] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    benefits: list[BenefitText] = field(default_factory=list)
    deliver: list[tuple[str, list[str]]] = field(default_factory=list)
    entry: list[str] = field(default_factory=list)
    workers: list[str] = field(default_factory=list)
    closure_reasons: list[str] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)


def citations(rules: RuleSet, cites, language: str) -> list[CitationText]:
    """A rule's sources in words; a citation is verified only when its statute is too."""
    statutes = {s.code: s for s in rules.data.statutes}
    return [
        CitationText(
            number=statutes[c.statute].number,
            title=statutes[c.statute].title.get(language),
            section=c.section,
            verified=c.verified and statutes[c.statute].verified,
        )
        for c in cites
    ]


def _formerly(item, language: str) -> str:
    return item.formerly.get(language) if item.formerly else ""


def _steps(rules: RuleSet, flow, language: str) -> list[StepText]:
    return [
        StepText(
            number=i,
            authority=authority_name(rules, s.authority, language),
            also=", ".join(authority_name(rules, c, language) for c in s.also),
            label=s.label.get(language),
            timing=rules.timing_text(s.timing, language) if s.timing else "",
        )
        for i, s in enumerate(flow.steps, start=1)
    ]


def _deliveries(rules: RuleSet, authorities: list[str], language: str):
    """What the client delivers to each authority met on the way."""
    deliver = []
    for code in dict.fromkeys(authorities):
        items = rules.client_delivers_to(code)
        if items:
            labels = [rules.label("evidence", item, language) for item in items]
            deliver.append((rules.authorities[code].label.get(language), labels))
    return deliver


def _authorities_met(rules: RuleSet, flow, benefit_codes: list[str]) -> list[str]:
    met = [code for step in flow.steps for code in rules.step_authorities(step)]
    return met + [rules.benefits[b].decided_by for b in benefit_codes]


def pathway_view(rules: RuleSet, pathway, language: str) -> FlowView:
    return FlowView(
        code=pathway.code,
        label=pathway.label.get(language),
        svg=flow_svg(rules, pathway, language),
        steps=_steps(rules, pathway, language),
        services=[rules.label("service", s, language) for s in pathway.services],
        benefits=[
            BenefitText(
                label=rules.benefits[b].label.get(language),
                decided_by=authority_name(rules, rules.benefits[b].decided_by, language),
                processing_time=duration_text(rules.benefits[b].processing_time, language),
            )
            for b in pathway.benefits
        ],
        deliver=_deliveries(rules, _authorities_met(rules, pathway, pathway.benefits), language),
        entry=[rules.label("contact_initiator", c, language) for c in pathway.entry],
        cites=citations(rules, pathway.cites, language),
    )


def process_view(rules: RuleSet, process, language: str) -> FlowView:
    view = FlowView(
        code=process.code,
        label=process.label.get(language),
        svg=flow_svg(rules, process, language),
        steps=_steps(rules, process, language),
        entry=[rules.label("contact_initiator", c, language) for c in process.entry],
        deliver=_deliveries(rules, _authorities_met(rules, process, []), language),
        plans=[p.label.get(language) for p in rules.data.plans if process.code in p.made_in],
        formerly=_formerly(process, language),
        cites=citations(rules, process.cites, language),
    )
    kind = rules.relationship_kinds.get(process.relationship_kind or "")
    if kind:
        view.workers = [rules.label("worker_role", w.role, language) for w in kind.workers]
        view.closure_reasons = [
            rules.label("closure_reason", r, language) for r in kind.closure_reasons
        ]
    return view


def legend(rules: RuleSet, language: str) -> list[dict]:
    return [
        {
            "code": a.code,
            "label": a.label.get(language),
            "colour": authority_colour(a.code),
            "tasks": [t.get(language) for t in a.tasks],
            "formerly": _formerly(a, language),
            "cites": citations(rules, a.cites, language),
        }
        for a in rules.data.authorities
        if a.in_network
    ]


def client_needs(rules: RuleSet, language: str) -> list[tuple[str, list[str]]]:
    return [
        (rules.authorities[row.at].label.get(language), [i.label.get(language) for i in row.items])
        for row in rules.data.client_needs
    ]


def decision_bases(rules: RuleSet, language: str) -> list[tuple[str, list[str]]]:
    return [
        (
            rules.authorities[row.authority].label.get(language),
            [rules.label("evidence", code, language) for code in row.evidence],
        )
        for row in rules.data.decision_bases
    ]


def source_systems(rules: RuleSet, language: str) -> list[tuple[str, list[str]]]:
    sectors = {s.code: s.label.get(language) for s in rules.data.sectors}
    grouped: dict[str, list[str]] = {}
    for system in rules.data.source_systems:
        if system.code != "KAVERI":
            grouped.setdefault(sectors[system.sector], []).append(system.label.get(language))
    return list(grouped.items())


@dataclass
class StatuteText:
    code: str
    number: str
    title: str
    in_force_from: object
    in_force_until: object
    verified: bool
    checked_at: str


def statutes(rules: RuleSet, language: str) -> list[StatuteText]:
    return [
        StatuteText(
            code=s.code,
            number=s.number,
            title=s.title.get(language),
            in_force_from=s.in_force_from,
            in_force_until=s.in_force_until,
            verified=s.verified,
            checked_at=s.checked_at,
        )
        for s in rules.data.statutes
    ]


@dataclass
class RuleSetText:
    version: str
    label: str
    valid_from: object
    valid_until: object
    in_force: bool
    shown: bool


def rule_sets(registry, in_force: RuleSet, shown: RuleSet, language: str) -> list[RuleSetText]:
    """Every loaded set, newest first, marked where it is the one in force or on screen."""
    return [
        RuleSetText(
            version=r.version,
            label=r.data.label.get(language),
            valid_from=r.data.valid_from,
            valid_until=registry.in_force_until(r),
            in_force=r.version == in_force.version,
            shown=r.version == shown.version,
        )
        for r in reversed(registry.sets)
    ]
