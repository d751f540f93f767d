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
from kaveri.rules.registry import get_rules
from kaveri.rules.ruleset import current_language
from kaveri.statistics.filters import StatisticsFilters
from kaveri.statistics.forms import StatisticsForm
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


@names_action(Action.STATISTICS_VIEW)
def waiting(request):
    form, filters = _chosen(request)
    table = waiting_table(filters)
    return render(
        request,
        "statistics/waiting.html",
        {
            "form": form,
            "filters": filters,
            "steps": step_labels(),
            "rows": [(group_label(row.group), row) for row in table.rows],
            "table": table,
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
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="kaveri-waiting-{filters.start}-{filters.end}.csv"'
    )
    response.write("\ufeff")  # so that a spreadsheet reads the file as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerows(waiting_csv_rows(waiting_table(filters)))
    return response
