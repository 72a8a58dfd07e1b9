"""The inputs of conformance checking, in SQL: the distinct variants with their cases, and per-activity
counts and times, so ``check`` never builds a per-event frame.

The aligner works once per variant: it gets the distinct traces and their case counts, never one Python
object per case. Each case's variant, first and last moment stay in the engine (``CaseVariants``): what
comes back is counted per variant, a top-N list, or, for a file with one line per case, batches of rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from procmine.engine.db import EVENTS_VIEW, has_column

if TYPE_CHECKING:
    from datetime import datetime

    import duckdb
    import pandas as pd

CASE_TRACES = "_case_traces"
CASE_VARIANTS = "conformance_case_variants"
ACTIVITY_CODES = "_activity_codes"
BATCH_ROWS = 100_000  # rows per batch when every case is read (a file with one line per case)


@dataclass
class CaseVariants:
    """Each case's variant (``case_id``, ``variant``, ``start``, ``end``): a table of the connection that
    holds the log's events, read as counts per variant, a few rows, or batches, never as one frame.
    ``owner`` (the log) keeps the connection open while the table is in use."""

    con: Any
    owner: Any = None
    table: str = CASE_VARIANTS
    _started_by: dict[int | None, dict[int, int]] = field(default_factory=dict, repr=False)

    def started_by(self, moment_us: int | None = None) -> dict[int, int]:
        """variant -> cases that started at or before ``moment_us`` (microseconds since the epoch; None:
        every case)."""
        if moment_us not in self._started_by:
            where = "" if moment_us is None else f"WHERE epoch_us(start) <= {int(moment_us)}"
            rows = self.con.execute(f"SELECT variant, count(*) FROM {self.table} {where} GROUP BY variant")
            self._started_by[moment_us] = {int(v): int(n) for v, n in rows.fetchall()}
        return self._started_by[moment_us]

    def with_start(self) -> dict[int, int]:
        """variant -> cases whose start is known (none: a log without times)."""
        rows = self.con.execute(f"SELECT variant, count(start) FROM {self.table} GROUP BY variant").fetchall()
        return {int(v): int(n) for v, n in rows}

    def first_by(self, per_variant: str, value: str, limit: int) -> list[tuple[Any, ...]]:
        """The first ``limit`` (case id, ``value``) by ``value`` then case id, over the cases whose variant
        is in the table ``per_variant`` (a column ``variant`` and ``value``)."""
        return self.con.execute(
            f"""SELECT c.case_id, v.{value} FROM {self.table} c JOIN {per_variant} v ON c.variant = v.variant
                ORDER BY v.{value}, c.case_id LIMIT {int(limit)}"""
        ).fetchall()

    def batches(self, rows: int | None = None) -> Iterator[list[tuple[Any, Any]]]:
        """Every (case id, variant), sorted by case id, ``rows`` (default ``BATCH_ROWS``) at a time."""
        result = self.con.execute(f"SELECT case_id, variant FROM {self.table} ORDER BY case_id")
        while batch := result.fetchmany(rows or BATCH_ROWS):
            yield batch


def variants_with_cases(
    con: duckdb.DuckDBPyConnection, owner: Any = None
) -> tuple[list[tuple[str, ...]], list[int], CaseVariants]:
    """The distinct traces (most frequent first; ties: the variant whose first case comes first in case-id
    order), their case counts, and the cases in the engine: ``case_id``, ``variant`` (the index of its
    trace), ``start`` (its earliest start or completion) and ``end`` (its latest completion).

    A trace is built, grouped and joined as a list of small activity codes, not of names (a third less
    work on BPIC 2012); only the distinct traces are spelled out again."""
    start = (
        "least(min(e.timestamp), min(e.start_timestamp))"
        if has_column(con, "start_timestamp")
        else "min(e.timestamp)"
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {ACTIVITY_CODES} AS
            SELECT activity, CAST(row_number() OVER (ORDER BY activity) AS INTEGER) AS code
            FROM (SELECT DISTINCT CAST(activity AS VARCHAR) AS activity FROM {EVENTS_VIEW})"""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {CASE_TRACES} AS
            SELECT e.case_id, list(a.code ORDER BY e.timestamp, e."row") AS trace,
                   {start} AS start, max(e.timestamp) AS "end"
            FROM {EVENTS_VIEW} e JOIN {ACTIVITY_CODES} a ON CAST(e.activity AS VARCHAR) = a.activity
            GROUP BY e.case_id"""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _variant_rank AS
            SELECT trace, n, row_number() OVER (ORDER BY n DESC, first_case) - 1 AS variant
            FROM (SELECT trace, count(*) AS n, min(case_id) AS first_case
                  FROM {CASE_TRACES} GROUP BY trace)"""
    )
    names = dict(con.execute(f"SELECT code, activity FROM {ACTIVITY_CODES}").fetchall())
    ranked = con.execute("SELECT trace, n FROM _variant_rank ORDER BY variant").fetchall()
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {CASE_VARIANTS} AS
            SELECT c.case_id, v.variant, c.start, c."end"
            FROM {CASE_TRACES} c JOIN _variant_rank v USING (trace)"""
    )
    con.execute(f"DROP TABLE {CASE_TRACES}; DROP TABLE _variant_rank; DROP TABLE {ACTIVITY_CODES}")
    traces = [tuple(map(names.__getitem__, trace)) for trace, _ in ranked]
    return traces, [int(n) for _, n in ranked], CaseVariants(con, owner)


@dataclass(frozen=True)
class ActivityTimes:
    """One activity's first and last completion (None: the log has no times), its cases and events."""

    first: datetime | None
    last: datetime | None
    cases: int
    events: int


def activity_times(con: duckdb.DuckDBPyConnection) -> dict[str, ActivityTimes]:
    """Per activity, by name: first and last completion, cases and events."""
    rows = con.execute(
        f"""SELECT CAST(activity AS VARCHAR) AS activity, min(timestamp) AS first, max(timestamp) AS last,
                   count(DISTINCT case_id) AS cases, count(*) AS events
            FROM {EVENTS_VIEW} GROUP BY 1"""
    ).fetchall()
    rows.sort(key=lambda row: row[0])
    return {a: ActivityTimes(first, last, int(cases), int(events)) for a, first, last, cases, events in rows}


def case_variants_of(con: duckdb.DuckDBPyConnection, cases: pd.DataFrame, owner: Any = None) -> CaseVariants:
    """``cases`` (case_id, variant, start, end: a log held as a frame) as the engine's case table."""
    con.register(CASE_VARIANTS, cases)
    return CaseVariants(con, owner)
