"""Figures of a column of whole numbers read off its distribution (value -> how many times it occurs), so
that the engine sends a few rows instead of the column: the same mean, median and 90th percentile as
pandas computes on the column itself, to the last bit.

pandas adds whole numbers as doubles (exact below 2^53) and divides by the count; its median is the
middle value, or the mean of the two middle ones; its quantiles are numpy's linear interpolation between
the two values around the virtual index ``(n - 1) * q``, which is repeated here operation by operation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np


def distribution(pairs: Iterable[tuple[int, int]]) -> dict[int, int]:
    """value -> count, summing the counts of a value given more than once."""
    out: dict[int, int] = {}
    for value, count in pairs:
        out[int(value)] = out.get(int(value), 0) + int(count)
    return out


def describe(counts: Mapping[int, int]) -> dict[str, Any]:
    """Mean, median, 90th percentile and maximum (None for each when there is no value)."""
    n = sum(counts.values())
    if not n:
        return {"mean": None, "median": None, "p90": None, "max": None}
    total = sum(value * count for value, count in counts.items())
    return {
        "mean": float(np.float64(total) / n),
        "median": median(counts),
        "p90": quantile(counts, 0.9),
        "max": int(max(v for v, c in counts.items() if c)),
    }


def nth(counts: Mapping[int, int], k: int) -> int:
    """The k-th smallest value (0-based)."""
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if k < seen:
            return value
    raise IndexError(k)


def median(counts: Mapping[int, int]) -> float:
    n = sum(counts.values())
    if n % 2:
        return float(nth(counts, n // 2))
    return float((np.float64(nth(counts, n // 2 - 1)) + np.float64(nth(counts, n // 2))) / 2)


def quantile(counts: Mapping[int, int], q: float) -> float:
    """numpy's (and pandas') linear quantile."""
    n = sum(counts.values())
    virtual = np.float64(n - 1) * np.float64(q)
    below = np.floor(virtual)
    gamma = virtual - below
    low = np.float64(nth(counts, int(below)))
    high = np.float64(nth(counts, min(int(below) + 1, n - 1)))
    step = high - low
    return float(high - step * (1 - gamma) if gamma >= 0.5 else low + step * gamma)
