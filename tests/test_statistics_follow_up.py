"""What became of clients 6 and 12 months after their relationship closed: in a service, a
client of the network, a registered job seeker, none of these, or not yet known."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from kaveri.casework.models import ClientRelationship, JobSeekerRegistration
from kaveri.rules.durations import Duration
from kaveri.services.models import ServiceEpisode
from kaveri.statistics.follow_up import SITUATIONS, follow_up_tables
from tests.conftest import login
from tests.test_statistics_waiting import PERIOD, coordinator, opened  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 5)
CLOSED = date(2026, 1, 15)  # 6 months on 15.7.2026 (known), 12 months on 15.1.2027 (not yet)
AFTER = [Duration.parse("6M"), Duration.parse("12M")]


def close(relationship, reason: str, on: date = CLOSED) -> None:
    ClientRelationship.objects.filter(pk=relationship.pk).update(
        opened_on=date(2025, 12, 1), closed_on=on, closure_reason=reason, state="CLOSED"
    )


def service(relationship, starts_on: date, ends_on: date, ended_on: date | None = None):
    ServiceEpisode.objects.create(
        client=relationship.client,
        service="SOCIAL_REHABILITATION",
        decided_by=relationship.organisation,
        decision_on=starts_on,
        starts_on=starts_on,
        ends_on=ends_on,
        ended_on=ended_on,
        end_reason="PERIOD_ENDED" if ended_on else "",
        state="ENDED" if ended_on else "DECIDED",
        ruleset_version="fi-2026.1",
    )


@pytest.fixture
def closures(opened):  # noqa: F811
    """Five closures of each reason, each client then in a different situation."""
    for _ in range(5):  # employed: nothing after
        close(opened("P1"), "EMPLOYED")
    for _ in range(5):  # fell ill, then in a service on 15.7. (no end recorded: its decision's)
        relationship = opened("P1")
        close(relationship, "ILLNESS")
        service(relationship, date(2026, 6, 1), date(2026, 11, 30))
    for _ in range(5):  # quit; a new relationship open on 15.7., and a service that ended before
        relationship = opened("P1")
        close(relationship, "CLIENT_QUIT")
        service(relationship, date(2026, 2, 1), date(2026, 12, 31), ended_on=date(2026, 5, 31))
        ClientRelationship.objects.create(
            client=relationship.client,
            organisation=relationship.organisation,
            kind="SOC_CLIENT",
            opened_on=date(2026, 5, 1),
            ruleset_version="fi-2026.1",
        )
    for _ in range(5):  # the service ended; registered as a job seeker since March
        relationship = opened("P1")
        close(relationship, "SERVICE_ENDED")
        JobSeekerRegistration.objects.create(
            client=relationship.client,
            organisation=relationship.organisation,
            registered_on=date(2026, 3, 1),
        )


def column(situation: str) -> int:
    return SITUATIONS.index(situation)


def test_six_months_after_each_client_is_where_their_records_put_them(closures):
    six, twelve = follow_up_tables(PERIOD, AFTER, TODAY)
    assert str(six.after) == "6M"
    by_reason = dict(zip(six.reasons, six.shown.cells, strict=True))
    assert by_reason["EMPLOYED"][column("NONE")] == 5
    assert by_reason["ILLNESS"][column("SERVICE")] == 5
    assert by_reason["CLIENT_QUIT"][column("RELATIONSHIP")] == 5
    assert by_reason["SERVICE_ENDED"][column("JOB_SEEKER")] == 5
    assert six.shown.total == 20 and six.shown.column_totals[column("NOT_YET")] == 0
    # twelve months after 15.1.2026 is still to come on 5.12.2026
    assert twelve.shown.column_totals[column("NOT_YET")] == 20


def test_a_service_comes_before_a_relationship_when_both_hold(closures):
    quit_ = ClientRelationship.objects.filter(closure_reason="CLIENT_QUIT").first()
    service(quit_, date(2026, 7, 1), date(2026, 8, 31))
    six, _twelve = follow_up_tables(PERIOD, AFTER, TODAY)
    by_reason = dict(zip(six.reasons, six.shown.cells, strict=True))
    # one of five moved to a service: 4 and 1 are withheld, and the reason's row with them
    assert by_reason["CLIENT_QUIT"][column("RELATIONSHIP")] is None
    assert by_reason["CLIENT_QUIT"][column("SERVICE")] is None


def test_the_page_the_download_and_the_api_show_the_follow_ups(client, coordinator, closures):  # noqa: F811
    login(client, coordinator)
    query = {"start": "1.1.2026", "end": "30.11.2026"}
    page = client.get(reverse("statistics:waiting"), query).content.decode()
    assert "6 months after the closure" in page and "12 months after the closure" in page
    download = client.get(reverse("statistics:export", args=["after-closure", "csv"]), query)
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["After the closure", "Closure reason", "in a service"]
    employed = next(r for r in rows if r[0].startswith("6") and r[1] == "The client was employed")
    assert employed[2 + column("NONE")] == "5"
    api = client.get("/api/v1/statistics/after-closure", {"start": "2026-01-01"})
    assert api.status_code == 200 and api.json()["name"] == "after-closure"
