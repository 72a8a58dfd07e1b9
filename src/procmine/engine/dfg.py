"""The directly-follows graph in SQL: every handover between two consecutive events of a case, with the wait.

Events of a case are ordered by ``timestamp`` (completion), ties broken by ``row`` (file order) — the order
of the canonical frame, and the order pm4py uses on it, so the counts equal ``pm4py.discover_dfg``.

The wait of a handover ``a -> b`` is the time from ``a``'s completion to ``b``'s start (its completion when
the log has no start times), never negative: when ``b`` started before ``a`` completed (overlapping work), the
wait is 0, as in ``pm4py.discover_performance_dfg`` with a start-timestamp key.

One window pass materialises the table ``steps`` (one row per event with its position in the case and its
successor); the DFG, start and end activities and the bottleneck analysis all read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from procmine.engine import exact
from procmine.engine.db import EVENTS_VIEW, has_column, table_exists
from procmine.engine.ordered import steps_arrow
from procmine.engine.quantiles import distinct_cases_sql, quantiles_sql

if TYPE_CHECKING:
    import duckdb

STEPS = "steps"
ACTIVITY_TYPE = "activity_name"
DIRECTLY_FOLLOWS = "directly_follows"
DFG_ARCS = "dfg_arcs"  # the arcs, once computed


def ensure_steps(con: duckdb.DuckDBPyConnection) -> str:
    """Create (once) the table ``steps`` and the view ``directly_follows``; return the table's name.

    ``steps``: case_id, case_key (the row of the case's first event: a cheap integer key), activity (an
    ENUM), row, position (1-based), begin_at (start or completion), completed_at, next_activity, next_row,
    next_begin_at, wait_seconds (NULL for the last event of a case, which has no next_activity), then
    start_timestamp and resource when the log has them, and the predecessor: prev_activity,
    prev_completed_at, prev_resource, prev_wait (the wait before the event; NULL for a case's first).
    ``directly_follows``: case_id, source, target, source_row, target_row, source_completed_at,
    target_begin_at, wait_seconds — one row per handover.
    """
    if table_exists(con, STEPS):
        return STEPS
    has_start = has_column(con, "start_timestamp")
    has_resource = has_column(con, "resource")
    # Activities as an ENUM: the window, the DFG and the variants then hash small codes, not strings.
    con.execute(
        f"CREATE TEMP TYPE {ACTIVITY_TYPE} AS ENUM (SELECT DISTINCT activity FROM {EVENTS_VIEW} ORDER BY 1)"
    )
    frame = getattr(con, "frame", None)
    ordered = steps_arrow(frame) if frame is not None and not getattr(con, "filtered", True) else None
    extra = ("start_timestamp, " if has_start else "") + (
        "CAST(resource AS VARCHAR) AS resource, " if has_resource else ""
    )
    if ordered is not None:  # the frame is in canonical order: no window sort needed
        con.register("_ordered_steps", ordered)
        con.execute(
            f"""
            CREATE TEMP TABLE {STEPS} AS
            SELECT case_id, case_key, activity::{ACTIVITY_TYPE} AS activity, "row", position, begin_at,
                   completed_at, next_activity::{ACTIVITY_TYPE} AS next_activity, next_row, next_begin_at,
                   wait_seconds, {extra}prev_activity::{ACTIVITY_TYPE} AS prev_activity, prev_completed_at,
                   prev_resource, prev_wait
            FROM _ordered_steps
            """
        )
        con.unregister("_ordered_steps")
    else:
        _window_steps(con, has_start, has_resource, extra)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW {DIRECTLY_FOLLOWS} AS
        SELECT case_id, case_key, activity AS source, next_activity AS target, "row" AS source_row,
               next_row AS target_row, completed_at AS source_completed_at,
               next_begin_at AS target_begin_at, wait_seconds
        FROM {STEPS}
        WHERE next_activity IS NOT NULL
        """
    )
    return STEPS


def _window_steps(con: duckdb.DuckDBPyConnection, has_start: bool, has_resource: bool, extra: str) -> None:
    """``steps`` with a window over the ``events`` view (a filtered view, or a frame out of order)."""
    begin = "coalesce(start_timestamp, timestamp)" if has_start else "timestamp"
    resource = "CAST(resource AS VARCHAR)" if has_resource else "CAST(NULL AS VARCHAR)"
    con.execute(
        f"""
        CREATE TEMP TABLE {STEPS} AS
        WITH ordered AS (
            SELECT
                case_id,
                first_value("row") OVER w AS case_key,
                activity::{ACTIVITY_TYPE} AS activity,
                "row",
                {begin} AS begin_at,
                timestamp AS completed_at,
                row_number() OVER w AS position,
                lead(activity::{ACTIVITY_TYPE}) OVER w AS next_activity,
                lead("row") OVER w AS next_row,
                lead({begin}) OVER w AS next_begin_at,
                {"start_timestamp," if has_start else ""}
                {resource} AS resource,
                lag(activity::{ACTIVITY_TYPE}) OVER w AS prev_activity,
                lag(timestamp) OVER w AS prev_completed_at,
                lag({resource}) OVER w AS prev_resource
            FROM {EVENTS_VIEW}
            WINDOW w AS (PARTITION BY case_id ORDER BY timestamp, "row")
        )
        SELECT case_id, case_key, activity, "row", position, begin_at, completed_at, next_activity, next_row,
            next_begin_at,
            CASE WHEN next_activity IS NOT NULL
                THEN {non_negative("epoch_us(next_begin_at) - epoch_us(completed_at)")} / 1e6
            END AS wait_seconds,
            {extra.replace("CAST(resource AS VARCHAR) AS ", "")}
            prev_activity, prev_completed_at, prev_resource,
            CASE WHEN prev_activity IS NOT NULL
                THEN {non_negative("epoch_us(begin_at) - epoch_us(prev_completed_at)")} / 1e6
            END AS prev_wait
        FROM ordered
        """
    )


