"""The coordinator's report as one PDF: every table of the statistics pages for the choices
made, the pathway flows drawn, the bottlenecks with their month-by-month lines; a document
to file or send on. Built from the same functions as the pages (kaveri.statistics.reports),
so it withholds what they withhold. Drawn by WeasyPrint, which needs the system's Pango
library (Debian: libpango-1.0-0 and libpangoft2-1.0-0). The report for the choices the
pages open with is drawn at night with the tables (kaveri.statistics.tasks); any other is
drawn when asked for."""

from datetime import date

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from kaveri.statistics.drawing import draw
from kaveri.statistics.filters import StatisticsFilters
from kaveri.statistics.forms import StatisticsForm
from kaveri.statistics.materialised import materialised
from kaveri.statistics.outcomes import outcome_table
from kaveri.statistics.reports import (
    DURATION_TABLES,
    decision_export,
    decision_rows,
    drop_out_bottleneck_rows,
    flow_table,
    flows,
    follow_up_tables_of,
    outcome_export,
    wait_bottleneck_rows,
    waiting_export,
)
from kaveri.statistics.suppression import SMALLEST_SHOWN
from kaveri.statistics.waiting import BY_ORGANISATION, waiting_table


class PdfUnavailable(Exception):
    """The server cannot draw PDFs: the reason, for the coordinator."""


def chosen_labels(filters: StatisticsFilters, today: date) -> list[tuple[str, str]]:
    """(what, which) for each narrowing chosen, as the form names them."""
    fields = StatisticsForm(None, today).fields
    found = []
    for name, value in zip(filters.narrowed(), filters.chosen(), strict=True):
        field = fields[name]
        found.append((str(field.label), str(dict(field.choices).get(value, value))))
    return found


def report_context(filters: StatisticsFilters, today: date) -> dict:
    _months, waits = wait_bottleneck_rows(filters)
    _months, drop_outs = drop_out_bottleneck_rows(filters)
    return {
        "filters": filters,
        "chosen": chosen_labels(filters, today),
        "today": today,
        "smallest": SMALLEST_SHOWN,
        "waiting": waiting_export(waiting_table(filters)),
        "by_organisation": waiting_export(
            waiting_table(filters, BY_ORGANISATION), by_organisation=True
        ),
        "outcomes": outcome_export(outcome_table(filters)),
        "follow_ups": follow_up_tables_of(filters, today),
        "decisions": decision_export(decision_rows(filters)),
        "flows": [(flow, draw(flow), flow_table(flow)) for flow in flows(filters)],
        "durations": [build(filters) for build in DURATION_TABLES.values()],
        "waits": waits,
        "drop_outs": drop_outs,
    }


def report_html(filters: StatisticsFilters, today: date) -> str:
    return render_to_string("statistics/report.html", report_context(filters, today))


def report_pdf(filters: StatisticsFilters, today: date) -> bytes:
    """The report in the language of the request; for the choices the pages open with, the
    one drawn at night (kaveri.statistics.tasks)."""
    return drawn_report(filters, today, translation.get_language())


@materialised
def drawn_report(filters: StatisticsFilters, today: date, language: str) -> bytes:
    html = report_html(filters, today)
    try:
        from weasyprint import HTML  # Pango is loaded on import
    except (ImportError, OSError) as error:
        raise PdfUnavailable(
            _(
                "This server cannot make PDFs: it lacks what draws them (WeasyPrint and the "
                "Pango library). Ask its administrator to install them; meanwhile download the "
                "tables as CSV or XLSX."
            )
        ) from error
    return HTML(string=html).write_pdf()
