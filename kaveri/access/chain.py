"""The audit log's keyed chain: a MAC on every event, seals that chain the events in order,
and an anchor outside the database that `verify` compares the newest seal with.

Writers only insert events with their MAC (no shared head to contend for); one sealer at a time
gathers the events not yet sealed into the next seal. The key comes from the settings, never from
the database, so an operator who edits rows cannot make them verify again.
"""

import hashlib
import hmac
import logging
import os
import syslog
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from kaveri.access.models import GENESIS_HASH, AuditEvent, AuditSeal

logger = logging.getLogger(__name__)

SEAL_SIZE = 5000
SYSLOG = "syslog"
_SEAL_LOCK = 7_240_315  # PostgreSQL advisory lock: one sealer at a time.


def _key() -> bytes:
    return settings.KAVERI_AUDIT_KEY.encode()


def key_id() -> str:
    """Names the key without revealing it, so `verify` can tell a seal made with another key."""
    return hashlib.sha256(b"kaveri-audit-key-id" + _key()).hexdigest()[:16]


def event_mac(event: AuditEvent) -> str:
    return hmac.new(_key(), event.content().encode(), hashlib.sha256).hexdigest()


def seal_digest(seal: AuditSeal, events: Iterable[tuple[int, str]]) -> str:
    digest = hmac.new(_key(), digestmod=hashlib.sha256)
    head = f"{seal.sequence}\x1f{seal.at.isoformat()}\x1f{seal.event_count}\x1f"
    digest.update((head + seal.previous_digest).encode())
    for event_id, mac in events:
        digest.update(f"\x1e{event_id}:{mac}".encode())
    return digest.hexdigest()


# Sealing ---------------------------------------------------------------------------------------


def _take_seal_lock(wait: bool) -> bool:
    if connection.vendor != "postgresql":
        return True  # SQLite: the write transaction (BEGIN IMMEDIATE) is the lock.
    function = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [_SEAL_LOCK])
        row = cursor.fetchone()
    return wait or bool(row[0])


def seal_pending(wait: bool = True) -> AuditSeal | None:
    """Seal up to SEAL_SIZE events not yet sealed; None when there were none (or, with
    wait=False, when another process is sealing)."""
    with transaction.atomic():
        if not _take_seal_lock(wait):
            return None
        pending = list(
            AuditEvent.objects.filter(seal__isnull=True)
            .order_by("id")
            .values_list("id", "mac")[:SEAL_SIZE]
        )
        if not pending:
            return None
        head = AuditSeal.objects.order_by("-sequence").values_list("sequence", "digest").first()
        sequence, previous = head or (0, GENESIS_HASH)
        seal = AuditSeal(
            sequence=sequence + 1,
            at=timezone.now(),
            event_count=len(pending),
            key_id=key_id(),
            previous_digest=previous,
        )
        seal.digest = seal_digest(seal, pending)
        seal.save(force_insert=True)
        AuditEvent.objects.filter(id__in=[event_id for event_id, _ in pending]).update(seal=seal)
        transaction.on_commit(lambda: write_anchor(seal))
    return seal


def seal_all(progress: Callable[[int], None] | None = None) -> int:
    """Seal every pending event; the number of seals made."""
    made = 0
    while (seal := seal_pending()) is not None:
        made += 1
        if progress:
            progress(seal.event_count)
    return made


_last_seal_attempt = 0.0


def seal_now_and_then() -> None:
    """After a request wrote events: seal if this process has not tried for a while.
    A failure here never fails the request; the next attempt or `kaveri audit seal` catches up."""
    global _last_seal_attempt
    now = time.monotonic()
    if now - _last_seal_attempt < settings.KAVERI_AUDIT_SEAL_SECONDS:
        return
    _last_seal_attempt = now
    try:
        seal_pending(wait=False)
    except DatabaseError:
        logger.warning("Sealing the audit log failed; it will be tried again.", exc_info=True)


# The anchor -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    sequence: int
    digest: str
    at: str


def anchor_line(seal: AuditSeal) -> str:
    return f"{seal.at.isoformat()} seal={seal.sequence} digest={seal.digest} key={seal.key_id}"


