"""The worklist is the workers' start page: their own clients' signals and deadlines, most
urgent first, in detail where they may see the data behind them and as "needs attention"
where they may not."""

from datetime import date

import pytest
from django.urls import reverse

from kaveri.access.principal import Principal
from kaveri.casework import actions as casework
from kaveri.consent.actions import ConsentInput, record_consent
from kaveri.watch.worklist import Filters, worklist
from tests.conftest import login
from tests.watch_network import (
    GAP_DAY,
    activation_plan,
)

pytestmark = pytest.mark.django_db
TODAY = GAP_DAY


def principal(worker, today=TODAY) -> Principal:
    return Principal(worker.user, worker.role, worker, worker.organisation, today=today)


def test_the_responsible_worker_sees_the_signal_in_detail_with_its_action(gap):
    [item] = [i for i in worklist(principal(gap["counsellor"])) if i.signal]
    assert item.row.kind == "SERVICE_ENDED_NO_NEXT_STEP"
    assert item.detailed and item.overdue
    assert item.text.startswith("Social rehabilitation ended on 1.6.2026")
    assert item.action_url == reverse("workspace:service_new", args=[gap["client"].pk])


def test_another_authority_sees_that_the_client_needs_attention_and_whom_to_ask(gap):
    [item] = [i for i in worklist(principal(gap["official"])) if i.signal]
    assert not item.detailed
    assert item.text == (
        f"The client needs attention from Social welfare office ({gap['orgs']['SOC'].name}). "
        f"Contact: {gap['counsellor']}."
    )
    assert "Social rehabilitation" not in item.text
    assert item.action_url == reverse("workspace:client", args=[gap["client"].pk])


def test_under_the_clients_consent_the_other_authority_sees_the_detail(gap):
    record_consent(
        gap["client"],
        ConsentInput("ACTIVATION_PLAN", ["SERVICES"], ["SOC", "EMP"], TODAY, None, "IN_PERSON"),
        gap["counsellor"],
        TODAY,
    )
    [item] = [i for i in worklist(principal(gap["official"])) if i.signal]
    assert item.detailed
    assert item.text.startswith("Social rehabilitation ended on 1.6.2026")


def test_signals_and_overdue_first_then_what_falls_due_soonest(gap):
    relationship = gap["client"].relationships.get(organisation=gap["orgs"]["SOC"])
    activation_plan(gap, relationship, months=3, made_on=date(2026, 3, 20))  # review 20.6.
    casework.register_job_seeker(gap["client"], gap["orgs"]["EMP"], date(2026, 6, 8))
    items = worklist(principal(gap["counsellor"]))
    assert [(i.row.kind, i.row.due_on) for i in items] == [
        ("SERVICE_ENDED_NO_NEXT_STEP", date(2026, 6, 1)),
        ("CONSENT_PLAN_AT_RISK", TODAY),  # the activation plan has no consent yet
        ("INITIAL_INTERVIEW", date(2026, 6, 15)),
        ("PLAN_REVIEW", date(2026, 6, 20)),
        ("JOB_SEARCH_DISCUSSION", date(2026, 6, 22)),
    ]
    only_plans = worklist(principal(gap["counsellor"]), Filters(kind="PLAN_REVIEW"))
    assert [i.row.kind for i in only_plans] == ["PLAN_REVIEW"]
    tomorrow = worklist(principal(gap["counsellor"]), Filters(within_days=1))
    assert [i.row.kind for i in tomorrow] == [
        "SERVICE_ENDED_NO_NEXT_STEP",
        "CONSENT_PLAN_AT_RISK",
    ]


def test_a_worker_not_named_to_the_client_sees_nothing_of_them(gap, make_worker):
    colleague = make_worker(gap["counsellor"].role, gap["orgs"]["SOC"])
    assert worklist(principal(colleague)) == []


def test_the_start_page_is_the_worklist_and_the_whole_list_one_click_away(client, gap):
    login(client, gap["counsellor"])
    page = client.get(reverse("workspace:clients"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Service ended with no next step" in text
    assert "Social rehabilitation ended on 1.6.2026" in text
    assert "?all=1" in text
    everyone = client.get(reverse("workspace:clients") + "?all=1")
    assert gap["client"].last_name in everyone.content.decode()


def test_the_other_authoritys_start_page_shows_no_detail(client, gap):
    login(client, gap["official"])
    text = client.get(reverse("workspace:clients")).content.decode()
    assert "The client needs attention from Social welfare office" in text
    assert "Social rehabilitation ended" not in text
