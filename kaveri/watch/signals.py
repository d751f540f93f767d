"""The signals of the watch: each a named rule of the rule set, each one indexed query
over the whole population (or over some clients), for a given day.

A rule's query returns its source records annotated with the same columns: the client,
the day since which the client has been behind (`since`), the responsible organisation,
relationship and authority, and the facts its explanation needs. The scan turns new
hits into `Signal` rows and clears the rows whose query no longer matches.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate, TruncWeek

from kaveri.access.models import EmergencyAccess
from kaveri.benefits.models import Application, InformationRequest
from kaveri.casework.models import (
    ClientRelationship,
    NamedWorker,
    ServiceNeedAssessment,
    SituationChange,
)
from kaveri.consent.models import Consent
from kaveri.plans.models import Plan
from kaveri.rules.ruleset import RuleSet
from kaveri.rules.schema import SignalRule
from kaveri.services.models import Participation, ServiceEpisode
from kaveri.watch.deadlines import day, label

OPEN_APPLICATION = ("PENDING", "INFORMATION_REQUESTED")
NO_RELATIONSHIP = Value(None, output_field=IntegerField())


@dataclass(frozen=True)
class SignalQuery:
    """How one signal rule finds its hits and words their facts."""

    kind: str
    category: str
    hits: Callable[[date, SignalRule, RuleSet], QuerySet]
    facts: Callable[[dict, RuleSet], dict]
    owners: Callable[[dict], list] = lambda hit: [hit["w_authority"]]
    # The rule's query reads a few clients faster when told them (`hits(..., clients=)`).
    narrows: bool = False

    def found(self, day_: date, rule: SignalRule, rules: RuleSet, clients=None) -> QuerySet:
        """The hits on the day: of everyone, or of these clients only."""
        if clients is None:
            return self.hits(day_, rule, rules)
        extra = {"clients": clients} if self.narrows else {}
        return self.hits(day_, rule, rules, **extra).filter(w_client__in=clients)


def columns(qs: QuerySet, *, client, since, organisation, relationship, authority, **facts):
    """The standard columns of a hit, and the facts its explanation names."""
    return qs.annotate(
        w_client=client,
        w_since=since,
        w_organisation=organisation,
        w_relationship=relationship,
        w_authority=authority,
        **{f"f_{name}": value for name, value in facts.items()},
    )


def episode_columns(qs: QuerySet, since, **facts) -> QuerySet:
    """The columns of a hit on a service episode: its decider answers for it."""
    return columns(
        qs,
        client=F("client_id"),
        since=since,
        organisation=F("decided_by_id"),
        relationship=F("relationship_id"),
        authority=F("decided_by__authority"),
        service=F("service"),
        **facts,
    )


def text(value: str) -> Value:
    return Value(value, output_field=CharField())


def days_before(day_: date, span) -> date:
    return span.before(day_) if span is not None else day_


# --- services ---------------------------------------------------------------------------


def ended_no_next_step(day_: date, rule: SignalRule, rules: RuleSet) -> QuerySet:
    """Ended, or past its end date, with nothing after it and the case still open."""
    since = days_before(day_, rule.looks_back)
    later = ServiceEpisode.objects.filter(
        client=OuterRef("client"), starts_on__gte=OuterRef("starts_on")
    ).exclude(pk=OuterRef("pk"))
    named_next = {r.code: r.next_service for r in rules.data.end_reasons if r.next_service}
    next_step = ~Q(end_reason__in=list(named_next)) & (
        Exists(later)
        | Exists(Plan.objects.filter(client=OuterRef("client"), made_on__gte=OuterRef("w_end")))
    )
    for reason, service in named_next.items():
        next_step |= Q(end_reason=reason) & Exists(later.filter(service=service))
    open_case = ClientRelationship.objects.filter(
        client=OuterRef("client"), organisation=OuterRef("decided_by"), closed_on__isnull=True
    )
    ended = ServiceEpisode.objects.filter(
        Q(ended_on__lte=day_) | Q(ended_on__isnull=True, ends_on__lt=day_)
    ).annotate(w_end=Coalesce("ended_on", "ends_on"))
    qs = (
        ended.filter(w_end__gte=since, w_end__lte=day_)
        .exclude(end_reason__in=rule.settled_by_end_reasons)
        .filter(Exists(open_case))
        .exclude(next_step)
    )
    return episode_columns(qs, F("w_end"), reason=F("end_reason"))


def ended_facts(hit: dict, rules: RuleSet) -> dict:
    reason = hit["f_reason"]
    return {
        "service": label("service", hit["f_service"]),
        "ended": day(hit["w_since"]),
        "reason": label("end_reason", reason) if reason else "label:watch:END_DATE_PASSED",
    }


def intensive_services(rules: RuleSet, bound: str) -> list[str]:
    return [
        s.code
        for s in rules.data.services
        if s.intensity is not None and getattr(s.intensity, bound) is not None
    ]


def no_participation(day_: date, rule: SignalRule, rules: RuleSet) -> QuerySet:
    since = days_before(day_, rule.after)
    attended = Participation.objects.filter(episode=OuterRef("pk"), attended=True, day__lte=day_)
    qs = (
        ServiceEpisode.objects.current_on(day_)
        .filter(service__in=intensive_services(rules, "days_per_week"), starts_on__lte=since)
        .exclude(Exists(attended.filter(day__gt=since)))
        .annotate(w_last=Subquery(attended.order_by("-day").values("day")[:1]))
    )
    return episode_columns(qs, Coalesce("w_last", "starts_on"), last=F("w_last"))


def no_participation_facts(hit: dict, rules: RuleSet) -> dict:
    last = hit["f_last"]
    return {
        "service": label("service", hit["f_service"]),
        "last": day(last) if last else "label:watch:NEVER",
        "days": rules.data.watch.signal("NO_PARTICIPATION").after.amount,
    }


def out_of_bounds(day_: date, rule: SignalRule, rules: RuleSet, clients=None) -> QuerySet:
    """Attended days in the last weeks against the service's days a week and hours a day.
    The breaches are found as sets (`pk IN` grouped participation), which the daily scan
    wants; for a few clients the sets are of their days only, or one client's page would
    group the whole region's participation (9 ms at 10,000 clients, growing with them)."""
    since = days_before(day_, rule.looks_back)
    recent = Participation.objects.filter(attended=True, day__gt=since, day__lte=day_)
    if clients is not None:
        recent = recent.filter(episode__client_id__in=clients)
    too_many_days = Q(pk__in=[])
    for service in intensive_services(rules, "days_per_week"):
        bound = rules.services[service].intensity.days_per_week.max
        if bound is None:
            continue
        weeks = (
            recent.filter(episode__service=service)
            .annotate(week=TruncWeek("day"))
            .values("episode_id", "week")
            .annotate(days=Count("pk"))
            .filter(days__gt=bound)
            .values("episode_id")
        )
        too_many_days |= Q(pk__in=weeks)
    outside_hours = Q(pk__in=[])
    for service in intensive_services(rules, "hours_per_day"):
        hours = rules.services[service].intensity.hours_per_day
        wrong = Q(hours__lt=hours.min) | (Q(hours__gt=hours.max) if hours.max else Q(pk__in=[]))
        outside_hours |= Q(
            pk__in=recent.filter(wrong, episode__service=service).values("episode_id")
        )
    qs = ServiceEpisode.objects.filter(too_many_days | outside_hours).annotate(
        w_first=Subquery(
            recent.filter(episode=OuterRef("pk"))
            .values("episode")
            .annotate(first=Min("day"))
            .values("first")[:1]
        )
    )
    return episode_columns(qs, F("w_first"))