def write_anchor(seal: AuditSeal) -> None:
    target = settings.KAVERI_AUDIT_ANCHOR
    if not target:
        return
    if target == SYSLOG:
        syslog.syslog(syslog.LOG_NOTICE, f"kaveri audit anchor {anchor_line(seal)}")
        return
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, (anchor_line(seal) + "\n").encode())
    finally:
        os.close(descriptor)


def last_anchor() -> Anchor | None:
    target = settings.KAVERI_AUDIT_ANCHOR
    if not target or target == SYSLOG or not Path(target).exists():
        return None
    last = ""
    with open(target, encoding="ascii") as lines:
        for line in lines:
            if line.strip():
                last = line
    if not last:
        return None
    at, *pairs = last.split()
    fields = dict(pair.split("=", 1) for pair in pairs)
    return Anchor(int(fields["seal"]), fields["digest"], at)


# Verifying --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainBreak:
    where: str
    problem: str

    def __str__(self) -> str:
        return f"audit chain broken at {self.where}: {self.problem}"


@dataclass
class Verification:
    events: int = 0
    seals: int = 0
    unsealed: int = 0
    anchored_at: str = ""
    broken: ChainBreak | None = None


def verify_chain(progress: Callable[[int], None] | None = None) -> Verification:
    result = Verification()
    result.broken = (
        _verify_seals(result, progress)
        or _verify_unsealed(result, progress)
        or _verify_anchor(result)
    )
    return result


def _verify_seals(result: Verification, progress) -> ChainBreak | None:
    expected, previous = 1, GENESIS_HASH
    for seal in AuditSeal.objects.order_by("sequence").iterator(chunk_size=500):
        where = f"seal #{seal.sequence}"
        if seal.sequence != expected:
            return ChainBreak(
                f"seal #{expected}", f"it is missing (next found is #{seal.sequence})"
            )
        if seal.previous_digest != previous:
            return ChainBreak(where, "it does not point to the digest of the seal before it")
        if seal.key_id != key_id():
            return ChainBreak(where, "it was sealed with another key than the one configured")
        events = list(AuditEvent.objects.filter(seal=seal).order_by("id"))
        problem = _first_changed_event(events)
        if problem:
            return problem
        if len(events) != seal.event_count:
            return ChainBreak(
                where, f"it sealed {seal.event_count} events but {len(events)} are there now"
            )
        if seal_digest(seal, [(e.id, e.mac) for e in events]) != seal.digest:
            return ChainBreak(where, "its events or the seal itself have changed since sealing")
        result.seals += 1
        result.events += len(events)
        expected, previous = seal.sequence + 1, seal.digest
        if progress:
            progress(len(events))
    return None


def _first_changed_event(events: Iterable[AuditEvent]) -> ChainBreak | None:
    for event in events:
        if not hmac.compare_digest(event.mac, event_mac(event)):
            return ChainBreak(
                f"event id {event.pk}", "its content has changed since it was written"
            )
    return None


def _verify_unsealed(result: Verification, progress) -> ChainBreak | None:
    unsealed = AuditEvent.objects.filter(seal__isnull=True).order_by("id")
    for event in unsealed.iterator(chunk_size=2000):
        problem = _first_changed_event([event])
        if problem:
            return problem
        result.unsealed += 1
        result.events += 1
        if progress:
            progress(1)
    return None


def _verify_anchor(result: Verification) -> ChainBreak | None:
    anchor = last_anchor()
    if anchor is None:
        return None
    result.anchored_at = anchor.at
    where = f"seal #{anchor.sequence}"
    sealed = AuditSeal.objects.filter(sequence=anchor.sequence).values_list("digest", flat=True)
    digest = sealed.first()
    if digest is None:
        return ChainBreak(
            where,
            f"the anchor written at {anchor.at} names it, but the database no longer holds it: "
            "the newest seals and their events were removed, or the database was restored from "
            "a backup older than that",
        )
    if not hmac.compare_digest(digest, anchor.digest):
        return ChainBreak(where, f"it differs from the anchor written at {anchor.at}")
    return None
