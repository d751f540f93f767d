"""Figures about groups of days: the nearest-rank percentile the statistics use."""

from collections import Counter
from collections.abc import Iterable, Sequence
from math import ceil


def _rank(share: float, count: int) -> int:
    """The place (from 1) of the nearest-rank percentile at `share` among `count` values."""
    return max(ceil(share * count), 1)


def nearest_rank(ordered: list[int], share: float) -> int:
    """The value at or below which `share` of the values lie (nearest-rank percentile);
    `ordered` sorted, not empty."""
    return ordered[_rank(share, len(ordered)) - 1]


def nearest_ranks(values: Iterable[int], shares: Sequence[float]) -> list[int]:
    """`nearest_rank` of the values at each share, counted rather than sorted: the days of a
    million records are a few thousand distinct numbers. `values` not empty."""
    counts = Counter(values)
    total = sum(counts.values())
    wanted = [_rank(share, total) for share in shares]
    found: list[int | None] = [None] * len(shares)
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        for i, rank in enumerate(wanted):
            if found[i] is None and seen >= rank:
                found[i] = value
    return found
