"""Per case, in SQL over ``events``: the log's time span, and which cases are still open.

``open_cases_table`` applies ``analyses.periods.OPEN_RULE``: a case is open when its last activity usually
has a successor (fewer than half of that activity's executions end a case) and the time from its last event
to the end of the export is shorter than the 90th percentile of the waits from that activity to the next
step. The open cases stay a table of the connection (``engine.periods`` leaves them out of the periods);
only their number comes back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from procmine.engine.db import EVENTS_VIEW, has_column
from procmine.engine.quantiles import quantiles_sql

if TYPE_CHECKING:
    import duckdb

_LAST = "_case_last_events"
OPEN_CASES = "_open_cases"


def time_span(con: duckdb.DuckDBPyConnection) -> tuple[Any, Any]:
    """The first moment of the log (start times included) and its last completion; (None, None) if empty."""
    starts = "min(start_timestamp)" if has_column(con, "start_timestamp") else "NULL"
    first, first_start, last = con.execute(
        f"SELECT min(timestamp), {starts}, max(timestamp) FROM {EVENTS_VIEW}"
    ).fetchall()[0]
    if first is None:
        return None, None
    return (first if first_start is None else min(first, first_start)), last


def open_cases_table(con: duckdb.DuckDBPyConnection) -> str:
    """The table ``OPEN_CASES`` (case_id) of the cases still open at the end of the export (see the
    module docstring); returns its name."""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {_LAST} AS
            SELECT case_id, activity, timestamp,
                   (epoch_us(lead(timestamp) OVER w) - epoch_us(timestamp)) / 1e6 AS gap
            FROM {EVENTS_VIEW}
            WINDOW w AS (PARTITION BY case_id ORDER BY timestamp, "row")"""
    )
    p90 = quantiles_sql(con, _LAST, ["activity"], {"gap_": "gap"}, {"p90": 0.9}, "gap IS NOT NULL")
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {OPEN_CASES} AS
            WITH activities AS (
                SELECT activity, avg(CASE WHEN gap IS NULL THEN 1.0 ELSE 0.0 END) AS ends_share
                FROM {_LAST} GROUP BY activity
            ), export AS (SELECT max(epoch_us(timestamp)) AS end_us FROM {_LAST})
            SELECT l.case_id
            FROM {_LAST} l JOIN activities a ON l.activity = a.activity
                 JOIN ({p90}) q ON l.activity = q.activity CROSS JOIN export x
            WHERE l.gap IS NULL AND a.ends_share < 0.5
                  AND (x.end_us - epoch_us(l.timestamp)) / 1e6 < q.gap_p90"""
    )
    con.execute(f"DROP TABLE {_LAST}")
    return OPEN_CASES
