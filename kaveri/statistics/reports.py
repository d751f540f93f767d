"""The coordinator's tables, labelled in the page's language: each built once, for the page,
its CSV and XLSX downloads and the API alike, from the choices in a request's address.
Every figure is a count of relationships or a figure of at least SMALLEST_SHOWN."""

from dataclasses import dataclass
from datetime import date
from functools import partial

from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaveri.rules.proposals import proposal_of
from kaveri.rules.registry import get_rules, registry, rules_on
from kaveri.rules.ruleset import RuleSet, current_language, duration_text
from kaveri.statistics.bottlenecks import (
    Bottleneck,
    drop_out_bottlenecks,
    trend_period,
    wait_bottlenecks,
)
from kaveri.statistics.decisions import decision_table
from kaveri.statistics.drawing import Sparkline, sparkline
from kaveri.statistics.durations import DurationRow, service_table, signal_table
from kaveri.statistics.filters import StatisticsFilters
from kaveri.statistics.flows import Flow, FlowStep, flows_of, pathway_flows
from kaveri.statistics.follow_up import follow_up_tables
from kaveri.statistics.forms import ProposalForm, StatisticsForm
from kaveri.statistics.outcomes import OutcomeTable, outcome_table
from kaveri.statistics.preview import Preview, preview, workload_rows
from kaveri.statistics.suppression import suppress_columns
from kaveri.statistics.tables import StatTable
from kaveri.statistics.waiting import BY_ORGANISATION, STEPS, WaitingTable, waiting_table
from kaveri.watch.explain import kind_label_of


def step_labels() -> dict[str, str]:
    return {
        "assessment": _("to the service need assessment"),
        "plan": _("to the plan"),
        "service": _("to the first service"),
    }


def group_label(code: str) -> str:
    rules, language = get_rules(), current_language()
    if code in rules.labels["pathway"]:
        return f"{code} {rules.label('pathway', code, language)}"
    return rules.label("relationship_kind", code, language)


def decision_rows(filters: StatisticsFilters) -> list[dict]:
    """Per benefit with decisions in the period: how long they took, beside the target
    (kaveri.statistics.decisions)."""
    rules, language = get_rules(), current_language()
    benefits = {benefit.code: benefit for benefit in rules.data.benefits}
    return [
        {
            "label": rules.label("benefit", row.benefit, language),
            "decided_by": rules.label("authority", benefits[row.benefit].decided_by, language),
            "decisions": row.decisions,
            "median": row.median,
            "p90": row.p90,
            "target": duration_text(benefits[row.benefit].processing_time, language),
            "within": row.within,
        }
        for row in decision_table(filters, rules)
    ]


def reason_label(code: str) -> str:
    return get_rules().label("closure_reason", code, current_language()) if code else _("Not given")


def organisation_label(name: str) -> str:
    return name or _("No organisation recorded")


def waiting_export(table: WaitingTable, by_organisation: bool = False) -> StatTable:
    """The waiting times per pathway or process, or per organisation."""
    labels = step_labels()
    first = _("Organisation") if by_organisation else _("Pathway or process")
    header = [first, _("Relationships opened")]
    for step in STEPS:
        named = {"step": capfirst(labels[step])}
        header += [
            _("%(step)s: reached") % named,
            _("%(step)s: median days") % named,
            _("%(step)s: 90 %% within days") % named,
        ]

    def figures(opened, waits) -> list:
        cells = [opened]
        for step in STEPS:
            cells += [waits[step].count, waits[step].median, waits[step].p90]
        return cells

    label = organisation_label if by_organisation else group_label
    rows = [[label(row.group), *figures(row.opened, row.waits)] for row in table.rows]
    if table.rows:
        rows.append([_("All"), *figures(table.total_opened, table.total_waits)])
    if by_organisation:
        title = _("Waiting times by organisation")
        return StatTable("waiting-by-organisation", title, header, rows)
    return StatTable("waiting", _("Waiting times"), header, rows)


