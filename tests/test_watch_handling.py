"""A signal is acknowledged or snoozed with a reason (a logged transition); a snoozed one
shows again after its day; every signal clears itself when the facts change. The team
view shows the organisation's clients with no named worker, each worker's load and the
signals no one has acted on."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from kaveri.access.principal import Principal
from kaveri.access.roles import Role
from kaveri.casework import actions as casework
from kaveri.casework.models import ClientRelationship
from kaveri.rules.violations import Conflict, Violations
from kaveri.transitions.models import StateChange
from kaveri.watch.actions import acknowledge_signal, snooze_signal
from kaveri.watch.explain import explain
from kaveri.watch.models import Signal
from kaveri.watch.scan import scan
from kaveri.watch.states import SIGNAL
from kaveri.watch.team import load_per_worker, unacted_signals, unnamed_relationships
from kaveri.watch.worklist import worklist
from tests.conftest import login
from tests.watch_network import DAY, GAP_DAY, social_rehabilitation

pytestmark = pytest.mark.django_db
TODAY = GAP_DAY


def principal(worker, today=TODAY) -> Principal:
    return Principal(worker.user, worker.role, worker, worker.organisation, today=today)


def unnamed_relationship(net, person) -> ClientRelationship:
    """An open relationship whose worker has not been named (imported, say)."""
    return ClientRelationship.objects.create(
        client=person,
        organisation=net["orgs"]["SOC"],
        kind="SOC_CLIENT",
        opened_on=DAY,
        ruleset_version="fi-2026.1",
    )


def signal_items(worker, today=TODAY):
    return [i for i in worklist(principal(worker, today)) if i.signal]


def test_acknowledging_logs_who_when_and_why_and_keeps_the_signal_marked(gap):
    signal = acknowledge_signal(
        gap["signal"],
        gap["counsellor"],
        "Called the client; a new service is being planned.",
        TODAY,
    )
    assert signal.state == Signal.State.ACKNOWLEDGED
    change = StateChange.objects.get(entity="watch.Signal", entity_id=signal.pk)
    assert (change.from_state, change.to_state, change.transition) == (
        "OPEN",
        "ACKNOWLEDGED",
        "acknowledge",
    )
    assert change.by_worker == gap["counsellor"] and change.effective_on == TODAY
    assert change.reason == "Called the client; a new service is being planned."
    [item] = signal_items(gap["counsellor"])
    assert item.row.state == Signal.State.ACKNOWLEDGED


def test_an_acknowledgement_without_a_reason_is_refused_and_changes_nothing(gap):
    with pytest.raises(Violations) as refused:
        acknowledge_signal(gap["signal"], gap["counsellor"], "   ", TODAY)
    assert refused.value.violations[0].field == "reason"
    gap["signal"].refresh_from_db()
    assert gap["signal"].state == Signal.State.OPEN
    assert not StateChange.objects.filter(entity="watch.Signal").exists()


def test_an_acknowledged_signal_goes_below_those_no_one_has_acted_on(gap, make_client):
    other = make_client(last_name="Toinen")
    relationship = casework.open_relationship(
        other, gap["orgs"]["SOC"], "SOC_CLIENT", DAY, [("OWN_WORKER", gap["counsellor"])]
    )
    social_rehabilitation({**gap, "client": other}, relationship, ends_on=date(2026, 6, 5))
    scan(TODAY)
    first = [i.row.client_id for i in signal_items(gap["counsellor"])]
    assert first == [gap["client"].pk, other.pk]  # 1.6. before 5.6.
    acknowledge_signal(gap["signal"], gap["counsellor"], "On it.", TODAY)
    after = [i.row.client_id for i in signal_items(gap["counsellor"])]
    assert after == [other.pk, gap["client"].pk]


def test_a_snoozed_signal_is_hidden_until_its_day_and_shows_again_the_day_after(gap):
    until = date(2026, 6, 20)
    snooze_signal(gap["signal"], gap["counsellor"], until, "Waiting for the doctor.", TODAY)
    assert signal_items(gap["counsellor"]) == []
    assert signal_items(gap["counsellor"], until) == []
    [again] = signal_items(gap["counsellor"], until + timedelta(days=1))
    assert again.row.pk == gap["signal"].pk
    assert again.row.state == Signal.State.SNOOZED  # no change of state was needed


@pytest.mark.parametrize(
    ("until", "message"),
    [
        (TODAY, "Choose a day after today"),
        (date(2026, 9, 11), "can be snoozed until 10.9.2026 at the latest"),
    ],
)
def test_a_snooze_must_end_after_today_and_within_the_rule_sets_limit(gap, until, message):
    with pytest.raises(Violations) as refused:
        snooze_signal(gap["signal"], gap["counsellor"], until, "Later.", TODAY)
    assert message in refused.value.violations[0].message
    gap["signal"].refresh_from_db()
    assert gap["signal"].state == Signal.State.OPEN


def test_the_longest_snooze_the_rule_set_allows_is_accepted(gap):
    snoozed = snooze_signal(gap["signal"], gap["counsellor"], date(2026, 9, 10), "Later.", TODAY)
    assert snoozed.snoozed_until == date(2026, 9, 10)


def test_a_stale_form_cannot_acknowledge_over_someone_elses_snooze(gap):
    version = gap["signal"].row_version
    snooze_signal(gap["signal"], gap["counsellor"], date(2026, 6, 20), "Later.", TODAY)
    stale = Signal.objects.get(pk=gap["signal"].pk)
    with pytest.raises(Conflict):
        acknowledge_signal(stale, gap["official"], "Seen.", TODAY, expected_version=version)


def test_a_signal_clears_itself_when_the_facts_change_and_the_clearing_is_logged(gap):
    acknowledge_signal(gap["signal"], gap["counsellor"], "Planning the next service.", TODAY)
    casework.close_relationship(gap["relationship"], TODAY, "EMPLOYED")
    signal = Signal.objects.get(pk=gap["signal"].pk)
    assert signal.state == Signal.State.CLEARED and signal.cleared_on == TODAY
    cleared = StateChange.objects.get(entity="watch.Signal", transition="clear")
    assert (cleared.from_state, cleared.by_name, cleared.by_worker) == (
        "ACKNOWLEDGED",
        "system",
        None,
    )


def test_a_worker_named_to_the_client_elsewhere_may_acknowledge_another_authoritys_signal(
    client, gap
):
    login(client, gap["official"])
    url = reverse("workspace:signal_acknowledge", args=[gap["signal"].pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "The client needs attention from Social welfare office" in page.content.decode()
    done = client.post(url, {"reason": "Asked the counsellor.", "row_version": 0})
    assert done.status_code == 302
    assert Signal.objects.get(pk=gap["signal"].pk).state == Signal.State.ACKNOWLEDGED


def test_a_colleague_not_named_to_the_client_of_another_organisation_may_not(
    client, gap, make_worker
):
    colleague = make_worker(Role.EMPLOYMENT_OFFICIAL, gap["orgs"]["EMP"])
    login(client, colleague)
    url = reverse("workspace:signal_snooze", args=[gap["signal"].pk])
    assert client.post(url, {"until": "2026-06-20", "reason": "x"}).status_code == 403
    assert Signal.objects.get(pk=gap["signal"].pk).state == Signal.State.OPEN


def test_the_snooze_page_says_what_was_wrong_and_saves_nothing(client, gap):
    login(client, gap["counsellor"])
    url = reverse("workspace:signal_snooze", args=[gap["signal"].pk])
    answer = client.post(url, {"until": "2026-06-10", "reason": "", "row_version": 0})
    assert answer.status_code == 422
    text = answer.content.decode()
    assert "Write why the signal can wait" in text
    assert Signal.objects.get(pk=gap["signal"].pk).state == Signal.State.OPEN


def test_the_worklist_offers_acknowledge_and_snooze_and_shows_who_acted(client, gap):
    login(client, gap["counsellor"])
    text = client.get(reverse("workspace:clients")).content.decode()
    assert reverse("workspace:signal_acknowledge", args=[gap["signal"].pk]) in text
    assert reverse("workspace:signal_snooze", args=[gap["signal"].pk]) in text
    acknowledge_signal(gap["signal"], gap["official"], "Asked the counsellor.", TODAY)
    text = client.get(reverse("workspace:clients")).content.decode()
    assert f"Acknowledged by {gap['official']} on 10.6.2026" in text
    assert "Asked the counsellor." in text


def test_the_api_lists_the_worklist_and_acknowledges_a_signal(client, gap):
    login(client, gap["counsellor"])
    page = client.get("/api/v1/workspace/worklist").json()
    [row] = [r for r in page["rows"] if r["signal"]]
    assert row["id"] == gap["signal"].pk and row["detailed"]
    assert row["text"].startswith("Sosiaalinen kuntoutus päättyi 1.6.2026")  # Finnish by default
    url = f"/api/v1/signals/{row['id']}/acknowledge"
    answer = client.post(
        url, {"reason": "On it.", "row_version": row["row_version"]}, "application/json"
    )
    assert answer.status_code == 200 and answer.json()["state"] == "ACKNOWLEDGED"
    stale = client.post(url, {"reason": "Again.", "row_version": 0}, "application/json")
    assert stale.status_code == 409


def test_the_api_refuses_a_snooze_past_the_limit_with_the_field_named(client, gap):
    login(client, gap["counsellor"])
    answer = client.post(
        f"/api/v1/signals/{gap['signal'].pk}/snooze",
        {"until": "2027-01-01", "reason": "Later."},
        "application/json",
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "until"]


# --- the team view ---


def test_the_team_view_lists_clients_with_no_named_worker(gap, make_client):
    relationship = unnamed_relationship(gap, make_client(last_name="Yksin"))
    assert list(unnamed_relationships(gap["orgs"]["SOC"])) == [relationship]
    casework.name_worker(relationship, "OWN_WORKER", gap["counsellor"], TODAY)
    assert list(unnamed_relationships(gap["orgs"]["SOC"])) == []


def test_the_team_view_counts_each_workers_load(gap, make_worker):
    idle = make_worker(Role.SOCIAL_COUNSELLOR, gap["orgs"]["SOC"])
    loads = {load.worker: load for load in load_per_worker(gap["orgs"]["SOC"], TODAY)}
    busy = loads[gap["counsellor"]]
    assert (busy.clients, busy.open_signals, busy.unacted_signals) == (1, 1, 1)
    assert (loads[idle].clients, loads[idle].open_signals) == (0, 0)
    acknowledge_signal(gap["signal"], gap["counsellor"], "On it.", TODAY)
    busy = next(x for x in load_per_worker(gap["orgs"]["SOC"], TODAY) if x.worker == busy.worker)
    assert (busy.open_signals, busy.unacted_signals) == (1, 0)


def test_unacted_signals_leave_the_team_view_when_acted_on_and_return_when_a_snooze_ends(gap):
    soc = gap["orgs"]["SOC"]
    assert list(unacted_signals(soc, TODAY)) == [gap["signal"]]
    assert list(unacted_signals(gap["orgs"]["EMP"], TODAY)) == []  # not theirs to answer for
    snooze_signal(gap["signal"], gap["counsellor"], date(2026, 6, 20), "Later.", TODAY)
    assert list(unacted_signals(soc, date(2026, 6, 20))) == []
    assert list(unacted_signals(soc, date(2026, 6, 21))) == [gap["signal"]]


def test_the_team_page_shows_the_three_parts(client, gap, make_client):
    unnamed_relationship(gap, make_client(last_name="Yksin"))
    login(client, gap["counsellor"])
    assert "Team view" in client.get(reverse("workspace:clients")).content.decode()
    page = client.get(reverse("workspace:team"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Yksin" in text
    assert "Clients with no named worker (1)" in text
    assert "Signals no one has acted on (1)" in text
    assert "Social rehabilitation ended on 1.6.2026" in text
    assert "9 days" in text  # behind since 1.6.
    assert str(gap["counsellor"]) in text


def test_a_row_missing_a_fact_its_explanation_names_still_explains_itself(gap):
    signal = gap["signal"]
    signal.facts = {}  # e.g. a rule set that asks for a fact its version did not record
    assert explain(signal, language="en") == (
        "– ended on – (–) and no next service, plan or closure of the relationship is "
        f"recorded. Responsible: {gap['orgs']['SOC'].name}."
    )


def test_only_the_system_clears_signals_in_bulk(gap):
    with pytest.raises(ValueError):
        SIGNAL.apply_to_all(
            Signal.objects.all(), "acknowledge", effective_on=TODAY, reason="not the system's"
        )
    assert Signal.objects.get(pk=gap["signal"].pk).state == Signal.State.OPEN


def test_the_api_gives_the_team_view(client, gap, make_client):
    unnamed_relationship(gap, make_client(last_name="Yksin"))
    login(client, gap["counsellor"])
    team = client.get("/api/v1/workspace/team").json()
    assert team["unnamed_count"] == 1 and team["unnamed"][0]["client_name"].startswith("Yksin")
    assert team["unacted_count"] == 1
    assert team["unacted"][0]["id"] == gap["signal"].pk
    [load] = [x for x in team["load"] if x["worker_id"] == gap["counsellor"].pk]
    assert (load["clients"], load["unacted_signals"]) == (1, 1)
