"""What a coordinator narrows the statistics to: the period, and the region, municipality,
authority, organisation, age group and language of the relationships counted."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

# Age on the last day of the period, in the groups the employment statistics use for
# working-age people.
AGE_GROUPS = {
    "18-24": (18, 24, _("18–24 years")),
    "25-34": (25, 34, _("25–34 years")),
    "35-49": (35, 49, _("35–49 years")),
    "50-": (50, 200, _("50 years or older")),
}


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def default_period(today: date) -> tuple[date, date]:
    """From the first day of the same month a year ago to `today`."""
    return today.replace(year=today.year - 1, day=1), today


@dataclass(frozen=True)
class StatisticsFilters:
    start: date
    end: date
    region: str = ""
    municipality: str = ""
    authority: str = ""
    organisation: int | None = None
    age_group: str = ""
    language: str = ""

    def apply(self, relationships: QuerySet) -> QuerySet:
        """Relationships narrowed by everything but the period."""
        found = relationships
        if self.region:
            found = found.filter(organisation__region=self.region)
        if self.municipality:
            found = found.filter(client__municipality=self.municipality)
        if self.authority:
            found = found.filter(organisation__authority=self.authority)
        if self.organisation:
            found = found.filter(organisation_id=self.organisation)
        if self.language:
            found = found.filter(client__language=self.language)
        if self.age_group:
            youngest, oldest, _label = AGE_GROUPS[self.age_group]
            born_after = _years_before(self.end, oldest + 1)
            born_by = _years_before(self.end, youngest)
            found = found.filter(client__birth_date__gt=born_after, client__birth_date__lte=born_by)
        return found