def outcome_export(outcomes: OutcomeTable) -> StatTable:
    shown = outcomes.shown
    header = [_("Pathway or process"), *map(reason_label, outcomes.reasons), _("All")]
    rows = [
        [group_label(group), *cells, total]
        for group, cells, total in zip(outcomes.groups, shown.cells, shown.row_totals, strict=True)
    ]
    if outcomes.groups:
        rows.append([_("All"), *shown.column_totals, shown.total])
    return StatTable("outcomes", _("How relationships ended"), header, rows)


def situation_labels() -> list[str]:
    """Column heads for follow_up.SITUATIONS, in its order."""
    return [
        _("in a service"),
        _("a client of the network, in no service"),
        _("a registered job seeker only"),
        _("none of these in Kaveri"),
        _("not yet known"),
    ]


def follow_up_tables_of(filters: StatisticsFilters, today: date) -> list[StatTable]:
    """One table per follow-up time of the rule set: closure reason by the situation then."""
    language = current_language()
    header = [_("Closure reason"), *situation_labels(), _("All")]
    found = []
    follow_ups = rules_on(today).data.closure_follow_ups
    for table in follow_up_tables(filters, follow_ups, filters.day):
        shown = table.shown
        rows = [
            [reason_label(reason), *cells, total]
            for reason, cells, total in zip(
                table.reasons, shown.cells, shown.row_totals, strict=True
            )
        ]
        if rows:
            rows.append([_("All"), *shown.column_totals, shown.total])
        after = duration_text(table.after, language)
        title = _("%(after)s after the closure") % {"after": after}
        found.append(StatTable(f"after-closure-{table.after}", capfirst(title), header, rows))
    return found


def after_closure_export(filters: StatisticsFilters, today: date) -> StatTable:
    """Every follow-up time in one table, for the downloads and the API."""
    tables = follow_up_tables_of(filters, today)
    header = [_("After the closure"), *tables[0].header] if tables else []
    rows = [[table.title, *row] for table in tables for row in table.rows]
    return StatTable("after-closure", _("What became of clients after the closure"), header, rows)


def month_label(month: date) -> str:
    return f"{month.month}/{month.year}"


@dataclass(frozen=True)
class BottleneckRow:
    rank: int
    where: str
    step: str
    found: Bottleneck
    spark: Sparkline
    trend_label: str


def _trend_label(months: list[date], trend: list[int | None]) -> str:
    values = ", ".join(
        f"{month_label(month)}: {_('withheld') if value is None else value}"
        for month, value in zip(months, trend, strict=True)
    )
    return _("Month by month, %(values)s") % {"values": values}


def _bottleneck_rows(months, found: list[Bottleneck], where, step) -> list[BottleneckRow]:
    return [
        BottleneckRow(
            rank,
            where(b),
            step(b),
            b,
            sparkline(b.trend),
            _trend_label(months, b.trend),
        )
        for rank, b in enumerate(found, start=1)
    ]


def wait_bottleneck_rows(filters: StatisticsFilters) -> tuple[list[date], list[BottleneckRow]]:
    period = trend_period(filters, get_rules())
    months = period.months()
    labels = step_labels()
    rows = _bottleneck_rows(
        months,
        wait_bottlenecks(period, months),
        lambda b: group_label(b.group),
        lambda b: capfirst(labels[b.step]),
    )
    return months, rows


def drop_out_bottleneck_rows(filters: StatisticsFilters) -> tuple[list[date], list[BottleneckRow]]:
    rules, language = get_rules(), current_language()
    period = trend_period(filters, rules)
    months = period.months()
    maps = {flow.code: flow for flow in flows_of(rules)}
    rows = _bottleneck_rows(
        months,
        drop_out_bottlenecks(rules, period, months),
        lambda b: f"{b.group} {maps[b.group].label.get(language)}",
        lambda b: maps[b.group].steps[int(b.step)].label.get(language),
    )
    return months, rows