def out_of_bounds_facts(hit: dict, rules: RuleSet) -> dict:
    """The first breach among this one episode's recent days: a week with too many days,
    or a day with too few or too many hours."""
    intensity = rules.services[hit["f_service"]].intensity
    days = list(
        Participation.objects.filter(
            episode_id=hit["pk"], attended=True, day__gte=hit["w_since"]
        ).values_list("day", "hours")
    )
    facts = {"service": label("service", hit["f_service"])}
    weeks: dict[date, int] = {}
    for attended, _hours in days:
        monday = attended - timedelta(days=attended.weekday())
        weeks[monday] = weeks.get(monday, 0) + 1
    most = intensity.days_per_week.max if intensity.days_per_week else None
    for monday, count in sorted(weeks.items()):
        if most is not None and count > most:
            return facts | {
                "week": day(monday),
                "found": f"days:{count}",
                "bound": f"days_at_most:{most}",
            }
    hours = intensity.hours_per_day
    for attended, recorded in days:
        if (
            hours
            and recorded is not None
            and (recorded < hours.min or (hours.max and recorded > hours.max))
        ):
            low = recorded < hours.min
            return facts | {
                "week": day(attended - timedelta(days=attended.weekday())),
                "found": f"hours:{recorded}:{attended.isoformat()}",
                "bound": f"hours_at_least:{hours.min}" if low else f"hours_at_most:{hours.max}",
            }
    return facts | {"week": day(hit["w_since"]), "found": "", "bound": ""}


