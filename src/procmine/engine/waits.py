"""Every wait of a log in SQL: one row per event that has something before it in its case, with the moment
the work became ready (it *joined* the wait) and the moment it began (it *left* it).

Without a model the work is ready when the event before it in the case completed (the directly-follows
wait of ``procmine.engine.times``). With the documented model's predecessors (``set_predecessors``), the
work is ready when the latest earlier event of one of its predecessor activities completed: in a parallel
branch that is the step before it in its own branch, not whatever finished last in the other one. An event
with none of its predecessors before it in the case (a deviation, or an undocumented activity) falls back
to the event directly before it. A wait is never negative: work begun before it was ready waited 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from procmine.engine import exact
from procmine.engine.times import STEPS
from procmine.io.sql_text import string as _text

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

WAITS = "pm_waits"
PREDECESSORS = "pm_predecessors"


def set_predecessors(con: duckdb.DuckDBPyConnection, predecessors: Mapping[str, frozenset[str]]) -> None:
    """The model's predecessor activities of each activity (``pm_steps`` must exist)."""
    pairs = sorted((target, source) for target, sources in predecessors.items() for source in sources)
    # one statement both engines run (Spark has no INSERT into a temporary view)
    rows = ", ".join("(?, ?)" for _ in pairs) or "(CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR))"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {PREDECESSORS} AS SELECT * FROM (VALUES {rows}) AS p(target, source)"
        + ("" if pairs else " WHERE target IS NOT NULL"),
        [name for pair in pairs for name in pair] or None,
    )


def build_waits(con: duckdb.DuckDBPyConnection, by_model: bool) -> None:
    """Create ``pm_waits``: case_id, pos, source, target, joined (ready), left_at (begun), done_at
    (completed; epoch seconds), wait (seconds),
    overlap (the work began before it was ready: parallel work), by_model (the source is the model's
    predecessor rather than the event directly before)."""
    if not by_model:
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE {WAITS} AS
            SELECT case_id, pos, CAST(prev_activity AS VARCHAR) AS source,
                   CAST(activity AS VARCHAR) AS target, prev_end AS joined, t_begin AS left_at,
                   t_end AS done_at, greatest(t_begin - prev_end, 0) AS wait,
                   t_begin < prev_end AS overlap, false AS by_model
            FROM {STEPS} WHERE prev_activity IS NOT NULL
            """
        )
        return
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {WAITS} AS
        WITH steps AS (
            SELECT case_id, pos, CAST(activity AS VARCHAR) AS activity, t_begin, t_end,
                   CAST(prev_activity AS VARCHAR) AS prev_activity, prev_end
            FROM {STEPS}
        ), enabled AS (
            SELECT s.case_id, s.pos, arg_max(p.activity, p.pos) AS source, arg_max(p.t_end, p.pos) AS joined
            FROM steps s
            JOIN {PREDECESSORS} m ON m.target = s.activity
            JOIN steps p ON p.case_id = s.case_id AND p.pos < s.pos AND p.activity = m.source
            GROUP BY s.case_id, s.pos
        )
        SELECT s.case_id, s.pos, coalesce(e.source, s.prev_activity) AS source, s.activity AS target,
               coalesce(e.joined, s.prev_end) AS joined, s.t_begin AS left_at, s.t_end AS done_at,
               greatest(s.t_begin - coalesce(e.joined, s.prev_end), 0) AS wait,
               s.t_begin < coalesce(e.joined, s.prev_end) AS overlap, e.source IS NOT NULL AS by_model
        FROM steps s LEFT JOIN enabled e USING (case_id, pos)
        WHERE s.prev_activity IS NOT NULL
        """
    )


def waits_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """``pm_waits`` in a fixed order (by target, then the moment work joined the wait, case, position)."""
    return con.execute(
        "SELECT case_id, pos, source, target, joined, left_at, done_at, wait, overlap, by_model "
        f"FROM {WAITS} ORDER BY target, joined, case_id, pos"
    ).df()


def targets(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The target steps of ``pm_waits``, sorted."""
    return [t for (t,) in con.execute(f"SELECT DISTINCT target FROM {WAITS} ORDER BY target").fetchall()]


def target_waits(con: duckdb.DuckDBPyConnection, target: str) -> pd.DataFrame:
    """The waits before ``target`` in ``waits_frame``'s order, without the case columns: source (a
    categorical: one code per wait, not one string), target, joined, done_at, wait, overlap."""
    import pandas as pd

    sources = [
        s
        for (s,) in con.execute(
            f"SELECT DISTINCT source FROM {WAITS} WHERE target = ? ORDER BY source", [target]
        ).fetchall()
    ]
    codes = " ".join(f"WHEN {_text(s)} THEN {i}" for i, s in enumerate(sources))
    frame = con.execute(
        f"SELECT CASE source {codes} END AS source, joined, done_at, wait, overlap FROM {WAITS} "
        "WHERE target = ? ORDER BY joined, case_id, pos",
        [target],
    ).df()
    frame["source"] = pd.Categorical.from_codes(frame["source"].to_numpy(), categories=sources)
    frame.insert(1, "target", target)
    return frame


def handover_cases_affected(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per handover of ``pm_waits``: the cases that passed it and their summed throughput time."""
    return con.execute(
        f"""
        SELECT source, target, count(*) AS cases, {exact.total("c.throughput")} AS affected_throughput
        FROM (SELECT DISTINCT source, target, case_id FROM {WAITS}) w
        JOIN pm_cases c USING (case_id) GROUP BY ALL ORDER BY source, target
        """
    ).df()


def queue_over_time(con: duckdb.DuckDBPyConnection, source: str, target: str, bucket: float) -> pd.DataFrame:
    """Work waiting between ``source`` and ``target`` (``pm_waits``) at the end of each bucket of ``bucket``
    seconds, with the work that joined the queue during the bucket.

    The buckets span the time work joined the queue (first to last arrival): after the last arrival the
    queue only drains because the log ends, which says nothing about the process."""
    return con.execute(
        f"""
        WITH iv AS (
            SELECT joined, joined + wait AS left_at FROM {WAITS} WHERE source = ? AND target = ?
        ), bounds AS (SELECT min(joined) AS lo, max(joined) AS hi FROM iv),
        buckets AS (
            SELECT lo + (i + 1) * ? AS t_end
            FROM (SELECT lo, unnest(generate_series(0, CAST(floor((hi - lo) / ?) AS BIGINT))) AS i
                  FROM bounds)
        )
        SELECT b.t_end,
               count(*) FILTER (WHERE iv.joined < b.t_end AND iv.left_at > b.t_end) AS queue,
               count(*) FILTER (WHERE iv.joined >= b.t_end - ? AND iv.joined < b.t_end) AS arrivals
        FROM buckets b, iv GROUP BY b.t_end ORDER BY b.t_end
        """,
        [source, target, bucket, bucket, bucket],
    ).df()
