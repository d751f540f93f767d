"""The coordinator's choice of what to count, read from the page's address (GET)."""

from dataclasses import dataclass
from datetime import date

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kaveri.access.dates import DayField
from kaveri.access.models import Organisation
from kaveri.people.models import Client
from kaveri.rules.proposals import proposals
from kaveri.rules.registry import get_rules, registry
from kaveri.rules.ruleset import current_language
from kaveri.statistics.filters import (
    AGE_GROUPS,
    StatisticsFilters,
    default_period,
    history_starts,
    last_published_day,
    offered_periods,
    whole_quarters,
)
from kaveri.statistics.materialised import materialised

EVERY = [("", _("All"))]
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]


class StatisticsForm(forms.Form):
    # Either may be left out (the API's callers often do): the default period's is used.
    start = DayField(label=_("Period from"), required=False)
    end = DayField(label=_("Period until"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    authority = forms.ChoiceField(label=_("Authority"), required=False)
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    age_group = forms.ChoiceField(
        label=_("Age group"),
        required=False,
        choices=EVERY + [(code, label) for code, (_y, _o, label) in AGE_GROUPS.items()],
    )
    language = forms.ChoiceField(label=_("Language"), required=False, choices=EVERY + LANGUAGES)

    def __init__(self, data, today: date):
        start, end = default_period(today)
        super().__init__(data or None, initial={"start": start, "end": end}, label_suffix="")
        self.today = today
        organisations = Organisation.objects.order_by("name")
        self.fields["organisation"].choices = EVERY + [(o.pk, o.name) for o in organisations]
        self.fields["region"].choices = EVERY + _pairs(organisations, "region")
        self.fields["municipality"].choices = EVERY + [(m, m) for m in client_municipalities()]
        rules = get_rules()
        self.fields["authority"].choices = EVERY + rules.choices("authority", current_language())

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("start") or default_period(self.today)[0]
        end = cleaned.get("end") or default_period(self.today)[1]
        if start > end:
            self.add_error("end", _("The period ends before it starts."))
        elif whole_quarters(start, end)[1] > last_published_day(self.today):
            self.add_error("end", self._quarter_under_way())
        if start < self._history_starts():
            self.add_error("start", self._before_history())
        return cleaned

    def _history_starts(self) -> date:
        return history_starts(self.today, settings.KAVERI_STATISTICS_HISTORY_YEARS)

    def _before_history(self) -> str:
        return _(
            "The statistics are counted from %(first)s. Choose a period that starts then or later."
        ) % {"first": _as_written(self._history_starts())}

    def _quarter_under_way(self) -> str:
        last = last_published_day(self.today)
        return _(
            "The quarter under way is not counted: its figures change from one day to the "
            "next. Choose a period that ends by %(last)s."
        ) % {"last": _as_written(last)}

    def filters(self) -> StatisticsFilters:
        """The coordinator's choice, or the default period if the form is unbound or wrong."""
        default_start, default_end = default_period(self.today)
        if not self.is_bound or not self.is_valid():
            return StatisticsFilters(default_start, default_end, last_published_day(self.today))
        data = self.cleaned_data
        start, end = whole_quarters(data["start"] or default_start, data["end"] or default_end)
        return StatisticsFilters(
            start=start,
            end=end,
            day=last_published_day(self.today),
            region=data["region"],
            municipality=data["municipality"],
            authority=data["authority"],
            organisation=data["organisation"],
            age_group=data["age_group"],
            language=data["language"],
        )


@materialised
def client_municipalities() -> list[str]:
    """The municipalities the region's clients live in: the municipality narrowing is the
    client's (kaveri.statistics.filters), wherever their organisations are."""
    found = Client.objects.exclude(municipality="").order_by().values_list("municipality")
    return sorted(municipality for (municipality,) in found.distinct())


@dataclass(frozen=True)
class OfferedPeriod:
    label: str
    query: str  # the page's address with this period and the other choices kept
    chosen: bool


def _as_written(day: date) -> str:
    """A day as the form's fields ask it to be written (7.12.2026)."""
    return f"{day.day}.{day.month}.{day.year}"


def offered_links(params, today: date, filters: StatisticsFilters) -> list[OfferedPeriod]:
    """A link for each period counted ahead (filters.offered_periods)."""
    found = []
    default = default_period(today)
    for start, end in offered_periods(today, settings.KAVERI_STATISTICS_YEARS):
        query = params.copy()
        query["start"], query["end"] = _as_written(start), _as_written(end)
        label = _("The last four whole quarters") if (start, end) == default else str(start.year)
        chosen = (filters.start, filters.end) == (start, end)
        found.append(OfferedPeriod(str(label), query.urlencode(), chosen))
    return found


def _pairs(organisations, field: str) -> list[tuple[str, str]]:
    values = sorted({getattr(o, field) for o in organisations} - {""})
    return [(value, value) for value in values]


def proposed_choices(today: date) -> list[tuple[str, str]]:
    """The rule sets a coordinator can compare with today's: proposals (never in force)
    and sets already loaded that take effect later."""
    language = current_language()
    later = [r for r in registry().sets if r.data.valid_from > today]
    return [(r.version, r.data.label.get(language)) for r in later] + [
        (p.version, p.rules.data.label.get(language)) for p in proposals()
    ]


class ProposalForm(forms.Form):
    proposal = forms.ChoiceField(label=_("Proposed rule set"))

    def __init__(self, data, today: date):
        super().__init__(data or None, label_suffix="")
        choices = proposed_choices(today)
        self.fields["proposal"].choices = choices
        if choices:
            self.fields["proposal"].initial = choices[0][0]

    def chosen(self) -> str | None:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["proposal"]
        return None if self.is_bound else self.fields["proposal"].initial