# --- plans ------------------------------------------------------------------------------


def open_or_no_relationship() -> Q:
    return Q(relationship__isnull=True) | Q(relationship__closed_on__isnull=True)


def plan_review_overdue(day_: date, rule: SignalRule, rules: RuleSet) -> QuerySet:
    qs = Plan.objects.filter(open_or_no_relationship(), is_current=True, next_review_on__lt=day_)
    return columns(
        qs,
        client=F("client_id"),
        since=F("next_review_on"),
        organisation=F("relationship__organisation_id"),
        relationship=F("relationship_id"),
        authority=Coalesce("relationship__organisation__authority", text("")),
        plan=F("plan_type"),
    )


def plan_review_facts(hit: dict, rules: RuleSet) -> dict:
    return {"plan": label("plan", hit["f_plan"]), "review": day(hit["w_since"])}


def consent_plan_at_risk(day_: date, rule: SignalRule, rules: RuleSet) -> QuerySet:
    """A plan in force whose consent has its last day within `within`, or is not in force."""
    horizon = rule.within.after(day_)
    at_risk = Q(pk__in=[])
    for plan_type, purpose in rule.plans_depend_on.items():
        lasting = Consent.objects.filter(
            client=OuterRef("client"),
            purpose=purpose,
            state=Consent.State.GIVEN,
            valid_from__lte=day_,
        ).filter(Q(valid_until__isnull=True) | Q(valid_until__gt=horizon))
        at_risk |= Q(plan_type=plan_type) & ~Exists(lasting)
    qs = (
        Plan.objects.filter(open_or_no_relationship(), is_current=True)
        .filter(plan_type__in=list(rule.plans_depend_on))
        .filter(at_risk)
    )
    until = Case(
        *[
            When(
                plan_type=plan_type,
                then=Subquery(
                    Consent.objects.filter(
                        client=OuterRef("client"),
                        purpose=purpose,
                        state=Consent.State.GIVEN,
                        valid_from__lte=day_,
                    )
                    .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day_))
                    .order_by("-valid_until")
                    .values("valid_until")[:1]
                ),
            )
            for plan_type, purpose in rule.plans_depend_on.items()
        ],
        output_field=DateField(),
    )
    return columns(
        qs,
        client=F("client_id"),
        since=Coalesce(until, Value(day_, output_field=DateField())),
        organisation=F("relationship__organisation_id"),
        relationship=F("relationship_id"),
        authority=Coalesce("relationship__organisation__authority", text("")),
        plan=F("plan_type"),
        until=until,
    )


def consent_plan_facts(hit: dict, rules: RuleSet) -> dict:
    purpose = rules.data.watch.signal("CONSENT_PLAN_AT_RISK").plans_depend_on[hit["f_plan"]]
    until = hit["f_until"]
    return {
        "plan": label("plan", hit["f_plan"]),
        "purpose": label("consent_purpose", purpose),
        "until": day(until) if until else "label:watch:NO_CONSENT",
    }


# --- benefits ---------------------------------------------------------------------------


def deciding_authority(rules: RuleSet, prefix: str = "") -> Coalesce:
    by_benefit = Case(
        *[
            When(**{f"{prefix}benefit": b.code}, then=Value(b.decided_by))
            for b in rules.data.benefits
        ],
        default=Value(""),
        output_field=CharField(),
    )
    return Coalesce(f"{prefix}deciding_organisation__authority", by_benefit)


