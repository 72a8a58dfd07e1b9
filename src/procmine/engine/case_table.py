"""Per case, in SQL over ``events``: when it started and ended, its events, and whether it is still open.

The per-case table comes back as a frame (one row per case: the periods' statistics test per case); the
events never do. ``open_cases`` applies ``analyses.periods.OPEN_RULE``: a case is open when its last
activity usually has a successor (fewer than half of that activity's executions end a case) and the time
from its last event to the end of the export is shorter than the 90th percentile of the waits from that
activity to the next step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from procmine.engine.db import EVENTS_VIEW, has_column
from procmine.engine.quantiles import quantiles_sql

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

_LAST = "_case_last_events"


def case_table(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Indexed by case id (sorted): ``started`` (the first moment, a start time when earlier than its
    completion), ``ended`` (the last completion), ``events``."""
    first = "timestamp"
    if has_column(con, "start_timestamp"):
        first = (
            "CASE WHEN start_timestamp IS NOT NULL AND start_timestamp < timestamp "
            "THEN start_timestamp ELSE timestamp END"
        )
    frame = con.execute(
        f"""SELECT case_id, min({first}) AS started, max(timestamp) AS ended, count(*) AS events
            FROM {EVENTS_VIEW} GROUP BY case_id ORDER BY case_id"""
    ).df()
    return frame.set_index("case_id")


def time_span(con: duckdb.DuckDBPyConnection) -> tuple[Any, Any]:
    """The first moment of the log (start times included) and its last completion; (None, None) if empty."""
    starts = "min(start_timestamp)" if has_column(con, "start_timestamp") else "NULL"
    first, first_start, last = con.execute(
        f"SELECT min(timestamp), {starts}, max(timestamp) FROM {EVENTS_VIEW}"
    ).fetchall()[0]
    if first is None:
        return None, None
    return (first if first_start is None else min(first, first_start)), last


def open_cases(con: duckdb.DuckDBPyConnection) -> set[Any]:
    """The ids of the cases still open at the end of the export (see the module docstring)."""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {_LAST} AS
            SELECT case_id, activity, timestamp,
                   (epoch_us(lead(timestamp) OVER w) - epoch_us(timestamp)) / 1e6 AS gap
            FROM {EVENTS_VIEW}
            WINDOW w AS (PARTITION BY case_id ORDER BY timestamp, "row")"""
    )
    p90 = quantiles_sql(con, _LAST, ["activity"], {"gap_": "gap"}, {"p90": 0.9}, "gap IS NOT NULL")
    rows = con.execute(
        f"""WITH activities AS (
                SELECT activity, avg(CASE WHEN gap IS NULL THEN 1.0 ELSE 0.0 END) AS ends_share
                FROM {_LAST} GROUP BY activity
            ), export AS (SELECT max(epoch_us(timestamp)) AS end_us FROM {_LAST})
            SELECT l.case_id
            FROM {_LAST} l JOIN activities a ON l.activity = a.activity
                 JOIN ({p90}) q ON l.activity = q.activity CROSS JOIN export x
            WHERE l.gap IS NULL AND a.ends_share < 0.5
                  AND (x.end_us - epoch_us(l.timestamp)) / 1e6 < q.gap_p90"""
    ).fetchall()
    con.execute(f"DROP TABLE {_LAST}")
    return {r[0] for r in rows}
