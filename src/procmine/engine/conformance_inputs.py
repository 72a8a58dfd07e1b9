"""The inputs of conformance checking, in SQL: the distinct variants with their cases, and per-activity
counts and times, so ``check`` never builds a per-event frame.

The aligner works once per variant: it gets the distinct traces and their case counts, never one Python
object per case. Each case's variant, first and last moment come back as one small row per case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from procmine.engine.db import EVENTS_VIEW, has_column

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

CASE_TRACES = "_case_traces"


def variants_with_cases(
    con: duckdb.DuckDBPyConnection,
) -> tuple[list[tuple[str, ...]], list[int], pd.DataFrame]:
    """The distinct traces (most frequent first; ties: the variant whose first case comes first in case-id
    order), their case counts, and per case (sorted by case id): ``case_id``, ``variant`` (the index of its
    trace), ``start`` (its earliest start or completion) and ``end`` (its latest completion)."""
    start = (
        "least(min(timestamp), min(start_timestamp))"
        if has_column(con, "start_timestamp")
        else ("min(timestamp)")
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {CASE_TRACES} AS
            SELECT case_id, list(CAST(activity AS VARCHAR) ORDER BY timestamp, "row") AS trace,
                   {start} AS start, max(timestamp) AS "end"
            FROM {EVENTS_VIEW} GROUP BY case_id"""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _variant_rank AS
            SELECT trace, n, row_number() OVER (ORDER BY n DESC, first_case) - 1 AS variant
            FROM (SELECT trace, count(*) AS n, min(case_id) AS first_case
                  FROM {CASE_TRACES} GROUP BY trace)"""
    )
    ranked = con.execute("SELECT trace, n FROM _variant_rank ORDER BY variant").fetchall()
    cases = con.execute(
        f"""SELECT c.case_id, v.variant, c.start, c."end"
            FROM {CASE_TRACES} c JOIN _variant_rank v USING (trace) ORDER BY c.case_id"""
    ).df()
    con.execute(f"DROP TABLE {CASE_TRACES}; DROP TABLE _variant_rank")
    return [tuple(t) for t, _ in ranked], [int(n) for _, n in ranked], cases


def activity_times(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per activity (the index): first and last completion, cases and events."""
    frame = con.execute(
        f"""SELECT CAST(activity AS VARCHAR) AS activity, min(timestamp) AS first, max(timestamp) AS last,
                   count(DISTINCT case_id) AS cases, count(*) AS events
            FROM {EVENTS_VIEW} GROUP BY 1 ORDER BY 1"""
    ).df()
    return frame.set_index("activity")