def application_columns(qs: QuerySet, rules: RuleSet, path: str, since, **facts) -> QuerySet:
    """The columns of a hit on an application (at `path` from the hit's record): the
    deciding authority answers for it."""
    return columns(
        qs,
        client=F(f"{path}client_id"),
        since=since,
        organisation=F(f"{path}deciding_organisation_id"),
        relationship=NO_RELATIONSHIP,
        authority=deciding_authority(rules, path),
        benefit=F(f"{path}benefit"),
        **facts,
    )


def application_overdue(day_: date, rule: SignalRule, rules: RuleSet) -> QuerySet:
    qs = Application.objects.filter(status="PENDING", expected_decision_on__lt=day_)
    return application_columns(
        qs, rules, "", F("expected_decision_on"), submitted=F("submitted_on")
    )


def overdue_facts(hit: dict, rules: RuleSet) -> dict:
    return {
        "benefit": label("benefit", hit["f_benefit"]),
        "expected": day(hit["w_since"]),
        "submitted": day(hit["f_submitted"]),
        "authority": label("authority", hit["w_authority"]),
    }


def request_due(day_: date, rule: SignalRule, rules: RuleSet) -> QuerySet:
    qs = InformationRequest.objects.filter(
        answered_on__isnull=True, due_on__lte=rule.within.after(day_)
    )
    return application_columns(qs, rules, "application__", F("due_on"), requested=F("requested_on"))


def request_facts(hit: dict, rules: RuleSet) -> dict:
    return {
        "benefit": label("benefit", hit["f_benefit"]),
        "answer_due": day(hit["w_since"]),
        "requested": day(hit["f_requested"]),
        "authority": label("authority", hit["w_authority"]),
    }


# --- relationships ----------------------------------------------------------------------


def relationship_kinds(rules: RuleSet, test: Callable) -> list[str]:
    return [k.code for k in rules.data.relationship_kinds if test(k)]


def open_relationships_lacking(
    kinds: list[str], rule: SignalRule, day_: date, missing: QuerySet
) -> QuerySet:
    """Open relationships of these kinds, opened at least `after` ago, for which `missing`
    (a subquery on the relationship) finds nothing; their organisation answers for them."""
    qs = ClientRelationship.objects.filter(
        closed_on__isnull=True, kind__in=kinds, opened_on__lte=rule.after.before(day_)
    ).exclude(Exists(missing))
    return columns(
        qs,
        client=F("client_id"),
        since=F("opened_on"),
        organisation=F("organisation_id"),
        relationship=F("pk"),
        authority=F("organisation__authority"),
        kind=F("kind"),
    )


def no_named_worker(day_: date, rule: SignalRule, rules: RuleSet) -> QuerySet:
    needs_worker = relationship_kinds(rules, lambda k: any(w.min > 0 for w in k.workers))
    named = NamedWorker.objects.current().filter(relationship=OuterRef("pk"))
    return open_relationships_lacking(needs_worker, rule, day_, named)


def kela_idle(day_: date, rule: SignalRule, rules: RuleSet) -> QuerySet:
    kela = relationship_kinds(rules, lambda k: k.authority == "KELA")
    pending = Application.objects.filter(client=OuterRef("client"), status__in=OPEN_APPLICATION)
    return open_relationships_lacking(kela, rule, day_, pending)


def typ_referral_not_acted(day_: date, rule: SignalRule, rules: RuleSet) -> QuerySet:
    typ = relationship_kinds(rules, lambda k: k.authority == "TYP")
    assessed = ServiceNeedAssessment.objects.filter(relationship=OuterRef("pk"))
    return open_relationships_lacking(typ, rule, day_, assessed)


def relationship_facts(hit: dict, rules: RuleSet) -> dict:
    return {"kind": label("relationship_kind", hit["f_kind"]), "opened": day(hit["w_since"])}


# --- consents and emergency access ------------------------------------------------------


def consent_without_form(day_: date, rule: SignalRule, rules: RuleSet) -> QuerySet:
    recorded_before = rule.after.before(day_)
    qs = (
        Consent.objects.filter(state=Consent.State.GIVEN, signed_form="")
        .exclude(method=Consent.Method.PORTAL)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day_))
        .annotate(w_recorded=TruncDate("recorded_at"))
        .filter(w_recorded__lte=recorded_before)
    )
    return columns(
        qs,
        client=F("client_id"),
        since=F("w_recorded"),
        organisation=F("recorded_by__organisation_id"),
        relationship=NO_RELATIONSHIP,
        authority=Coalesce("recorded_by__organisation__authority", text("")),
        purpose=F("purpose"),
    )


