"""A validated rule set with look-ups by code and the derived facts the UI needs."""

from django.utils.translation import get_language

from kaveri.rules.durations import Duration
from kaveri.rules.schema import (
    Authority,
    Benefit,
    DurationRange,
    EvidenceType,
    Label,
    PlanType,
    Process,
    RelationshipKind,
    RuleSetData,
    Service,
    Step,
    Timing,
)


def current_language() -> str:
    """The language of the request or command now running (Finnish when none is set)."""
    return get_language() or "fi"


UNIT_WORDS = {
    "fi": {
        "D": ("päivä", "päivää"),
        "WD": ("arkipäivä", "arkipäivää"),
        "W": ("viikko", "viikkoa"),
        "M": ("kuukausi", "kuukautta"),
        "Y": ("vuosi", "vuotta"),
    },
    "sv": {
        "D": ("dag", "dagar"),
        "WD": ("vardag", "vardagar"),
        "W": ("vecka", "veckor"),
        "M": ("månad", "månader"),
        "Y": ("år", "år"),
    },
    "en": {
        "D": ("day", "days"),
        "WD": ("working day", "working days"),
        "W": ("week", "weeks"),
        "M": ("month", "months"),
        "Y": ("year", "years"),
    },
}


def duration_text(duration: Duration, language: str) -> str:
    singular, plural = UNIT_WORDS.get(language[:2], UNIT_WORDS["fi"])[duration.unit]
    return f"{duration.amount} {singular if duration.amount == 1 else plural}"


def range_text(lower: Duration, upper: Duration, language: str) -> str:
    if lower == upper:
        return duration_text(lower, language)
    if lower.unit == upper.unit:
        return f"{lower.amount}–{duration_text(upper, language)}"
    return f"{duration_text(lower, language)} – {duration_text(upper, language)}"


def duration_range_text(span: DurationRange, language: str) -> str:
    return range_text(span.lower, span.upper, language)


class RuleSet:
    def __init__(self, data: RuleSetData):
        self.data = data
        self.version = data.version
        self.authorities: dict[str, Authority] = {a.code: a for a in data.authorities}
        self.services: dict[str, Service] = {s.code: s for s in data.services}
        self.plans: dict[str, PlanType] = {p.code: p for p in data.plans}
        self.benefits: dict[str, Benefit] = {b.code: b for b in data.benefits}
        self.evidence_types: dict[str, EvidenceType] = {e.code: e for e in data.evidence_types}
        self.relationship_kinds: dict[str, RelationshipKind] = {
            k.code: k for k in data.relationship_kinds
        }
        self.processes: dict[str, Process] = {p.code: p for p in data.processes}
        self.pathways = {p.code: p for p in data.pathways}
        self.labels: dict[str, dict[str, Label]] = {
            "closure_reason": {r.code: r.label for r in data.closure_reasons},
            "end_reason": {r.code: r.label for r in data.end_reasons},
            "worker_role": {r.code: r.label for r in data.worker_roles},
            "contact_initiator": {r.code: r.label for r in data.contact_initiators},
            "contact_channel": {r.code: r.label for r in data.contact_channels},
            "situation_change": {r.code: r.label for r in data.situation_changes},
            "source_system": {r.code: r.label for r in data.source_systems},
            "measure": {m.code: m.label for m in data.measures},
            "authority": {a.code: a.label for a in data.authorities},
            "service": {s.code: s.label for s in data.services},
            "plan": {p.code: p.label for p in data.plans},
            "benefit": {b.code: b.label for b in data.benefits},
            "employment_statement": {k.code: k.label for k in data.employment_statements},
            "evidence": {e.code: e.label for e in data.evidence_types},
            "relationship_kind": {k.code: k.label for k in data.relationship_kinds},
            "consent_purpose": {c.code: c.label for c in data.consent_purposes},
            "authority_request": {k.code: k.label for k in data.authority_requests.kinds},
            "data_category": {c.code: c.label for c in data.data_categories},
            "appeal": {a.code: a.label for a in data.appeals},
            "process": {p.code: p.label for p in data.processes},
            "pathway": {p.code: p.label for p in data.pathways},
        }

    def label(self, kind: str, code: str, language: str) -> str:
        found = self.labels[kind].get(code)
        return found.get(language) if found else code

    def choices(self, kind: str, language: str = "fi") -> list[tuple[str, str]]:
        return [(code, label.get(language)) for code, label in self.labels[kind].items()]

    def plan_review(self, plan_code: str, process_code: str | None) -> DurationRange:
        review = self.plans[plan_code].review
        return review.by_process.get(process_code or "", review.default)

    def processing_span(self, authority_code: str) -> tuple[Duration, Duration]:
        times = [b.processing_time for b in self.data.benefits if b.decided_by == authority_code]
        return (
            min(times, key=lambda d: d.approximate_days),
            max(times, key=lambda d: d.approximate_days),
        )

    def client_delivers_to(self, authority_code: str) -> list[str]:
        for row in self.data.client_delivers:
            if row.to == authority_code:
                return list(row.items)
        return []

    def timing_text(self, timing: Timing, language: str) -> str:
        """The interval or duration a step's timing names, in words."""
        if timing.kind == "service_intensity":
            return self._intensity_text(self.services[timing.ref], language)
        if timing.kind == "service_decision_period":
            period = self.services[timing.ref].decision_period
            return duration_range_text(period.default, language) if period else ""
        if timing.kind == "service_continuation":
            continuation = self.services[timing.ref].continuation_period
            return duration_text(continuation, language) if continuation else ""
        if timing.kind == "plan_review":
            return duration_range_text(self.plan_review(timing.ref, timing.process), language)
        if timing.kind == "processing_time":
            return range_text(*self.processing_span(timing.ref), language)
        if timing.kind == "initial_interview":
            return duration_text(self.data.job_seeker_model.initial_interview_within, language)
        raise ValueError(f"unknown timing kind {timing.kind}")

    def _intensity_text(self, service: Service, language: str) -> str:
        words = {
            "fi": ("pv/vko", "h/pv"),
            "sv": ("dagar/vecka", "h/dag"),
            "en": ("days/week", "h/day"),
        }[language[:2] if language[:2] in "fisven" else "fi"]
        parts = []
        intensity = service.intensity
        if intensity and intensity.days_per_week:
            parts.append(f"{_int_range(intensity.days_per_week)} {words[0]}")
        if intensity and intensity.hours_per_day:
            parts.append(f"≥ {intensity.hours_per_day.min} {words[1]}")
        return ", ".join(parts)

    def kinds_opened_at(self, authority: str, is_municipal_trial: bool) -> list[RelationshipKind]:
        """The relationship kinds an organisation opens. Where the set still has the
        municipal employment trials (until 2024), a trial opens only its own kind and
        an ordinary organisation never does; after them, every kind of the authority."""
        kinds = [k for k in self.data.relationship_kinds if k.authority == authority]
        if not any(k.at_municipal_trial for k in kinds):
            return kinds
        return [k for k in kinds if k.at_municipal_trial == is_municipal_trial]

    def step_authorities(self, step: Step) -> list[str]:
        return [step.authority, *step.also]


def _int_range(bounds) -> str:
    if bounds.max is None or bounds.max == bounds.min:
        return f"≥ {bounds.min}"
    return f"{bounds.min}–{bounds.max}"
