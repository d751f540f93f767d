"""Time in services, the gaps between them, and how long the watch's signals stayed open."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse

from kaveri.services.models import ServiceEpisode
from kaveri.statistics.durations import service_table, signal_table
from kaveri.watch.models import Signal
from tests.conftest import login
from tests.test_statistics_waiting import PERIOD, coordinator  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

ENDED = date(2026, 5, 31)


@pytest.fixture
def services(make_client, make_organisation):
    soc = make_organisation("SOC")

    def episode(person, service, starts_on, ended_on=None):
        return ServiceEpisode.objects.create(
            client=person,
            service=service,
            decided_by=soc,
            decision_on=starts_on,
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=180),
            ended_on=ended_on,
            end_reason="PERIOD_ENDED" if ended_on else "",
            state="ENDED" if ended_on else "DECIDED",
            ruleset_version="fi-2026.1",
        )

    for i in range(10):
        person = make_client()
        episode(person, "SOCIAL_REHABILITATION", date(2026, 3, 1) + timedelta(days=i), ENDED)
        if i < 6:  # went on after 5, 10, ... 30 days
            episode(person, "REHABILITATIVE_WORK_ACTIVITY", ENDED + timedelta(days=5 * (i + 1)))
    late = make_client()  # the next one begins after the day counted: none yet
    episode(late, "SOCIAL_REHABILITATION", date(2026, 3, 1), ENDED)
    episode(late, "REHABILITATIVE_WORK_ACTIVITY", PERIOD.day + timedelta(days=1))
    return soc


def test_time_in_the_service_and_the_gap_before_the_next(services):
    rows, total = service_table(PERIOD)
    (social,) = rows
    assert social.group == "SOCIAL_REHABILITATION"
    assert social.counts == [11, 6, 5]
    in_service, gap = social.spreads
    # 3.1.–31.5. ... 10.3.–31.5.: 81 to 91 days; the late one 91
    assert (in_service.median, in_service.p90) == (87, 91)
    assert (gap.count, gap.median, gap.p90) == (6, 15, 30)
    assert total.counts == [11, 6, 5]


def test_the_filters_narrow_the_services_by_their_relationships(services):
    swedish = PERIOD.__class__(start=PERIOD.start, end=PERIOD.end, day=PERIOD.day, language="sv")
    assert service_table(swedish) == ([], None)


def raise_signal(client_, organisation, kind, raised_on, cleared_on=None, n=0):
    return Signal.objects.create(
        client=client_,
        kind=kind,
        due_on=raised_on,
        source_model="casework.clientrelationship",
        source_id=n,
        authority="SOC",
        organisation=organisation,
        owners=["SOC"],
        category="BASIC",
        facts={},
        ruleset_version="fi-2026.1",
        raised_on=raised_on,
        cleared_on=cleared_on,
        state="CLEARED" if cleared_on else "OPEN",
    )


@pytest.fixture
def signals(make_client, make_organisation):
    soc = make_organisation("SOC")
    for i in range(6):  # cleared after 10, 20, ... 60 days
        raised = date(2026, 6, 1)
        raise_signal(
            make_client(), soc, "NO_NAMED_WORKER", raised, raised + timedelta(10 * (i + 1)), i
        )
    for i in range(5):  # still open on the day counted
        raise_signal(make_client(), soc, "NO_NEXT_STEP", date(2026, 6, 1), n=100 + i)
    raise_signal(make_client(), soc, "NO_NEXT_STEP", date(2025, 6, 1), n=200)  # before
    return soc


def test_signals_by_kind_count_the_raised_and_how_long_they_stayed_open(signals):
    rows, total = signal_table(PERIOD, "kind")
    by_kind = {row.group: row for row in rows}
    named = by_kind["NO_NAMED_WORKER"]
    assert named.counts == [6, 0]
    assert (named.spreads[0].median, named.spreads[0].p90) == (30, 60)
    waiting = by_kind["NO_NEXT_STEP"]
    assert waiting.counts == [5, 5]
    assert waiting.spreads[0].median == (PERIOD.day - date(2026, 6, 1)).days
    assert total.counts == [11, 5]


def test_signals_by_organisation(signals):
    rows, _total = signal_table(PERIOD, "organisation__name")
    assert [(row.group, row.counts) for row in rows] == [(signals.name, [11, 5])]


def test_the_page_and_its_downloads(client, coordinator, services, signals):  # noqa: F811
    login(client, coordinator)
    query = {"start": "1.1.2026", "end": "30.11.2026"}
    page = client.get(reverse("statistics:durations"), query)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Time in services and the gaps between them" in text
    assert '<th scope="row">Social rehabilitation</th><td>11</td><td>6</td><td>5</td>' in text
    download = client.get(reverse("statistics:export", args=["signals-by-kind", "csv"]), query)
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Signal", "raised in the period", "still open when counted"]
    assert rows[-1][:3] == ["All", "11", "5"]


def test_signals_of_a_narrowing_that_leaves_out_a_few_show_no_count_nor_days(signals, make_client):
    for i in range(2):  # two Swedish speakers: the Finnish figures are the whole minus them
        person = make_client(language="sv")
        raise_signal(person, signals, "NO_NAMED_WORKER", date(2026, 6, 1), n=300 + i)
    finnish = PERIOD.__class__(start=PERIOD.start, end=PERIOD.end, day=PERIOD.day, language="fi")
    rows, total = signal_table(finnish, "kind")
    named = next(row for row in rows if row.group == "NO_NAMED_WORKER")
    assert named.counts == [None, 0] and named.spreads[0].median is None  # a zero names no one
    assert total.counts[0] is None
    everyone = {row.group: row for row in signal_table(PERIOD, "kind")[0]}
    assert everyone["NO_NAMED_WORKER"].counts[0] == 8


def test_services_by_the_deciding_organisation_and_by_pathway(services):
    rows, _total = service_table(PERIOD, "organisation")
    assert [(row.group, row.counts) for row in rows] == [(services.name, [11, 6, 5])]
    by_pathway, _ = service_table(PERIOD, "pathway")
    assert [row.group for row in by_pathway] == [""]  # these services name no relationship


def test_the_durations_page_shows_services_by_pathway_and_organisation(
    client,
    coordinator,  # noqa: F811
    services,
):
    login(client, coordinator)
    query = {"start": "1.1.2026", "end": "30.11.2026"}
    text = client.get(reverse("statistics:durations"), query).content.decode()
    assert "by organisation" in text and "No relationship recorded" in text
    download = client.get(
        reverse("statistics:export", args=["services-by-organisation", "csv"]), query
    )
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Organisation that decided" and rows[1][:4] == [
        services.name,
        "11",
        "6",
        "5",
    ]


def test_signals_narrow_by_the_client_s_municipality_as_relationships_do(signals, make_client):
    for i in range(5):
        raise_signal(
            make_client(municipality="Salo"), signals, "NO_NEXT_STEP", date(2026, 6, 1), n=400 + i
        )
    salo = PERIOD.__class__(start=PERIOD.start, end=PERIOD.end, day=PERIOD.day, municipality="Salo")
    rows, _total = signal_table(salo, "kind")
    assert [(row.group, row.counts[0]) for row in rows] == [("NO_NEXT_STEP", 5)]
