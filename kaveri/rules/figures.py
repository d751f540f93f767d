"""Figures about groups of days: the nearest-rank percentile the statistics use."""

from math import ceil


def nearest_rank(ordered: list[int], share: float) -> int:
    """The value at or below which `share` of the values lie (nearest-rank percentile);
    `ordered` sorted, not empty."""
    return ordered[max(ceil(share * len(ordered)), 1) - 1]
