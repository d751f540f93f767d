"""Notifications: the daily digest e-mail per worker, the personal calendar feed behind a
revocable secret link, and the daily watch as a scheduled django-q2 task."""

from datetime import date, datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task

from kaveri.access.models import AuditEvent
from kaveri.access.roles import Role
from kaveri.casework import actions as casework
from kaveri.watch.actions import renew_calendar_feed, revoke_calendar_feed
from kaveri.watch.calendar import Event, folded, ical
from kaveri.watch.digest import digests_for, send_digests
from kaveri.watch.models import DigestSent
from kaveri.watch.scan import scan
from kaveri.watch.tasks import DAILY_TASK, daily_watch, next_run_at
from tests.conftest import login
from tests.watch_network import DAY, activation_plan, soc_relationship, social_rehabilitation

pytestmark = pytest.mark.django_db
ENDED = date(2026, 6, 1)
RAISED = date(2026, 6, 2)  # the day after the service ended: the signal is raised


@pytest.fixture
def watched(net, settings):
    """A counsellor with an e-mail address, named to a client whose service ends 1.6."""
    settings.KAVERI_TODAY = RAISED
    net["counsellor"].user.email = "sari@kaveri.example"
    net["counsellor"].user.save()
    relationship = soc_relationship(net, pathway="P1")
    social_rehabilitation(net, relationship, ends_on=ENDED)
    net["relationship"] = relationship
    return net


def test_the_digest_counts_what_became_due_by_kind_and_names_no_client(watched):
    activation_plan(watched, watched["relationship"], months=3, made_on=date(2026, 3, 2))
    scan(RAISED)
    assert send_digests(RAISED) == 1
    [message] = mail.outbox
    assert message.to == ["sari@kaveri.example"]
    assert "02.06.2026" in message.subject or "2.6.2026" in message.subject
    body = message.body
    assert "Palvelu päättyi ilman jatkoa: 1" in body  # Finnish by default
    assert "Suunnitelman tarkistus: 1" in body  # the plan's review fell due on 2.6.
    assert watched["client"].last_name not in body
    assert watched["client"].first_names not in body
    assert "/workspace/" in body


def test_the_digest_comes_in_the_language_the_worker_last_chose(client, watched):
    """A worker who switches Kaveri to Swedish gets the digest in Swedish from then on."""
    login(client, watched["counsellor"])
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    watched["counsellor"].refresh_from_db()
    assert watched["counsellor"].language == "sv"
    scan(RAISED)
    assert send_digests(RAISED) == 1
    [message] = mail.outbox
    assert message.subject.startswith("Kaveri: dina klienters tidsfrister")
    assert "Palvelu päättyi" not in message.body


def test_nothing_new_on_a_day_sends_nothing(watched):
    scan(RAISED)
    assert send_digests(date(2026, 6, 5)) == 0
    assert mail.outbox == []


def test_a_digest_is_sent_once_a_day_however_often_it_runs(watched):
    scan(RAISED)
    assert send_digests(RAISED) == 1
    assert send_digests(RAISED) == 0
    assert len(mail.outbox) == 1
    assert DigestSent.objects.get().items == 1


def test_only_the_workers_named_to_the_client_with_an_address_get_it(watched, make_worker):
    colleague = make_worker(Role.SOCIAL_COUNSELLOR, watched["orgs"]["SOC"], email="c@x.example")
    watched["official"].user.email = "tuula@kaveri.example"
    watched["official"].user.save()
    scan(RAISED)
    recipients = [d.worker for d in digests_for(RAISED)]
    assert recipients == [watched["counsellor"]]
    assert colleague not in recipients


def test_a_deadline_that_passed_yesterday_is_overdue_from_today(watched):
    casework.register_job_seeker(watched["client"], watched["orgs"]["EMP"], date(2026, 5, 25))
    casework.open_relationship(
        watched["client"],
        watched["orgs"]["EMP"],
        "EMP_CLIENT",
        DAY,
        [("RESPONSIBLE_OFFICIAL", watched["official"])],
    )
    watched["official"].user.email = "tuula@kaveri.example"
    watched["official"].user.save()
    # The initial interview fell due on 1.6. (five working days from Monday 25.5.).
    [digest] = [d for d in digests_for(RAISED) if d.worker == watched["official"]]
    assert digest.overdue_now == {"INITIAL_INTERVIEW": 1}


