"""The night's count of the coordinators' statistics, as a scheduled django-q2 task: every
table and the PDF report for the choices the pages and the API open with, in each language,
and the tables of the whole calendar years offered beside the default period
(KAVERI_STATISTICS_YEARS), kept so that a coordinator's look answers at once, narrowed or not
(kaveri.statistics.materialised). Their cubes are kept per quarter, and so are the cubes of
the older quarters that hold records (kaveri.statistics.history), so any period of them
answers from the night's count.

The schedule is kept by `ensure_schedule` after every migrate, at KAVERI_STATISTICS_AT (soon
after midnight: the figures are counted to the end of the last quarter ended, so on a
quarter's first night the pages count live until the count is made; they count quarters that
have ended, so not the day's watch)."""

import time
from contextlib import suppress
from datetime import date, timedelta

from django.conf import settings
from django.http import Http404
from django.utils import timezone, translation

from kaveri.rules import clock
from kaveri.statistics.filters import first_offered_day, offered_periods
from kaveri.statistics.history import first_quarter_counted
from kaveri.statistics.materialised import recording
from kaveri.statistics.models import MaterialisedFigure
from kaveri.statistics.pdf import PdfUnavailable, report_pdf
from kaveri.statistics.reports import (
    PREVIEW_TABLES,
    TABLE_NAMES,
    chosen_filters,
    statistics_table,
)
from kaveri.watch.tasks import keep_daily

REFRESH_TASK = "kaveri.statistics.tasks.refresh_figures"
SCHEDULE_NAME = "Kaveri: the coordinators' statistics counted ahead"


def refresh_figures(day: date | None = None) -> str:
    """Count every table anew for `day` (default today), then throw away what the last count
    kept and this one did not count again. Each figure is kept as soon as it is counted, in
    a transaction of its own: the pages answer from it at once, and on SQLite no writer
    waits for the whole count."""
    day = day or clock.today()
    started, begun_at = time.perf_counter(), timezone.now()
    with recording():
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                _count_tables({}, day)
                _draw_report(day)
        period_tables = [name for name in TABLE_NAMES if name not in PREVIEW_TABLES]
        for start, end in offered_periods(day, settings.KAVERI_STATISTICS_YEARS)[1:]:
            # The cubes do not depend on the language; the tables are summed from them.
            _count_tables(_period(start, end), day, period_tables)
        earliest_offered = first_offered_day(day, settings.KAVERI_STATISTICS_YEARS)
        first = first_quarter_counted(day)
        if first < earliest_offered:  # the older quarters that hold records
            _count_tables(_period(first, earliest_offered - timedelta(days=1)), day, period_tables)
    MaterialisedFigure.objects.filter(computed_at__lt=begun_at).delete()
    kept = MaterialisedFigure.objects.count()
    return f"{day.isoformat()}: {kept} figures counted in {time.perf_counter() - started:.1f} s"


def _period(start: date, end: date) -> dict[str, str]:
    return {"start": start.isoformat(), "end": end.isoformat()}


def _count_tables(params: dict, day: date, names=TABLE_NAMES) -> None:
    for name in names:
        try:
            statistics_table(name, params, day)
        except Http404:  # a preview with no proposed rule set to compare
            continue


def _draw_report(day: date) -> None:
    with suppress(PdfUnavailable):  # without Pango the report page says what to do
        report_pdf(chosen_filters({}, day)[1], day)


def ensure_schedule(**_kwargs) -> None:
    keep_daily(SCHEDULE_NAME, REFRESH_TASK, settings.KAVERI_STATISTICS_AT)
