"""Who is told when an operation changes what is recorded about a client.

An operation that writes a client's facts is marked `@changes_facts` (inside its
`transaction.atomic`), or calls `facts_changed` itself. The watch, a layer above the
operations, registers here when the apps load and brings the client's deadlines and
signals up to date before the transaction commits: a deadline is never out of step with
the facts it comes from. An operation made of other operations tells the watchers once,
when the outermost one returns.
"""

import functools
import threading
from collections.abc import Callable

Listener = Callable[[set[int]], None]
_listeners: list[Listener] = []
_pending = threading.local()
RECORD_TO_CLIENT = (
    "client_id",
    "relationship.client_id",
    "episode.client_id",
    "application.client_id",
    "plan.client_id",
)


def listen(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def client_id_of(record) -> int | None:
    """The client a record is about, through the record it belongs to where it has none."""
    for path in (
        "client_id",
        "relationship.client_id",
        "episode.client_id",
        "application.client_id",
        "plan.client_id",
    ):
        value = record
        for part in path.split("."):
            value = getattr(value, part, None)
        if value is not None:
            return value
    return None


def facts_changed(*clients) -> None:
    """Tell the watchers that these clients' (or client ids') facts changed: now, or when
    the outermost operation under way returns."""
    ids = {getattr(c, "pk", c) for c in clients if c is not None}
    if getattr(_pending, "depth", 0):
        _pending.ids |= ids
    elif ids:
        _tell(ids)


def _tell(ids: set[int]) -> None:
    for listener in _listeners:
        listener(ids)


def changes_facts(operation):
    """The watchers hear of the client of the record the operation returns (or, where it
    returns none, of the record it was given first)."""

    @functools.wraps(operation)
    def wrapper(*args, **kwargs):
        outermost = not getattr(_pending, "depth", 0)
        if outermost:
            _pending.ids = set()
        _pending.depth = getattr(_pending, "depth", 0) + 1
        try:
            result = operation(*args, **kwargs)
            about = client_id_of(result)
            if about is None and args:
                about = client_id_of(args[0])
            _pending.ids.add(about)
        finally:
            _pending.depth -= 1
        if outermost:
            ids, _pending.ids = _pending.ids - {None}, set()
            if ids:
                _tell(ids)
        return result

    return wrapper
