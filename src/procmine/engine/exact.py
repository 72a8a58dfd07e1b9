"""Sums and means that do not depend on the order in which DuckDB's threads add rows up.

A floating-point sum depends on the order of its terms, and DuckDB adds the rows of a large table in
parallel, in whatever order its threads finish: ``sum(seconds)`` over BPIC 2012's 13,087 cases came out as
9738617635.558 in one run and 9738617635.5579 in the next, so the same inputs did not give the same
report. Durations here are whole microseconds (timestamps are), so they are added as integers, which is
exact in any order (DECIMAL(38, 0), which Spark has too), and divided once at the end.
"""

from __future__ import annotations

SCALE = "1e6"  # microseconds per second


def total(expr: str) -> str:
    """SQL for the sum of ``expr`` (seconds), the same whatever the order of the rows."""
    return f"(CAST(sum(round(({expr}) * {SCALE})::DECIMAL(38, 0)) AS DOUBLE) / {SCALE})"


def mean(expr: str) -> str:
    """SQL for the mean of ``expr`` (seconds), the same whatever the order of the rows: the total over the
    count, divided as doubles (a DECIMAL divided by a count keeps a scale of its own on Spark, and the last
    digit then differed from DuckDB's)."""
    return f"({total(expr)} / count({expr}))"
