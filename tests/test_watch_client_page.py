"""The client page answers for the principal's day from the watch's own queries: its
position on the pathway maps and its "what needs attention" agree with the worklist.

The defect: after social rehabilitation ended with "moves on to rehabilitative work
activity", the P3 map said that no next step was recorded while the page showed P3 as the
next step; a decision whose end date had passed still counted as going on."""

from datetime import date

import pytest
from django.urls import reverse

from kaveri.services import actions as services
from kaveri.watch.actions import snooze_signal
from kaveri.watch.scan import scan
from tests.conftest import login
from tests.watch_network import open_signals, ready_for_rwa, rwa, social_rehabilitation

pytestmark = pytest.mark.django_db
STALLED = "The service has ended and no next step is recorded."


def client_page(client, net) -> str:
    login(client, net["counsellor"])
    return client.get(reverse("workspace:client", args=[net["client"].pk])).content.decode()


def worklist_text(client, net) -> str:
    login(client, net["counsellor"])
    return client.get(reverse("workspace:clients")).content.decode()


def test_moving_on_to_rwa_is_stalled_in_the_watchs_words_until_rwa_is_decided(
    client, net, settings
):
    settings.KAVERI_TODAY = date(2026, 4, 1)
    relationship = ready_for_rwa(net)
    episode = social_rehabilitation(net, relationship)
    services.end_episode(episode, date(2026, 3, 31), "MOVED_TO_RWA")
    page = client_page(client, net)
    assert STALLED in page
    note = page.split(STALLED)[1].split("</p>")[0]
    assert "(Moved on to rehabilitative work activity)" in note
    assert "What needs attention on 1.4.2026" in page
    assert "Signal: Service ended with no next step" in worklist_text(client, net)
    rwa(net, relationship, decision_on=date(2026, 4, 1), starts_on=date(2026, 4, 1))
    page = client_page(client, net)
    assert STALLED not in page
    assert "Step 5: Participates in rehabilitative work activity" in page
    assert "Signal: Service ended with no next step" not in worklist_text(client, net)


def test_a_decision_whose_end_date_passed_no_longer_counts_as_going_on(client, net, settings):
    relationship = ready_for_rwa(net)
    rwa(net, relationship, ends_on=date(2026, 6, 10))
    settings.KAVERI_TODAY = date(2026, 6, 10)
    page = client_page(client, net)
    assert "Step 5: Participates in rehabilitative work activity" in page
    assert STALLED not in page
    settings.KAVERI_TODAY = date(2026, 6, 11)
    page = client_page(client, net)
    assert "Step 5: Participates" not in page
    assert STALLED in page
    assert "its end date passed with no end recorded" in page


def test_the_page_answers_for_its_day_without_a_scan_having_run(client, net, settings):
    """The signal rules run for the client on the page's day; the stored rows are for
    acknowledging, not for deciding what holds."""
    relationship = ready_for_rwa(net)
    settings.KAVERI_TODAY = date(2026, 3, 2)
    social_rehabilitation(net, relationship, ends_on=date(2026, 5, 1))
    settings.KAVERI_TODAY = date(2026, 5, 4)  # no scan since 2.3.
    page = client_page(client, net)
    assert STALLED in page
    assert "Signal: Service ended with no next step" in page


def test_the_client_page_offers_to_acknowledge_a_stored_signal(client, net, settings):
    settings.KAVERI_TODAY = date(2026, 6, 2)
    relationship = ready_for_rwa(net)
    social_rehabilitation(net, relationship, ends_on=date(2026, 6, 1))
    scan(date(2026, 6, 2))
    page = client_page(client, net)
    assert "/signals/" in page and "/acknowledge/" in page


def test_a_snoozed_signal_stays_on_the_client_page_with_its_snooze(client, net, settings):
    settings.KAVERI_TODAY = date(2026, 6, 2)
    relationship = ready_for_rwa(net)
    social_rehabilitation(net, relationship, ends_on=date(2026, 6, 1))
    scan(date(2026, 6, 2))
    [signal] = open_signals(net["client"], "SERVICE_ENDED_NO_NEXT_STEP")
    snooze_signal(signal, net["counsellor"], date(2026, 6, 9), "Waiting for the decision.")
    page = client_page(client, net)
    assert STALLED in page
    assert f"Snoozed by {net['counsellor']} until 9.6.2026" in page
