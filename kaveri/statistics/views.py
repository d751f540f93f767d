"""The coordinator's pages: what the region learns from its own data, with no person in
it (the tables are built in kaveri.statistics.reports)."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kaveri.access.actions import Action
from kaveri.access.decorators import names_action
from kaveri.access.principal import principal_for
from kaveri.rules.ruleset import current_language
from kaveri.statistics.drawing import draw
from kaveri.statistics.filters import last_published_day
from kaveri.statistics.forms import offered_links
from kaveri.statistics.history import first_quarter_counted
from kaveri.statistics.materialised import counted_at, once_per_request
from kaveri.statistics.outcomes import outcome_table
from kaveri.statistics.pdf import PdfUnavailable, report_pdf
from kaveri.statistics.reports import (
    DURATION_TABLES,
    PREVIEW_TABLES,
    InvalidChoices,
    chosen_filters,
    chosen_preview,
    decision_rows,
    drop_out_bottleneck_rows,
    flow_table,
    flows,
    follow_up_tables_of,
    group_label,
    reason_label,
    statistics_table,
    step_labels,
    valid_filters,
    wait_bottleneck_rows,
    waiting_export,
)
from kaveri.statistics.suppression import SMALLEST_SHOWN
from kaveri.statistics.tables import FORMATS
from kaveri.statistics.waiting import BY_ORGANISATION, waiting_table


def filter_context(request, filters) -> dict:
    """What every page of figures shows around its form: the periods counted ahead, when
    they were counted, the choices for the downloads."""
    today = principal_for(request).today
    return {
        "smallest": SMALLEST_SHOWN,
        "query": request.GET.urlencode(),
        "counted_at": counted_at(),
        "offered": offered_links(request.GET, today, filters),
        "counted_from": first_quarter_counted(today),
        "counted_to": last_published_day(today),
    }


def _plain(text: str, status: int) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


@names_action(Action.STATISTICS_VIEW)
@once_per_request
def waiting(request):
    today = principal_for(request).today
    form, filters = chosen_filters(request.GET, today)
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
            "follow_ups": follow_up_tables_of(filters, today),
            "by_organisation": waiting_export(
                waiting_table(filters, BY_ORGANISATION), by_organisation=True
            ),
            "decisions": decision_rows(filters),
            **filter_context(request, filters),
        },
    )


@names_action(Action.STATISTICS_VIEW)
@once_per_request
def pathway_flows(request):
    form, filters = chosen_filters(request.GET, principal_for(request).today)
    return render(
        request,
        "statistics/flows.html",
        {
            "form": form,
            "filters": filters,
            "flows": [(flow, draw(flow), flow_table(flow)) for flow in flows(filters)],
            **filter_context(request, filters),
        },
    )


@names_action(Action.STATISTICS_VIEW)
@once_per_request
def durations(request):
    form, filters = chosen_filters(request.GET, principal_for(request).today)
    return render(
        request,
        "statistics/durations.html",
        {
            "form": form,
            "filters": filters,
            "tables": [build(filters) for build in DURATION_TABLES.values()],
            **filter_context(request, filters),
        },
    )


@names_action(Action.STATISTICS_VIEW)
@once_per_request
def bottlenecks(request):
    form, filters = chosen_filters(request.GET, principal_for(request).today)
    months, waits = wait_bottleneck_rows(filters)
    _months, drop_outs = drop_out_bottleneck_rows(filters)
    return render(
        request,
        "statistics/bottlenecks.html",
        {
            "form": form,
            "filters": filters,
            "first": months[0],
            "waits": waits,
            "drop_outs": drop_outs,
            **filter_context(request, filters),
        },
    )


@names_action(Action.STATISTICS_VIEW)
def rule_change(request):
    form, found, changes = chosen_preview(request.GET, principal_for(request).today)
    tables = [build(found) for build in PREVIEW_TABLES.values()] if found else []
    return render(
        request,
        "statistics/preview.html",
        {
            "form": form,
            "found": found,
            "title": found.proposed.data.label.get(current_language()) if found else "",
            "changes": changes,
            "tables": tables,
            "smallest": SMALLEST_SHOWN,
            "query": request.GET.urlencode(),
        },
    )


@names_action(Action.STATISTICS_EXPORT)
@once_per_request
def report(request):
    """Every table for the choices made, as one PDF."""
    day = principal_for(request).today
    try:
        content = report_pdf(valid_filters(request.GET, day), day)
    except InvalidChoices as error:
        return _plain(str(error), status=400)
    except PdfUnavailable as error:
        return _plain(str(error), status=503)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="kaveri-report-{day.isoformat()}.pdf"'
    return response


@names_action(Action.STATISTICS_EXPORT)
@once_per_request
def export(request, table: str, file_format: str):
    if file_format not in FORMATS:
        raise Http404(_("Tables are downloaded as CSV or XLSX."))
    day = principal_for(request).today
    try:
        found = statistics_table(table, request.GET, day)
    except InvalidChoices as error:
        return _plain(str(error), status=400)
    content_type, write = FORMATS[file_format]
    response = HttpResponse(write(found), content_type=content_type)
    filename = f"kaveri-{found.name}-{day.isoformat()}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
