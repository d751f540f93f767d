"""Sixteen writers append audit events at once, with sealers running between them: no writer
fails or retries, every event is kept, and the sealed chain verifies."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction

from kaveri.access.actions import Action
from kaveri.access.audit import append_events
from kaveri.access.chain import seal_all, seal_pending, verify_chain
from kaveri.access.models import AuditEvent

WRITERS = 16
REQUESTS_PER_WRITER = 10
EVENTS_PER_REQUEST = 5


def a_request(client, writer: int) -> None:
    """One request's worth of events, in one transaction, as a list page writes them."""
    with transaction.atomic():
        append_events(
            [
                AuditEvent(
                    username=f"writer-{writer}", action=str(Action.CLIENT_VIEW), client=client
                )
                for _ in range(EVENTS_PER_REQUEST)
            ]
        )


def writer(client, number: int) -> int:
    try:
        for request in range(REQUESTS_PER_WRITER):
            a_request(client, number)
            if request % 3 == 0:
                seal_pending(wait=False)
        return REQUESTS_PER_WRITER
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_sixteen_parallel_writers_never_fail(make_client):
    person = make_client()
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        results = list(pool.map(lambda n: writer(person, n), range(WRITERS)))
    assert results == [REQUESTS_PER_WRITER] * WRITERS  # a failed request raises here
    assert AuditEvent.objects.count() == WRITERS * REQUESTS_PER_WRITER * EVENTS_PER_REQUEST
    seal_all()
    result = verify_chain()
    assert result.broken is None
    assert result.events == WRITERS * REQUESTS_PER_WRITER * EVENTS_PER_REQUEST
    assert result.unsealed == 0
