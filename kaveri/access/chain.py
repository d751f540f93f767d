"""Checking the audit hash chain: every link, in order, from the first event."""

from collections.abc import Callable
from dataclasses import dataclass

from kaveri.access.models import GENESIS_HASH, AuditEvent

CHUNK = 5000


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    event_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"event #{self.sequence}" + (f" (id {self.event_id})" if self.event_id else "")
        return f"audit chain broken at {where}: {self.problem}"


def verify_chain(progress: Callable[[int], None] | None = None) -> tuple[int, ChainBreak | None]:
    """(events checked, the first break or None)."""
    expected_sequence, previous = 1, GENESIS_HASH
    checked = 0
    last_sequence = 0
    while True:
        chunk = list(
            AuditEvent.objects.filter(sequence__gt=last_sequence).order_by("sequence")[:CHUNK]
        )
        if not chunk:
            return checked, None
        for event in chunk:
            problem = _link_problem(event, expected_sequence, previous)
            if problem:
                return checked, ChainBreak(expected_sequence, event.pk, problem)
            checked += 1
            expected_sequence, previous = event.sequence + 1, event.hash
        last_sequence = chunk[-1].sequence
        if progress:
            progress(len(chunk))


def _link_problem(event: AuditEvent, expected_sequence: int, previous: str) -> str:
    if event.sequence != expected_sequence:
        return f"event #{expected_sequence} is missing (next found is #{event.sequence})"
    if event.previous_hash != previous:
        return "it does not point to the hash of the event before it"
    if event.hash != event.compute_hash():
        return "its content has changed since it was written"
    return ""