def without_form_facts(hit: dict, rules: RuleSet) -> dict:
    return {
        "purpose": label("consent_purpose", hit["f_purpose"]),
        "recorded": day(hit["w_since"]),
    }


def unreviewed(day_: date, rule: SignalRule, rules: RuleSet) -> QuerySet:
    started_before = rules.data.emergency_access.review_due.before(day_)
    qs = (
        EmergencyAccess.objects.filter(reviewed_at__isnull=True)
        .annotate(w_started=TruncDate("started_at"))
        .filter(w_started__lt=started_before)
    )
    return columns(
        qs,
        client=F("client_id"),
        since=F("w_started"),
        organisation=F("worker__organisation_id"),
        relationship=NO_RELATIONSHIP,
        authority=Coalesce("worker__organisation__authority", text("")),
        worker=F("worker_id"),
    )


def no_owner(hit: dict) -> list:
    """An emergency access concerns its reviewers, not the client's other workers."""
    return []


def emergency_facts(hit: dict, rules: RuleSet) -> dict:
    return {"worker": f"worker:{hit['f_worker']}", "opened": day(hit["w_since"])}


# --- what the client reports ---------------------------------------------------------


def situation_changed(day_: date, rule: SignalRule, rules: RuleSet) -> QuerySet:
    """A change the client reported within `looks_back`: every worker named to the client
    sees it; the authorities the client told own it."""
    qs = SituationChange.objects.filter(
        reported_on__gt=rule.looks_back.before(day_), reported_on__lte=day_
    )
    return columns(
        qs,
        client=F("client_id"),
        since=F("reported_on"),
        organisation=Value(None, output_field=IntegerField()),
        relationship=NO_RELATIONSHIP,
        authority=text(""),
        change=F("kind"),
        starts=F("starts_on"),
        told=F("told"),
    )


def situation_facts(hit: dict, rules: RuleSet) -> dict:
    return {
        "change": label("situation_change", hit["f_change"]),
        "starts": day(hit["f_starts"]),
        "reported": day(hit["w_since"]),
    }


def told_authorities(hit: dict) -> list:
    return list(hit["f_told"])


QUERIES: dict[str, SignalQuery] = {
    q.kind: q
    for q in [
        SignalQuery("SERVICE_ENDED_NO_NEXT_STEP", "SERVICES", ended_no_next_step, ended_facts),
        SignalQuery("PLAN_REVIEW_OVERDUE", "PLANS", plan_review_overdue, plan_review_facts),
        SignalQuery("NO_PARTICIPATION", "SERVICES", no_participation, no_participation_facts),
        SignalQuery(
            "PARTICIPATION_OUT_OF_BOUNDS",
            "SERVICES",
            out_of_bounds,
            out_of_bounds_facts,
            narrows=True,
        ),
        SignalQuery("APPLICATION_OVERDUE", "BENEFITS", application_overdue, overdue_facts),
        SignalQuery("INFORMATION_REQUEST_DUE", "BENEFITS", request_due, request_facts),
        SignalQuery("NO_NAMED_WORKER", "BASIC", no_named_worker, relationship_facts),
        SignalQuery("CONSENT_PLAN_AT_RISK", "PLANS", consent_plan_at_risk, consent_plan_facts),
        SignalQuery("KELA_SERVICE_NO_APPLICATION", "BENEFITS", kela_idle, relationship_facts),
        SignalQuery("TYP_REFERRAL_NOT_ACTED", "BASIC", typ_referral_not_acted, relationship_facts),
        SignalQuery("CONSENT_WITHOUT_FORM", "BASIC", consent_without_form, without_form_facts),
        SignalQuery("EMERGENCY_ACCESS_UNREVIEWED", "BASIC", unreviewed, emergency_facts, no_owner),
        SignalQuery(
            "SITUATION_CHANGE_REPORTED",
            "BASIC",
            situation_changed,
            situation_facts,
            told_authorities,
        ),
    ]
}
