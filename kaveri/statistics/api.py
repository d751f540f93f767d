"""The coordinator's tables in the API: one operation per table, answering what the page
and its downloads show (kaveri.statistics.reports), with None where a figure is withheld."""

from datetime import date

from ninja import Field, Query, Schema
from ninja.errors import HttpError

from kaveri.access.actions import Action
from kaveri.access.decorators import api_action
from kaveri.access.principal import principal_for
from kaveri.access.routing import KaveriRouter
from kaveri.statistics.reports import InvalidChoices, statistics_table
from kaveri.statistics.tables import StatTable

router = KaveriRouter(tags=["statistics"])


class TableQuery(Schema):
    start: date | None = Field(None, description="First day of the period (opened or closed)")
    end: date | None = Field(None, description="Last day of the period")
    region: str = ""
    municipality: str = ""
    authority: str = Field("", description="An authority code of the rule set")
    organisation: int | None = None
    age_group: str = Field("", description="18-24, 25-34, 35-49 or 50-")
    language: str = Field("", description="fi, sv or en")


class PreviewQuery(Schema):
    proposal: str = Field(description="The version of the proposed rule set to compare")


class TableOut(Schema):
    name: str
    title: str
    header: list[str]
    rows: list[list[str | int | float | None]] = Field(
        description="A label, then the figures; null where a figure is withheld"
    )


def _params(query: Schema) -> dict[str, str]:
    """The query as the page's form reads it: only what was given, dates as ISO days."""
    given = query.model_dump(exclude_none=True, exclude_defaults=True)
    return {key: str(value) for key, value in given.items()}


def _answer(table: StatTable) -> dict:
    return {"name": table.name, "title": table.title, "header": table.header, "rows": table.rows}


FILTERED = {
    "waiting": "Waiting times: days from the first contact to each step, per pathway",
    "waiting-by-organisation": "Days from the first contact to each step, per organisation",
    "outcomes": "How relationships ended: pathway by closure reason",
    "after-closure": "What became of clients at the rule set's follow-up times after closure",
    "decision-times": "Decision times of benefits in the region beside the rule set's target",
    "flows": "Pathway flows: per pathway or process, how many reached each step and went on",
    "services": "Time in each service and the gap before the next, per service",
    "services-by-pathway": "Time in services and the gaps between them, per pathway",
    "services-by-organisation": "Time in services and the gaps between, per deciding organisation",
    "signals-by-kind": "The watch's signals raised in the period and how long they stayed open",
    "signals-by-organisation": "The watch's signals per organisation and how long they stayed open",
    "bottleneck-waits": "The longest waits, ranked over the trend months, with each month's median",
    "bottleneck-drop-outs": "The steps most closed at, ranked, with each month's share",
}
PREVIEWED = {
    "preview-plans": "Rule change preview: plans in force and their reviews, per plan type",
    "preview-services": "Rule change preview: service decisions outside the proposed bounds",
    "preview-applications": "Rule change preview: pending applications and processing times",
    "preview-workload": "Rule change preview: workload per organisation",
}


def _operation(name: str, query_type: type[Schema]):
    def operation(request, query: Query[query_type]):
        today = principal_for(request).today
        try:
            return _answer(statistics_table(name, _params(query), today))
        except InvalidChoices as error:
            raise HttpError(422, str(error)) from error

    operation.__name__ = "statistics_" + name.replace("-", "_")
    return operation


for _query, _tables in ((TableQuery, FILTERED), (PreviewQuery, PREVIEWED)):
    for _name, _summary in _tables.items():
        router.get(f"/statistics/{_name}", response=TableOut, summary=_summary)(
            api_action(Action.STATISTICS_EXPORT)(_operation(_name, _query))
        )
