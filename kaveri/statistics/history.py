"""How far back the night counts ahead: every quarter that holds a record the statistics
count (a relationship opened, a benefit decided, a service ended), back to at most
KAVERI_STATISTICS_HISTORY_YEARS whole years before this one, and always the periods offered.
Any period of those quarters answers from the night's count (kaveri.statistics.quarters); a
period reaching further back counts its earlier quarters when asked."""

from datetime import date

from django.conf import settings
from django.db.models import Min

from kaveri.benefits.models import Application
from kaveri.casework.models import ClientRelationship
from kaveri.services.models import ServiceEpisode
from kaveri.statistics.filters import first_offered_day, history_starts, whole_quarters
from kaveri.statistics.materialised import materialised


def first_record_day() -> date | None:
    """The first day on which the region has a record the statistics count, if any."""
    found = [
        ClientRelationship.objects.aggregate(first=Min("opened_on"))["first"],
        Application.objects.aggregate(first=Min("decided_on"))["first"],
        ServiceEpisode.objects.aggregate(first=Min("ended_on"))["first"],
    ]
    return min((day for day in found if day is not None), default=None)


@materialised
def first_quarter_counted(today: date) -> date:
    """The first day of the first quarter the night counts ahead."""
    offered = first_offered_day(today, settings.KAVERI_STATISTICS_YEARS)
    first = first_record_day()
    if first is None:
        return offered
    oldest = history_starts(today, settings.KAVERI_STATISTICS_HISTORY_YEARS)
    return min(offered, max(oldest, whole_quarters(first, first)[0]))