def _bottleneck_export(name, title, figure, found: tuple[list[date], list[BottleneckRow]]):
    months, rows = found
    header = [_("Rank"), _("Pathway or process"), _("Step"), figure, _("reached")]
    header += [month_label(month) for month in months]
    cells = [
        [row.rank, row.where, row.step, row.found.figure, row.found.people, *row.found.trend]
        for row in rows
    ]
    return StatTable(name, title, header, cells)


def bottleneck_waits_export(filters: StatisticsFilters) -> StatTable:
    return _bottleneck_export(
        "bottleneck-waits",
        _("The longest waits"),
        _("median days"),
        wait_bottleneck_rows(filters),
    )


def bottleneck_drop_outs_export(filters: StatisticsFilters) -> StatTable:
    return _bottleneck_export(
        "bottleneck-drop-outs",
        _("The most dropped out"),
        _("closed without reaching the next step (%)"),
        drop_out_bottleneck_rows(filters),
    )


BOTTLENECK_TABLES = {
    "bottleneck-waits": bottleneck_waits_export,
    "bottleneck-drop-outs": bottleneck_drop_outs_export,
}


def decision_export(rows: list[dict]) -> StatTable:
    header = [
        _("Benefit"),
        _("Decided by"),
        _("decisions"),
        _("median days"),
        _("90 %% within days") % {},
        _("target"),
        _("within the target (%)"),
    ]
    keys = ("label", "decided_by", "decisions", "median", "p90", "target", "within")
    cells = [[row[key] for key in keys] for row in rows]
    return StatTable("decision-times", _("Decision times of benefits"), header, cells)


def _proposed(version: str) -> tuple[RuleSet, tuple]:
    if version in registry().versions:
        return registry().of_version(version), ()
    found = proposal_of(version)
    language = current_language()
    return found.rules, tuple(change.label.get(language) for change in found.changes)


def _counted_by_code(rules, kind: str, counts: dict[str, list[int]], codes) -> list[list]:
    """Rows of counts per rule code, labelled, suppressed as columns, with the total row."""
    shown = suppress_columns([counts[code] for code in codes])
    language = current_language()
    rows = [
        [rules.label(kind, code, language), *cells]
        for code, cells in zip(codes, shown.cells, strict=True)
    ]
    return [*rows, [_("All"), *shown.column_totals]] if codes else rows


def _falling_due(found: Preview, kind: str, counts: dict[str, list[int]], words) -> list:
    """The header and rows of a table of what falls due: in force, earlier, overdue today
    and as proposed, per rule code of `kind`; `words` names the first three columns."""
    header = [*words, _("overdue today"), _("overdue under the proposal")]
    return [header, _counted_by_code(found.current, kind, counts, sorted(counts))]


def plan_type_export(found: Preview) -> StatTable:
    words = (_("Plan"), _("plans in force"), _("review would fall due earlier"))
    header, rows = _falling_due(found, "plan", found.by_plan_type, words)
    return StatTable("preview-plans", _("Plans in force and their reviews"), header, rows)


def service_export(found: Preview) -> StatTable:
    header = [_("Service"), _("decisions in force"), _("outside the proposed bounds")]
    rows = _counted_by_code(found.current, "service", found.by_service, list(found.by_service))
    title = _("Service decisions and the proposed bounds")
    return StatTable("preview-services", title, header, rows)


def workload_export(found: Preview) -> StatTable:
    rows, shown = workload_rows(found)
    header = [
        _("Organisation"),
        _("plans in force"),
        _("review would fall due earlier"),
        _("overdue today"),
        _("overdue under the proposal"),
        _("decisions in force"),
        _("outside the proposed bounds"),
        _("pending applications with a new processing time"),
        _("of them overdue under the proposal"),
        _("plan reviews a year today"),
        _("plan reviews a year under the proposal"),
    ]
    unnamed = _("No organisation recorded")
    cells = [
        [row.name or unnamed, *row.counts, row.reviews_now, row.reviews_proposed] for row in rows
    ]
    if rows:
        now = round(sum(w.reviews_now for w in found.by_organisation.values()))
        proposed = round(sum(w.reviews_proposed for w in found.by_organisation.values()))
        cells.append([_("All"), *shown.column_totals, now, proposed])
    return StatTable("preview-workload", _("Workload per organisation"), header, cells)


