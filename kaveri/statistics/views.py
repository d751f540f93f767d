"""The coordinator's pages: what the region learns from its own data, with no person in
it. Every figure is a count of relationships or a figure of at least SMALLEST_SHOWN."""

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kaveri.access.actions import Action
from kaveri.access.decorators import names_action
from kaveri.access.principal import principal_for
from kaveri.benefits.models import ObservedProcessingTime
from kaveri.rules.registry import get_rules
from kaveri.rules.ruleset import current_language, duration_text
from kaveri.statistics.filters import StatisticsFilters
from kaveri.statistics.forms import StatisticsForm
from kaveri.statistics.outcomes import OutcomeTable, outcome_table
from kaveri.statistics.suppression import SMALLEST_SHOWN
from kaveri.statistics.waiting import STEPS, Wait, WaitingTable, waiting_table

# Statistics Finland's mark for a figure withheld to protect the people behind it.
HIDDEN = ".."


def _chosen(request) -> tuple[StatisticsForm, StatisticsFilters]:
    form = StatisticsForm(request.GET, principal_for(request).today)
    return form, form.filters()


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


def decision_rows() -> list[dict]:
    """Per benefit with decisions: how long they took in the region, beside the target
    (kaveri.benefits.observed, refreshed daily; the whole region, whatever the filters)."""
    rules, language = get_rules(), current_language()
    stored = {row.benefit: row for row in ObservedProcessingTime.objects.filter(decisions__gt=0)}
    rows = []
    for benefit in rules.data.benefits:
        row = stored.get(benefit.code)
        if row is None:
            continue
        enough = row.median_days is not None
        rows.append(
            {
                "label": rules.label("benefit", benefit.code, language),
                "decided_by": rules.label("authority", benefit.decided_by, language),
                "decisions": row.decisions if row.decisions >= SMALLEST_SHOWN else None,
                "median": row.median_days,
                "p90": row.p90_days,
                "target": duration_text(benefit.processing_time, language),
                "within": round(100 * row.within_target / row.decisions) if enough else None,
            }
        )
    return rows


def reason_label(code: str) -> str:
    return get_rules().label("closure_reason", code, current_language()) if code else _("Not given")


@names_action(Action.STATISTICS_VIEW)
def waiting(request):
    form, filters = _chosen(request)
    table = waiting_table(filters)
    outcomes = outcome_table(filters)
    return render(
        request,
        "statistics/waiting.html",
        {
            "form": form,
            "filters": filters,
            "steps": step_labels(),
            "rows": [(group_label(row.group), row) for row in table.rows],
            "table": table,
            "outcomes": outcomes,
            "outcome_rows": [
                (group_label(g), cells, total)
                for g, cells, total in zip(
                    outcomes.groups,
                    outcomes.shown.cells,
                    outcomes.shown.row_totals,
                    strict=True,
                )
            ],
            "reasons": [reason_label(r) for r in outcomes.reasons],
            "decisions": decision_rows(),
            "smallest": SMALLEST_SHOWN,
            "query": request.GET.urlencode(),
        },
    )


def _figure(value: int | None) -> str:
    return HIDDEN if value is None else str(value)


def _wait_cells(wait: Wait) -> list[str]:
    return [_figure(wait.count), _figure(wait.median), _figure(wait.p90)]


def waiting_csv_rows(table: WaitingTable) -> list[list[str]]:
    labels = step_labels()
    header = [_("Pathway or process"), _("Relationships opened")]
    for step in STEPS:
        named = {"step": capfirst(labels[step])}
        header += [
            _("%(step)s: reached") % named,
            _("%(step)s: median days") % named,
            _("%(step)s: 90 %% within days") % named,
        ]
    rows = [header]
    for row in table.rows:
        cells = [group_label(row.group), _figure(row.opened)]
        for step in STEPS:
            cells += _wait_cells(row.waits[step])
        rows.append(cells)
    total = [_("All"), _figure(table.total_opened)]
    for step in STEPS:
        total += _wait_cells(table.total_waits[step])
    return [*rows, total]


@names_action(Action.STATISTICS_EXPORT)
def waiting_csv(request):
    _form, filters = _chosen(request)
    rows = waiting_csv_rows(waiting_table(filters))
    return _csv(f"kaveri-waiting-{filters.start}-{filters.end}.csv", rows)


def outcome_csv_rows(outcomes: OutcomeTable) -> list[list[str]]:
    shown = outcomes.shown
    rows = [[_("Pathway or process"), *map(reason_label, outcomes.reasons), _("All")]]
    for group, cells, total in zip(outcomes.groups, shown.cells, shown.row_totals, strict=True):
        rows.append([group_label(group), *map(_figure, cells), _figure(total)])
    if outcomes.groups:
        rows.append([_("All"), *map(_figure, shown.column_totals), _figure(shown.total)])
    return rows


def _csv(filename: str, rows: list[list[str]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that a spreadsheet reads the file as UTF-8
    csv.writer(response, delimiter=";").writerows(rows)
    return response


@names_action(Action.STATISTICS_EXPORT)
def outcomes_csv(request):
    _form, filters = _chosen(request)
    rows = outcome_csv_rows(outcome_table(filters))
    return _csv(f"kaveri-outcomes-{filters.start}-{filters.end}.csv", rows)


def decision_csv_rows(rows: list[dict]) -> list[list[str]]:
    header = [
        _("Benefit"),
        _("Decided by"),
        _("decisions"),
        _("median days"),
        _("90 %% within days") % {},
        _("target"),
        _("within the target"),
    ]
    return [header] + [
        [
            row["label"],
            row["decided_by"],
            _figure(row["decisions"]),
            _figure(row["median"]),
            _figure(row["p90"]),
            row["target"],
            HIDDEN if row["within"] is None else f"{row['within']} %",
        ]
        for row in rows
    ]


@names_action(Action.STATISTICS_EXPORT)
def decisions_csv(request):
    return _csv("kaveri-decision-times.csv", decision_csv_rows(decision_rows()))
