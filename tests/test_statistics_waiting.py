"""The coordinator's waiting times: days from the first contact to the assessment, the
plan and the first service, per pathway, with small groups withheld."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from kaveri.access.roles import Role
from kaveri.casework.models import ClientRelationship, Contact, ServiceNeedAssessment
from kaveri.plans.models import Plan
from kaveri.rules.figures import nearest_rank, nearest_ranks
from kaveri.services.models import ServiceEpisode
from kaveri.statistics.filters import StatisticsFilters
from kaveri.statistics.forms import StatisticsForm
from kaveri.statistics.waiting import waiting_table
from tests.conftest import login

pytestmark = pytest.mark.django_db

OPENED = date(2026, 3, 2)
# The day the tests count for: the quarter of the period's end has ended by then (the quarter
# under way is not counted).
COUNTED_ON = date(2027, 1, 4)
PERIOD = StatisticsFilters(start=date(2026, 1, 1), end=date(2026, 11, 30), day=COUNTED_ON)


@pytest.fixture
def opened(make_client, make_organisation, rules):
    soc = make_organisation("SOC")

    def make(pathway="P1", assessed_after=None, planned_after=None, served_after=None, **client):
        person = make_client(**client)
        contact = Contact.objects.create(
            client=person,
            organisation=soc,
            occurred_on=OPENED - timedelta(days=2),
            initiator="CLIENT",
            channel="PHONE",
        )
        relationship = ClientRelationship.objects.create(
            client=person,
            organisation=soc,
            kind="SOC_CLIENT",
            pathway=pathway,
            contact=contact,
            opened_on=OPENED,
            ruleset_version=rules.version,
        )
        start = contact.occurred_on
        if assessed_after is not None:
            ServiceNeedAssessment.objects.create(
                client=person,
                relationship=relationship,
                organisation=soc,
                assessed_on=start + timedelta(days=assessed_after),
                ruleset_version=rules.version,
            )
        if planned_after is not None:
            Plan.objects.create(
                client=person,
                relationship=relationship,
                plan_type="ACTIVATION_PLAN",
                process="A1",
                made_on=start + timedelta(days=planned_after),
                review_interval="6M",
                next_review_on=start + timedelta(days=planned_after + 180),
                ruleset_version=rules.version,
            )
        if served_after is not None:
            ServiceEpisode.objects.create(
                client=person,
                relationship=relationship,
                service="SOCIAL_REHABILITATION",
                decided_by=soc,
                decision_on=start + timedelta(days=served_after - 1),
                starts_on=start + timedelta(days=served_after),
                ends_on=start + timedelta(days=served_after + 90),
                ruleset_version=rules.version,
            )
        return relationship

    make.organisation = soc
    return make


def test_nearest_rank_percentiles():
    days = list(range(1, 11))
    assert (nearest_rank(days, 0.5), nearest_rank(days, 0.9)) == (5, 9)
    assert nearest_rank([7], 0.9) == 7


@given(st.lists(st.integers(min_value=0, max_value=400), min_size=1), st.floats(0.01, 1.0))
def test_the_counted_percentiles_are_the_sorted_ones(days, share):
    assert nearest_ranks(days, (share, 0.5)) == [
        nearest_rank(sorted(days), share),
        nearest_rank(sorted(days), 0.5),
    ]


def test_waits_are_counted_from_the_first_contact_per_pathway(opened):
    for days in (10, 20, 30, 40, 50, 60):
        opened("P1", assessed_after=days, planned_after=days + 5)
    opened("P1")  # nothing yet: counted as opened, in no wait
    table = waiting_table(PERIOD)
    (p1,) = table.rows
    assert (p1.group, p1.opened) == ("P1", 7)
    assessment = p1.waits["assessment"]
    assert (assessment.count, assessment.median, assessment.p90) == (6, 30, 60)
    assert p1.waits["plan"].median == 35
    assert p1.waits["service"].count == 0


def test_a_pathway_with_fewer_than_five_shows_no_figure_and_the_total_gives_none_away(opened):
    for days in (10, 20, 30, 40, 50, 60):
        opened("P1", assessed_after=days)
    for days in (15, 25):
        opened("P3", assessed_after=days)
    table = waiting_table(PERIOD)
    p1, p3 = table.rows
    assert p3.opened is None and p3.waits["assessment"].count is None
    assert p3.waits["assessment"].median is None
    # P3's two would be the total minus P1's six: one of the two is withheld too.
    assert table.total_opened is None or p1.opened is None


def test_the_filters_narrow_the_relationships(opened, make_organisation):
    for days in (10, 20, 30, 40, 50):
        opened("P1", assessed_after=days, language="sv")
    for days in (91, 92, 93, 94, 95):
        opened("P1", assessed_after=days, language="fi")
    swedish = waiting_table(StatisticsFilters(PERIOD.start, PERIOD.end, PERIOD.day, language="sv"))
    assert swedish.rows[0].opened == 5 and swedish.rows[0].waits["assessment"].median == 30
    elsewhere = make_organisation("SOC")
    by_other = StatisticsFilters(PERIOD.start, PERIOD.end, PERIOD.day, organisation=elsewhere.pk)
    assert waiting_table(by_other).rows == []
    later = StatisticsFilters(date(2026, 4, 1), PERIOD.end, PERIOD.day)
    assert waiting_table(later).rows == []


def test_a_municipality_with_clients_and_no_organisation_can_be_chosen(opened):
    for days in (10, 20, 30, 40, 50):
        opened("P1", assessed_after=days, municipality="Raisio")
        opened("P1", assessed_after=days + 1, municipality="Turku")
    form = StatisticsForm({"municipality": "Raisio"}, COUNTED_ON)
    assert ("Raisio", "Raisio") in form.fields["municipality"].choices
    assert form.is_valid(), form.errors
    assert waiting_table(form.filters()).rows[0].waits["assessment"].median == 30


@pytest.fixture
def coordinator(make_worker, settings):
    """The coordinator, looking on COUNTED_ON."""
    settings.KAVERI_TODAY = COUNTED_ON
    return make_worker(Role.COORDINATOR)


def test_the_coordinator_s_start_page_is_the_statistics(client, coordinator):
    login(client, coordinator)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("statistics:waiting")


def test_the_page_and_its_csv_show_the_figures_and_withhold_the_small(client, coordinator, opened):
    for days in (10, 20, 30, 40, 50, 60):
        opened("P1", assessed_after=days)
    for days in (11, 12, 13, 14, 15):
        opened("P2", assessed_after=days)
    opened("P3", assessed_after=5)  # alone: withheld, and P2's five with it
    login(client, coordinator)
    query = {"start": "1.1.2026", "end": "30.11.2026"}
    page = client.get(reverse("statistics:waiting"), query)
    assert page.status_code == 200
    text = page.content.decode()
    assert "The region in figures" in text and ">30<" in text
    title = text[text.index("<title>") + 7 : text.index("</title>")]
    assert title.startswith("The region in figures") and "<" not in title
    withheld = "Withheld: about fewer than five people, or it would reveal such a figure"
    assert f'title="{withheld}">..</abbr>' in text
    download = client.get(reverse("statistics:export", args=["waiting", "csv"]), query)
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Pathway or process", "Relationships opened"]
    p1 = next(row for row in rows if row[0].startswith("P1"))
    assert p1[1:5] == ["6", "6", "30", "60"]
    p2 = next(row for row in rows if row[0].startswith("P2"))
    assert p2[1:5] == ["..", "..", "13", "15"]  # the five's own figures still shown
    p3 = next(row for row in rows if row[0].startswith("P3"))
    assert p3[1:5] == ["..", "..", "..", ".."]
    assert rows[-1][:3] == ["All", "12", "12"]


def test_a_period_that_ends_before_it_starts_is_refused_with_a_reason(client, coordinator):
    login(client, coordinator)
    page = client.get(reverse("statistics:waiting"), {"start": "1.6.2026", "end": "1.1.2026"})
    assert page.status_code == 200
    assert "The period ends before it starts." in page.content.decode()


@pytest.mark.parametrize("role", [Role.SOCIAL_COUNSELLOR, Role.KELA_OFFICER, Role.ADMINISTRATOR])
def test_no_caseworker_or_administrator_sees_the_statistics(client, make_worker, role):
    login(client, make_worker(role))
    assert client.get(reverse("statistics:waiting")).status_code == 403
    assert client.get(reverse("statistics:export", args=["waiting", "csv"])).status_code == 403


def closed(opened, pathway: str, reason: str, times: int) -> None:
    for _ in range(times):
        relationship = opened(pathway)
        ClientRelationship.objects.filter(pk=relationship.pk).update(
            closed_on=date(2026, 9, 1), closure_reason=reason, state="CLOSED"
        )


def test_outcomes_are_a_cross_table_that_gives_no_small_count_away(opened):
    from kaveri.statistics.outcomes import outcome_table
    from tests.test_statistics_suppression import published, recovered

    closed(opened, "P1", "EMPLOYED", 6)
    closed(opened, "P1", "ILLNESS", 2)
    closed(opened, "P3", "EMPLOYED", 7)
    closed(opened, "P3", "SERVICE_ENDED", 9)
    opened("P3")  # still open: not counted
    table = outcome_table(PERIOD)
    assert (table.groups, table.reasons) == (["P1", "P3"], ["EMPLOYED", "ILLNESS", "SERVICE_ENDED"])
    shown = table.shown
    assert shown.cells[0][1] is None  # P1's two who fell ill
    assert (shown.row_totals, shown.total) == ([8, 16], 24)
    assert recovered(published(shown)) == {}


def test_the_outcomes_download_names_the_reasons_and_withholds(client, coordinator, opened):
    closed(opened, "P1", "EMPLOYED", 6)
    closed(opened, "P1", "ILLNESS", 2)
    login(client, coordinator)
    query = {"start": "1.1.2026", "end": "30.11.2026"}
    page = client.get(reverse("statistics:waiting"), query).content.decode()
    assert "How relationships ended" in page
    download = client.get(reverse("statistics:export", args=["outcomes", "csv"]), query)
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Pathway or process" and rows[0][-1] == "All"
    assert len(rows) == 3 and rows[1][0].startswith("P1")
    assert ".." in rows[1] and "2" not in rows[1][1:]


def test_by_organisation_each_counts_every_pathway_of_its_own(opened, make_organisation):
    from kaveri.statistics.waiting import BY_ORGANISATION

    other = make_organisation("SOC")
    for days in (10, 20, 30, 40, 50, 60):
        opened("P1", assessed_after=days)
    for days in (70, 80, 90, 100, 110):
        opened("P2", assessed_after=days)
    for days in (1, 2, 3, 4, 5):
        moved = opened("P1", assessed_after=days)
        ClientRelationship.objects.filter(pk=moved.pk).update(organisation=other)
    rows = {row.group: row for row in waiting_table(PERIOD, BY_ORGANISATION).rows}
    first, second = rows[opened.organisation.name], rows[other.name]
    assert (first.opened, first.waits["assessment"].median) == (11, 60)
    assert (second.opened, second.waits["assessment"].median) == (5, 3)


def test_waiting_times_by_organisation(client, coordinator, opened):
    from kaveri.statistics.waiting import BY_ORGANISATION

    for days in (10, 20, 30, 40, 50, 60):
        opened("P1", assessed_after=days)
    table = waiting_table(PERIOD, BY_ORGANISATION)
    (row,) = table.rows
    assert (row.group, row.opened, row.waits["assessment"].median) == (
        opened.organisation.name,
        6,
        30,
    )
    login(client, coordinator)
    query = {"start": "1.1.2026", "end": "30.11.2026"}
    assert (
        "Waiting times by organisation"
        in client.get(reverse("statistics:waiting"), query).content.decode()
    )
    download = client.get(
        reverse("statistics:export", args=["waiting-by-organisation", "csv"]), query
    )
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Organisation" and rows[1][:2] == [opened.organisation.name, "6"]