def application_export(found: Preview) -> StatTable:
    words = (_("Benefit"), _("applications pending"), _("decision would fall due earlier"))
    header, rows = _falling_due(found, "benefit", found.by_benefit, words)
    title = _("Pending applications and the proposed processing times")
    return StatTable("preview-applications", title, header, rows)


PREVIEW_TABLES = {
    "preview-plans": plan_type_export,
    "preview-services": service_export,
    "preview-applications": application_export,
    "preview-workload": workload_export,
}


def _step_cells(step: FlowStep, last: bool) -> list:
    if not step.counted:
        return [_("not recorded")] * 3
    return [step.reached, "", ""] if last else [step.reached, step.went_on, step.closed_here]


def _flow_rows(flow: Flow) -> list[tuple[FlowStep, list]]:
    last = len(flow.steps) - 1
    return [(step, _step_cells(step, i == last)) for i, step in enumerate(flow.steps)]


def _flow_header() -> list[str]:
    return [_("reached"), _("went on to the next step"), _("closed without reaching it")]


def flow_table(flow: Flow) -> StatTable:
    """One flow's steps, beside its drawing."""
    rows = [[step.label, *cells] for step, cells in _flow_rows(flow)]
    title = f"{flow.code} {flow.label}"
    return StatTable(f"flow-{flow.code}", title, [_("Step"), *_flow_header()], rows)


def flows(filters: StatisticsFilters) -> list[Flow]:
    return pathway_flows(get_rules(), filters, current_language())


def flows_export(found: list[Flow]) -> StatTable:
    header = [_("Pathway or process"), _("Step"), *_flow_header()]
    rows = [
        [f"{flow.code} {flow.label}", step.label, *cells]
        for flow in found
        for step, cells in _flow_rows(flow)
    ]
    return StatTable("flows", _("Pathway flows"), header, rows)


def _duration_rows(rows: list[DurationRow], total, label) -> list[list]:
    def cells(row: DurationRow) -> list:
        spreads = [("", "") if w.count == 0 else (w.median, w.p90) for w in row.spreads]
        return [*row.counts, *(figure for pair in spreads for figure in pair)]

    found = [[label(row.group), *cells(row)] for row in rows]
    return [*found, [_("All"), *cells(total)]] if total else found


def _spread_header(what: str) -> list[str]:
    named = {"step": what}
    return [_("%(step)s: median days") % named, _("%(step)s: 90 %% within days") % named]


# Each table of services: its rows (durations.SERVICE_GROUPS), first column and title.
SERVICE_TABLES = {
    "services": (
        "service",
        gettext_lazy("Service"),
        gettext_lazy("Time in services and the gaps between them"),
    ),
    "services-by-pathway": (
        "pathway",
        gettext_lazy("Pathway or process"),
        gettext_lazy("Time in services and the gaps between them, by pathway"),
    ),
    "services-by-organisation": (
        "organisation",
        gettext_lazy("Organisation that decided"),
        gettext_lazy("Time in services and the gaps between them, by organisation"),
    ),
}


def services_export(filters: StatisticsFilters, name: str = "services") -> StatTable:
    grouping, first, title = SERVICE_TABLES[name]
    rows, total = service_table(filters, grouping)
    header = [
        str(first),
        _("ended in the period"),
        _("went on to another service"),
        _("no next service yet"),
        *_spread_header(_("In the service")),
        *_spread_header(_("Gap before the next service")),
    ]
    labels = {
        "service": partial(get_rules().label, "service", language=current_language()),
        "pathway": lambda group: group_label(group) if group else _("No relationship recorded"),
        "organisation": organisation_label,
    }
    return StatTable(name, str(title), header, _duration_rows(rows, total, labels[grouping]))


