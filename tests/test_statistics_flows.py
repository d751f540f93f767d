"""Pathway flows: how many relationships reached each step of their map, went on to the
next and were closed there, drawn as SVG beside a table, small counts withheld."""

import csv
import io
from dataclasses import replace
from datetime import date

import pytest
from django.urls import reverse

from kaveri.casework.models import ClientRelationship
from kaveri.rules.registry import rules_on
from kaveri.statistics.flows import pathway_flows
from tests.conftest import login
from tests.test_statistics_waiting import PERIOD, coordinator, opened  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def close(relationship) -> None:
    ClientRelationship.objects.filter(pk=relationship.pk).update(
        closed_on=date(2026, 9, 1), closure_reason="SERVICE_ENDED", state="CLOSED"
    )


@pytest.fixture
def region(opened):  # noqa: F811
    for _ in range(6):
        opened("P1", assessed_after=10, served_after=20)
    for i in range(7):
        relationship = opened("P1", assessed_after=15)
        if i < 5:
            close(relationship)
    for _ in range(3):
        opened("P1")
    for _ in range(5):
        opened("", planned_after=30)  # a social welfare relationship on no pathway: A1
    opened("P3", assessed_after=5)


def by_code(flows):
    return {flow.code: flow for flow in flows}


def counts(flow) -> list[tuple]:
    return [(s.code, s.reached, s.went_on, s.closed_here) for s in flow.steps]


def test_each_step_counts_who_reached_it_went_on_and_closed_there(region):
    flows = by_code(pathway_flows(rules_on(PERIOD.end), PERIOD, "en"))
    p1 = flows["P1"]
    assert p1.opened == 16
    assert counts(p1) == [
        ("ENTRY", 16, 13, 0),
        ("ASSESSMENT", 13, 6, 5),
        ("PARTICIPATION", 6, 0, 0),
        ("END", 5, None, None),
    ]


def test_a_relationship_on_no_pathway_follows_the_process_of_its_kind(region):
    a1 = by_code(pathway_flows(rules_on(PERIOD.end), PERIOD, "en"))["A1"]
    assert a1.opened == 5
    steps = {s.code: s for s in a1.steps}
    assert steps["CONTACT"].reached == 5 and steps["CONTACT"].went_on == 0
    assert steps["ACTIVATION_PLAN_AND_DECISION"].reached == 0  # five plans, no decision
    assert steps["ASSESSMENT"].reached == 0


def test_a_flow_of_fewer_than_five_shows_no_figure(region):
    p3 = by_code(pathway_flows(rules_on(PERIOD.end), PERIOD, "en"))["P3"]
    assert p3.opened is None
    assert all(s.reached in (None, 0) for s in p3.steps)


def test_the_steps_taken_after_the_day_counted_are_not_counted(region):
    on_the_tenth = replace(PERIOD, end=date(2026, 3, 31), day=date(2026, 3, 10))
    p1 = by_code(pathway_flows(rules_on(on_the_tenth.day), on_the_tenth, "en"))["P1"]
    # opened 2.3., assessed 10 or 15 days after the contact of 28.2., served after 20
    assert [step[1] for step in counts(p1)] == [16, 6, 0, 0]


def test_a_shorter_period_differs_only_by_the_relationships_it_leaves_out(opened):  # noqa: F811
    # Opened in March, assessed in April: a period of the first quarter alone counts the
    # assessments by the day counted as the whole year does, so the two differ by no one
    # (by the period's end, they would differ by the six assessed after March).
    for _ in range(6):
        opened("P1", assessed_after=60)
    first_quarter = replace(PERIOD, end=date(2026, 3, 31))
    rules = rules_on(PERIOD.end)
    whole = by_code(pathway_flows(rules, PERIOD, "en"))["P1"]
    shorter = by_code(pathway_flows(rules, first_quarter, "en"))["P1"]
    assert counts(shorter) == counts(whole)
    assert counts(whole)[1] == ("ASSESSMENT", 6, 0, 0)


def test_the_page_draws_each_flow_beside_its_table(client, coordinator, region):  # noqa: F811
    login(client, coordinator)
    query = {"start": "1.1.2026", "end": "30.11.2026"}
    page = client.get(reverse("statistics:flows"), query)
    assert page.status_code == 200
    text = page.content.decode()
    assert '<svg class="flow-drawing"' in text and 'aria-labelledby="flow-P1-title"' in text
    assert "reached: 13" in text and "went on: 6" in text and "closed here: 5" in text
    assert 'stroke-dasharray="6 4"' in text  # a step no record counts, dashed
    table = text[text.index('id="flow-P1-caption"') :]
    assert "<td>13</td><td>6</td><td>5</td>" in table[: table.index("</table>")]
    download = client.get(reverse("statistics:export", args=["flows", "csv"]), query)
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Pathway or process", "Step"]
    assert [r[2:] for r in rows if r[0].startswith("P1 ")][1] == ["13", "6", "5"]


def test_the_flows_speak_finnish(client, coordinator, region):  # noqa: F811
    login(client, coordinator)
    url = reverse("statistics:flows").replace("/en/", "/fi/", 1)
    text = client.get(url, {"start": "1.1.2026", "end": "30.11.2026"}).content.decode()
    assert "Polkujen eteneminen" in text and "edennyt tähän: 13" in text
