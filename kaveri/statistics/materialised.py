"""The statistics a coordinator opens first, computed ahead.

At a million clients a table can take seconds to count. The functions that count are marked
@materialised; the night's refresh (kaveri.statistics.tasks) runs each for the choices the
pages and the API open with (the default period, no narrowing, each language) and for the
whole years offered beside it, and keeps the result. The cubes are kept per quarter
(kaveri.statistics.quarters): every narrowing of any period of the quarters so counted is a
sum over them. A call with the same arguments is then answered from it; any other call
counts live (a period reaching before those quarters, its earlier quarters alone). The
refresh ends by throwing away what the last night's count kept and this one did not count
again, so none is older than a day, and the pages say when the figures they show were
counted. Within one request
(once_per_request), a call is answered once however many tables read it.

The results are pickled and signed with the server's secret (HMAC-SHA256): a figure changed
in the database is refused and counted again, never unpickled."""

import hashlib
import hmac
import inspect
import pickle
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.utils import timezone

from kaveri.statistics.models import MaterialisedFigure

# While the refresh runs the pages' builders, every marked function counts and keeps,
# once for each set of arguments (the keys kept so far).
_recording: ContextVar[set[str] | None] = ContextVar("recording", default=None)


# Within one request, every marked function answers each set of arguments once, however
# many tables read it (the keys answered so far and their results).
_answered: ContextVar[dict[str, object] | None] = ContextVar("answered", default=None)


def once_per_request(view: Callable) -> Callable:
    """A view whose tables share what they read: a period's cube counted live for one
    table is not counted again for the next."""

    @wraps(view)
    def answering_once(*args, **kwargs):
        token = _answered.set({})
        try:
            return view(*args, **kwargs)
        finally:
            _answered.reset(token)

    return answering_once


@contextmanager
def recording() -> Iterator[None]:
    token = _recording.set(set())
    try:
        yield
    finally:
        _recording.reset(token)


def _argument(value) -> str:
    """A stable text for an argument: a rule set by its version, anything else by repr."""
    version = getattr(value, "version", None)
    return f"rules:{version}" if isinstance(version, str) else repr(value)


def what_of(function: Callable, args: tuple) -> str:
    return f"{function.__module__}.{function.__qualname__}({', '.join(map(_argument, args))})"


def _key(what: str) -> str:
    return hashlib.sha256(what.encode()).hexdigest()


def _signature(value: bytes) -> str:
    secret = f"kaveri.statistics.materialised:{settings.SECRET_KEY}".encode()
    return hmac.new(secret, value, hashlib.sha256).hexdigest()


def stored(function: Callable, args: tuple):
    """The kept result of function(*args), or None."""
    found = MaterialisedFigure.objects.filter(key=_key(what_of(function, args))).first()
    if found is None or not hmac.compare_digest(found.signature, _signature(bytes(found.value))):
        return None
    return pickle.loads(bytes(found.value))


def keep(function: Callable, args: tuple):
    """Count function(*args) now, keep the result and answer it."""
    started = time.perf_counter()
    result = function(*args)
    value = pickle.dumps(result)
    seconds = time.perf_counter() - started
    what = what_of(function, args)
    MaterialisedFigure.objects.update_or_create(
        key=_key(what),
        defaults={
            "what": what[:300],
            "value": value,
            "signature": _signature(value),
            "computed_at": timezone.now(),
            "seconds": seconds,
        },
    )
    return result


def materialised(function: Callable) -> Callable:
    """Answer from the kept result for these arguments where there is one; while
    recording, count and keep."""
    signature = inspect.signature(function)

    @wraps(function)
    def answer(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        arguments = tuple(bound.arguments.values())
        kept, key = _recording.get(), _key(what_of(function, arguments))
        if kept is not None and key not in kept:
            kept.add(key)
            return keep(function, arguments)
        answered = _answered.get()
        if answered is not None and key in answered:
            return answered[key]
        found = stored(function, arguments)
        result = function(*arguments) if found is None else found
        if answered is not None:
            answered[key] = result
        return result

    return answer


def counted_at():
    """When the kept figures were counted, or None."""
    latest = MaterialisedFigure.objects.order_by("-computed_at").first()
    return latest.computed_at if latest else None
