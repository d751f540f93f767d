"""A worker's personal calendar feed (iCalendar, RFC 5545) of the deadlines of the clients
they are named to, behind a secret link the worker can revoke or renew.

A calendar application fetches the feed without logging in, so the link's key is the
credential: only its hash is stored, and the feed names no client. Each event says what
is due and links to the page in Kaveri, where the usual rules apply.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from kaveri.access.tokens import hash_key
from kaveri.watch.explain import kind_label
from kaveri.watch.models import CalendarFeed, Deadline
from kaveri.watch.worklist import my_clients

KEY_PREFIX = "cal_"
SHOWN_BEFORE = timedelta(days=30)  # recent past, so that a missed day stays visible
SHOWN_AFTER = timedelta(days=366)
LINE_OCTETS = 75


def live_feed(worker) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(worker=worker, revoked_at__isnull=True).first()


def feed_for_key(key: str) -> CalendarFeed | None:
    if not key.startswith(KEY_PREFIX):
        return None
    feed = (
        CalendarFeed.objects.select_related("worker__user", "worker__organisation")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True, worker__user__is_active=True)
        .first()
    )
    if feed is not None:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed


def feed_deadlines(worker, today: date):
    return (
        Deadline.objects.filter(
            client_id__in=my_clients(worker),
            due_on__gte=today - SHOWN_BEFORE,
            due_on__lte=today + SHOWN_AFTER,
        )
        .select_related("client")
        .order_by("due_on", "pk")
    )


@dataclass(frozen=True)
class Event:
    uid: str
    day: date
    summary: str
    url: str


def events_of(rows, language: str) -> list[Event]:
    site = settings.KAVERI_SITE_URL
    host = site.split("://", 1)[-1].split("/", 1)[0] or "kaveri"
    with translation.override(language):
        return [
            Event(
                uid=f"deadline-{row.pk}@{host}",
                day=row.due_on,
                summary=f"Kaveri: {kind_label(row, language)} (#{row.client_id})",
                url=site + reverse("workspace:client", args=[row.client_id]),
            )
            for row in rows
        ]


def escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def folded(line: str) -> str:
    """A content line folded at 75 octets, never inside a UTF-8 character."""
    parts, current = [], ""
    for char in line:
        limit = LINE_OCTETS if not parts else LINE_OCTETS - 1
        if len((current + char).encode()) > limit:
            parts.append(current)
            current = ""
        current += char
    parts.append(current)
    return "\r\n ".join(parts)


def ical(events: list[Event], name: str, stamp: datetime) -> str:
    stamped = stamp.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Kaveri//Watch//FI",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escaped(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{stamped}",
            f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escaped(event.summary)}",
            f"URL:{event.url}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(folded(line) + "\r\n" for line in lines)