def test_the_console_command_sends_the_days_digests(watched):
    scan(RAISED)
    out = StringIO()
    call_command("watch", "digest", "--day", "2026-06-02", stdout=out)
    assert "Digests for 2026-06-02: 1 sent, 0 already sent earlier." in out.getvalue()
    assert len(mail.outbox) == 1


# --- the calendar feed ---


def feed_url(key: str) -> str:
    return reverse("calendar_feed", args=[key])


def test_the_calendar_feed_lists_the_workers_deadlines_without_names(client, watched):
    key = renew_calendar_feed(watched["counsellor"], "en")
    answer = client.get(feed_url(key))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/calendar; charset=utf-8"
    text = answer.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;VALUE=DATE:20260601" in text
    assert f"SUMMARY:Kaveri: Decision ends (#{watched['client'].pk})" in text
    assert watched["client"].last_name not in text


def test_the_feed_is_audited_as_the_worker_it_belongs_to(client, watched):
    key = renew_calendar_feed(watched["counsellor"], "fi")
    client.get(feed_url(key))
    event = AuditEvent.objects.get(action="calendar.feed")
    assert event.client == watched["client"]
    assert event.username == watched["counsellor"].user.username


def test_a_revoked_or_renewed_link_stops_working(client, watched):
    first = renew_calendar_feed(watched["counsellor"], "fi")
    second = renew_calendar_feed(watched["counsellor"], "fi")
    assert client.get(feed_url(first)).status_code == 404
    assert client.get(feed_url(second)).status_code == 200
    revoke_calendar_feed(watched["counsellor"])
    assert client.get(feed_url(second)).status_code == 404
    assert client.get(feed_url("cal_not-a-key")).status_code == 404


def test_the_link_page_shows_the_new_link_once_and_revokes_it(client, watched):
    login(client, watched["counsellor"])
    page = client.post(reverse("workspace:calendar_link"), {"do": "renew"})
    text = page.content.decode()
    assert "it is shown only once" in text
    link = text.split('id="calendar-link" type="text" readonly value="')[1].split('"')[0]
    path = link.split("testserver", 1)[1]
    client.logout()
    assert client.get(path).status_code == 200
    login(client, watched["counsellor"])
    assert "shown only once" not in client.get(reverse("workspace:calendar_link")).content.decode()
    client.post(reverse("workspace:calendar_link"), {"do": "revoke"})
    client.logout()
    assert client.get(path).status_code == 404


def test_icalendar_lines_are_escaped_and_folded_at_75_octets():
    long = "Kaveri: " + "ä" * 60
    assert all(len(part.encode()) <= 75 for part in folded("SUMMARY:" + long).split("\r\n"))
    assert folded("SUMMARY:" + long).replace("\r\n ", "") == "SUMMARY:" + long
    text = ical(
        [Event("u1@kaveri", date(2026, 6, 1), "a, b; c", "http://x/")],
        "Kaveri",
        timezone.make_aware(datetime(2026, 6, 1, 8, 0)),
    )
    assert "SUMMARY:a\\, b\\; c\r\n" in text
    assert "DTSTAMP:20260601T050000Z" in text  # Helsinki summer time is UTC+3


# --- the scheduled task ---


def test_the_daily_watch_is_scheduled_once_after_migrate():
    [schedule] = Schedule.objects.filter(func=DAILY_TASK)
    assert schedule.schedule_type == Schedule.DAILY and schedule.repeats == -1


def test_the_next_run_is_the_next_configured_time():
    morning = timezone.make_aware(datetime(2026, 6, 2, 4, 0))
    evening = timezone.make_aware(datetime(2026, 6, 2, 18, 0))
    assert next_run_at(morning, "05:30") == timezone.make_aware(datetime(2026, 6, 2, 5, 30))
    assert next_run_at(evening, "05:30") == timezone.make_aware(datetime(2026, 6, 3, 5, 30))


def test_the_daily_task_scans_and_sends_for_the_systems_day(watched):
    summary = daily_watch()
    # The operations raised the signal already; the scan finds it open and sends the digest.
    assert summary == "2026-06-02: 0 signals raised, 0 cleared, 1 digests sent"
    assert len(mail.outbox) == 1


def test_the_task_runs_through_django_q(watched, settings):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    async_task(DAILY_TASK, sync=True)
    assert DigestSent.objects.filter(day=RAISED).count() == 1
