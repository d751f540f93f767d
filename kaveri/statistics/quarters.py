"""A period's counts as the sum of its quarters'.

Every record of a cube is placed by the month of its event, and nothing it is counted by
depends on the period (kaveri.statistics.filters), so the cube of a period is the union of
its quarters' cubes: their cells never meet, each holding its own month. The counting
functions are kept per quarter (kaveri.statistics.materialised), and the night counts every
quarter of the periods offered and every older one that holds records
(kaveri.statistics.history), so any period of those quarters, not only the ones offered,
answers from the night's count."""

import inspect
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from functools import wraps

from kaveri.statistics.filters import StatisticsFilters


def merged(parts: Iterable):
    """The union of the quarters' results: dictionaries joined (what both hold, merged in
    turn), counts added, days put one after the other, tuples joined place by place."""
    found = None
    for part in parts:
        found = part if found is None else _joined(found, part)
    return found


def _joined(one, other):
    if isinstance(one, Counter):
        return one + other
    if isinstance(one, dict):
        found = dict(one)
        for key, value in other.items():
            found[key] = _joined(found[key], value) if key in found else value
        return found
    if isinstance(one, tuple):
        return tuple(_joined(a, b) for a, b in zip(one, other, strict=True))
    if isinstance(one, list):
        return [_joined(a, b) for a, b in zip(one, other, strict=True)]
    if isinstance(one, array):
        return one + other
    raise TypeError(f"two quarters counted the same cell: {type(one).__name__}")


def by_quarters(count: Callable) -> Callable:
    """count(..., period=a quarter, ...) called for each quarter of the period, joined."""
    signature = inspect.signature(count)

    @wraps(count)
    def over_quarters(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        period: StatisticsFilters = bound.arguments["period"]
        parts = []
        for quarter in period.calendar_quarters():
            bound.arguments["period"] = quarter
            parts.append(count(*bound.args, **bound.kwargs))
        return merged(parts)

    return over_quarters