def _signals_export(filters: StatisticsFilters, by: str, name: str, title: str, first: str):
    rules = get_rules()
    rows, total = signal_table(filters, by)
    header = [
        first,
        _("raised in the period"),
        _("still open when counted"),
        *_spread_header(_("Open")),
    ]
    if by == "kind":

        def label(kind):
            return kind_label_of(rules, kind)
    else:
        label = organisation_label

    return StatTable(name, title, header, _duration_rows(rows, total, label))


def signals_by_kind_export(filters: StatisticsFilters) -> StatTable:
    return _signals_export(
        filters, "kind", "signals-by-kind", _("The watch's signals by kind"), _("Signal")
    )


def signals_by_organisation_export(filters: StatisticsFilters) -> StatTable:
    return _signals_export(
        filters,
        "organisation__name",
        "signals-by-organisation",
        _("The watch's signals by organisation"),
        _("Organisation"),
    )


DURATION_TABLES = {
    "services": services_export,
    "services-by-pathway": partial(services_export, name="services-by-pathway"),
    "services-by-organisation": partial(services_export, name="services-by-organisation"),
    "signals-by-kind": signals_by_kind_export,
    "signals-by-organisation": signals_by_organisation_export,
}


class InvalidChoices(ValueError):
    """The choices of a download or an API call that cannot be counted, and why."""

    def __init__(self, form: StatisticsForm):
        super().__init__(
            " ".join(
                f"{form.fields[name].label if name in form.fields else ''}: {message}".lstrip(": ")
                for name, messages in form.errors.items()
                for message in messages
            )
        )


def chosen_filters(params, today: date) -> tuple[StatisticsForm, StatisticsFilters]:
    """The form and what it chose; the page shows the form's errors beside the default."""
    form = StatisticsForm(params, today)
    return form, form.filters()


def valid_filters(params, today: date) -> StatisticsFilters:
    """What a download or an API call chose, or InvalidChoices: it has no form to show."""
    form, filters = chosen_filters(params, today)
    if form.is_bound and not form.is_valid():
        raise InvalidChoices(form)
    return filters


def chosen_preview(params, today: date) -> tuple[ProposalForm, Preview | None, tuple]:
    """The form, the preview of the chosen set against today's, and the proposal's changes
    in words (none for a set already adopted, which is compared as a whole)."""
    form = ProposalForm(params, today)
    version = form.chosen()
    if version is None:
        return form, None, ()
    proposed, changes = _proposed(version)
    return form, preview(rules_on(today), proposed, today), changes


# Every table by name: what the downloads and the API answer.
TABLE_NAMES = (
    "waiting",
    "waiting-by-organisation",
    "outcomes",
    "after-closure",
    "decision-times",
    "flows",
    *DURATION_TABLES,
    *BOTTLENECK_TABLES,
    *PREVIEW_TABLES,
)


def statistics_table(name: str, params, today: date) -> StatTable:
    """One table by its name, for the coordinator's choices in `params` (a query)."""
    if name in PREVIEW_TABLES:
        _form, found, _changes = chosen_preview(params, today)
        if found is None:
            raise Http404(_("Choose a proposed rule set first."))
        return PREVIEW_TABLES[name](found)
    filters = valid_filters(params, today)
    if name == "waiting":
        return waiting_export(waiting_table(filters))
    if name == "waiting-by-organisation":
        return waiting_export(waiting_table(filters, BY_ORGANISATION), by_organisation=True)
    if name == "outcomes":
        return outcome_export(outcome_table(filters))
    if name == "after-closure":
        return after_closure_export(filters, today)
    if name == "decision-times":
        return decision_export(decision_rows(filters))
    if name == "flows":
        return flows_export(flows(filters))
    if name in DURATION_TABLES:
        return DURATION_TABLES[name](filters)
    if name in BOTTLENECK_TABLES:
        return BOTTLENECK_TABLES[name](filters)
    raise Http404(_("There is no such table."))