def directly_follows(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
    """Every handover (one row per pair of consecutive events of a case) as a DuckDB relation."""
    ensure_steps(con)
    return con.sql(f"SELECT * FROM {DIRECTLY_FOLLOWS}")


@dataclass(frozen=True)
class Arc:
    """One directly-follows pair: how often it occurs, in how many cases, and how long cases wait on it."""

    source: str
    target: str
    count: int
    cases: int
    wait_median: float
    wait_p90: float
    wait_mean: float
    wait_min: float
    wait_max: float
    wait_total: float

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def dfg(con: duckdb.DuckDBPyConnection) -> list[Arc]:
    """All arcs, most frequent first (ties by source, target): counts and waiting-time statistics
    (computed once per connection: the map reuses them)."""
    if not table_exists(con, DFG_ARCS):
        ensure_steps(con)
        con.execute(
            f"CREATE TEMP TABLE {DFG_ARCS} AS "
            f"{arcs_sql(con, DIRECTLY_FOLLOWS, 'source', 'target', 'wait_seconds')}"
        )
    return read_arcs(con, DFG_ARCS)


def arcs_sql(con: duckdb.DuckDBPyConnection, relation: str, source: str, target: str, wait: str) -> str:
    """The arcs of ``relation`` (one row per handover: ``source``, ``target``, ``case_key`` and the
    ``wait`` expression): source, target, n, cases, median, p90, mean, low, high, total."""
    quantiles = quantiles_sql(con, relation, [source, target], {"w_": wait})
    return f"""
        WITH counts AS (
            SELECT {source} AS s, {target} AS t, count(*) AS n,
                   {exact.mean(wait)} AS mean, min({wait}) AS low, max({wait}) AS high,
                   {exact.total(wait)} AS total
            FROM {relation} GROUP BY {source}, {target}
        )
        SELECT CAST(c.s AS VARCHAR) AS source, CAST(c.t AS VARCHAR) AS target, n, k.cases,
               q.w_median AS median, q.w_p90 AS p90, mean, low, high, total
        FROM counts c JOIN ({quantiles}) q ON q.{source} = c.s AND q.{target} = c.t
             JOIN ({distinct_cases_sql(relation, [source, target], "case_key")}) k
             ON k.{source} = c.s AND k.{target} = c.t
        """


def read_arcs(con: duckdb.DuckDBPyConnection, relation: str) -> list[Arc]:
    """The rows of an ``arcs_sql`` result, most frequent first (ties by source, target)."""
    rows = con.execute(f"SELECT * FROM {relation} ORDER BY n DESC, source, target").fetchall()
    return [Arc(r[0], r[1], int(r[2]), int(r[3]), *(seconds(x) for x in r[4:])) for r in rows]


def non_negative(difference: str) -> str:
    """``difference``, or 0 when negative (overlapping activities); NULL without times (an order-only
    log), where ``greatest`` would give 0."""
    return f"CASE WHEN {difference} < 0 THEN 0 ELSE {difference} END"


def seconds(value: Any) -> float | None:
    """A duration in seconds, to the microsecond: the engines sum and interpolate in their own order, so
    their figures may differ in the last bits; at the microsecond they are the same. None stays None (an
    order-only log has no times)."""
    return None if value is None else round(float(value), 6)


def out_of_order_cases(con: duckdb.DuckDBPyConnection) -> int:
    """Cases with an event whose time is earlier than that of an event before it in the file, read off
    ``steps`` (each case in time order, ties by file position): a case where an event's successor comes
    from an earlier line. The same count as ``io.quality.out_of_order_cases``, without its own window."""
    ensure_steps(con)
    return int(
        con.execute(f'SELECT count(DISTINCT case_key) FROM {STEPS} WHERE next_row < "row"').fetchall()[0][0]
    )


def start_activities(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """activity -> number of cases whose first event it is (most frequent first)."""
    ensure_steps(con)
    return _counts(con, f"SELECT activity, count(*) AS n FROM {STEPS} WHERE position = 1 GROUP BY activity")


def end_activities(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """activity -> number of cases whose last event it is (most frequent first)."""
    ensure_steps(con)
    return _counts(
        con, f"SELECT activity, count(*) AS n FROM {STEPS} WHERE next_activity IS NULL GROUP BY activity"
    )


def _counts(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, int]:
    rows = con.execute(
        f"SELECT activity::VARCHAR, n FROM ({sql}) ORDER BY n DESC, activity::VARCHAR"
    ).fetchall()
    return {activity: int(n) for activity, n in rows}
