"""Time figures of a log in SQL (DuckDB): waits per handover, service, sojourn and throughput times.

Everything is derived from one table (``pm_steps``, built once per connection by ``prepare_steps``) on top
of the directly-follows table of ``procmine.engine.dfg``, so the order of events within a case and the wait
of each handover are the ones the DFG shows: each event with its predecessor, resource and start time.

Definitions (all in seconds):

- **wait** of a handover A -> B: start of B minus completion of A; complete -> complete when B has no start
  time. Parallel work can make B start before A ends: such a wait counts as 0 (no one waited) and is
  counted under ``overlaps``.
- **service** time of an activity: its completion minus its start (only events that have a start time).
- **sojourn** time of an activity: completion of the activity minus completion of the step before it in the
  case (its wait plus its service); the first step of a case has none.
- **throughput** time of a case: first start (or completion) to last completion.

Each figure comes with count, median, p90, mean and total (``quantile_cont``, the interpolation numpy and
pandas use; out of core on large logs: ``procmine.engine.quantiles``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from procmine.engine import exact
from procmine.engine.cases import case_durations
from procmine.engine.db import has_column, table_exists
from procmine.engine.dfg import STEPS as DF_STEPS
from procmine.engine.dfg import ensure_steps, seconds
from procmine.engine.quantiles import MEDIAN_P90, distinct_cases_sql, quantiles_sql
from procmine.engine.variants import CASE_VARIANT, VARIANTS, ensure_variants
from procmine.model.log import RESOURCE, START

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

STEPS = "pm_steps"
CASES = "pm_cases"


def prepare_steps(con: duckdb.DuckDBPyConnection) -> None:
    """Define ``pm_steps`` over the directly-follows table of ``procmine.engine.dfg`` (same order, same
    waits; a view, as that table already holds each event's predecessor, resource and start time) and
    build ``pm_cases``."""
    ensure_steps(con)
    has_start, has_resource = has_column(con, START), has_column(con, RESOURCE)
    start = "epoch_us(start_timestamp) / 1e6" if has_start else "CAST(NULL AS DOUBLE)"
    resource = "resource" if has_resource else "CAST(NULL AS VARCHAR)"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW {STEPS} AS
        WITH joined AS (
            SELECT case_id, activity, "row", position AS pos, {resource} AS resource,
                   {start} AS t_start, epoch_us(begin_at) / 1e6 AS t_begin,
                   epoch_us(completed_at) / 1e6 AS t_end, wait_seconds AS wait_after,
                   prev_activity, epoch_us(prev_completed_at) / 1e6 AS prev_end, prev_resource,
                   prev_wait AS wait
            FROM {DF_STEPS}
        )
        SELECT *, t_begin - prev_end AS raw_wait, t_end - t_start AS service, t_end - prev_end AS sojourn
        FROM joined
        """
    )
    if table_exists(con, CASES):
        return
    con.execute(
        f"""
        CREATE TEMP TABLE {CASES} AS
        SELECT case_id, epoch_us(began_at) / 1e6 AS first, epoch_us(ended_at) / 1e6 AS last,
               throughput_seconds AS throughput, events
        FROM {case_durations(con)}
        """
    )


def stats_sql(expr: str, prefix: str = "") -> str:
    """Count, mean and total of ``expr`` as SELECT items named ``{prefix}count``, ``{prefix}mean`` and
    ``{prefix}total`` (``grouped_stats`` adds the median and p90)."""
    return (
        f"count({expr}) AS {prefix}count, {exact.mean(expr)} AS {prefix}mean, "
        f"{exact.total(expr)} AS {prefix}total"
    )


def grouped_stats(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    keys: list[str],
    measures: dict[str, str],
    extra: str = "",
    where: str = "true",
) -> str:
    """A query: per group of ``keys``, the five figures of each measure (``prefix -> expression``:
    ``{prefix}count``, ``median``, ``p90``, ``mean``, ``total``) and the ``extra`` SELECT items. The
    median and p90 are exact and spill when large (``engine.quantiles``)."""
    figures = ", ".join(stats_sql(expression, prefix) for prefix, expression in measures.items())
    quantiles = quantiles_sql(con, relation, keys, measures, MEDIAN_P90, where)
    chosen = ", ".join(f"q.{prefix}{suffix}" for prefix in measures for suffix in MEDIAN_P90)
    on = " AND ".join(f"a.{k} IS NOT DISTINCT FROM q.{k}" for k in keys) or "true"
    group = f"GROUP BY {', '.join(keys)}" if keys else ""
    key_list = "".join(f"{k}, " for k in keys)
    return (
        f"SELECT a.*, {chosen} FROM (SELECT {key_list}{figures}{extra} FROM {relation} WHERE {where} "
        f"{group}) a LEFT JOIN ({quantiles}) q ON {on}"
    )


def stats_of(row: dict[str, Any], prefix: str = "") -> dict[str, Any] | None:
    """The five figures out of a result row as a plain dict, None when nothing was measured."""
    count = int(row[f"{prefix}count"] or 0)
    if not count:
        return None
    return {
        "count": count,
        "median": float(row[f"{prefix}median"]),
        "p90": float(row[f"{prefix}p90"]),
        "mean": float(row[f"{prefix}mean"]),
        "total": float(row[f"{prefix}total"]),
    }


def handover_waits(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per directly-follows pair (source, target): wait figures, cases affected, overlaps, and the
    summed throughput time of the cases that passed it."""
    pairs = grouped_stats(
        con,
        STEPS,
        ["prev_activity", "activity"],
        {"": "wait"},
        ", max(wait) AS max, count(*) FILTER (WHERE raw_wait < 0) AS overlaps",
        "prev_activity IS NOT NULL",
    )
    return _frame(
        con.execute(
            f"""
        WITH pairs AS (
            SELECT prev_activity AS source, activity AS target, * EXCLUDE (prev_activity, activity)
            FROM ({pairs})
        ), affected AS (
            SELECT source, target, count(*) AS cases, {exact.total("c.throughput")} AS affected_throughput
            FROM (SELECT DISTINCT prev_activity AS source, activity AS target, case_id
                  FROM {STEPS} WHERE prev_activity IS NOT NULL) p
            JOIN {CASES} c USING (case_id) GROUP BY ALL
        )
        SELECT * FROM pairs JOIN affected USING (source, target) ORDER BY total DESC, source, target
        """
        )
    )


def activity_times(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per activity: executions, cases, and service, sojourn and wait-before figures."""
    measures = {"service_": "service", "sojourn_": "sojourn", "wait_": "wait"}
    query = grouped_stats(con, STEPS, ["activity"], measures, ", count(*) AS executions")
    cases = distinct_cases_sql(STEPS, ["activity"])
    return _frame(
        con.execute(
            f"SELECT g.*, c.cases FROM ({query}) g JOIN ({cases}) c USING (activity) ORDER BY activity"
        )
    )


def case_times(con: duckdb.DuckDBPyConnection, columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """One row per case, sorted by case id: first and last moment, throughput seconds and events (the
    throughput of ``procmine.engine.cases``), or only ``columns`` of them."""
    return _frame(con.execute(f"SELECT {', '.join(columns) or '*'} FROM {CASES} ORDER BY case_id"))


def case_summary(con: duckdb.DuckDBPyConnection) -> tuple[int, float | None, float | None]:
    """How many cases, and the first and last moment (seconds) of all of them."""
    count, first, last = con.execute(f"SELECT count(*), min(first), max(last) FROM {CASES}").fetchone()
    return int(count), first, last


def cases_over(con: duckdb.DuckDBPyConnection, limit: float) -> int:
    """How many cases took longer than ``limit`` seconds (throughput time)."""
    row = con.execute(f"SELECT count(*) FILTER (WHERE throughput > ?) FROM {CASES}", [limit]).fetchone()
    return int(row[0])


def case_variants(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, dict[int, list[str]]]:
    """Each case's variant id, and variant id -> its activities (``procmine.engine.variants``); computed
    only when asked for, as grouping cases by their whole sequence is one of the costlier queries."""
    ensure_variants(con)
    per_case = _frame(con.execute(f"SELECT case_id, variant_id FROM {CASE_VARIANT} ORDER BY case_id"))
    return per_case, variant_activities(con)


def variant_activities(con: duckdb.DuckDBPyConnection) -> dict[int, list[str]]:
    """Variant id -> its activities (``procmine.engine.variants``)."""
    ensure_variants(con)
    rows = con.execute(f"SELECT variant_id, activities FROM {VARIANTS}").fetchall()
    return {int(i): list(a) for i, a in rows}


def reworked_cases(con: duckdb.DuckDBPyConnection) -> int:
    """Cases that execute some activity more than once (``repeats`` must have run)."""
    return int(con.execute("SELECT count(DISTINCT case_id) FROM pm_repeats WHERE n > 1").fetchone()[0])


def throughput_stats(con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    """The five figures of case throughput times."""
    return stats_of(_one(con, grouped_stats(con, CASES, [], {"": "throughput"})))


LOG_BIN_BASE = 1.01  # each bin of ``throughput_log_bins`` is 1 % wider than the one before


def throughput_log_bins(con: duckdb.DuckDBPyConnection) -> list[dict[str, int]]:
    """Cases per bin of throughput time, bin k holding [1.01^k, 1.01^(k+1)) seconds (k = -1: under a
    second), in the order of k: the same edges in every report, so two reports' bins rank together."""
    rows = con.execute(
        f"""
        SELECT CASE WHEN throughput < 1 THEN -1
                    ELSE CAST(floor(ln(throughput) / ln({LOG_BIN_BASE})) AS BIGINT) END AS k, count(*) AS n
        FROM {CASES} WHERE throughput IS NOT NULL GROUP BY k ORDER BY k
        """
    ).fetchall()
    return [{"bin": int(k), "cases": int(n)} for k, n in rows]


def repeats(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per activity, executions after the first within a case (rework) and the time they cost.

    The extra time of a repeated execution is its sojourn time: the wait before it plus its service.
    """
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE pm_repeats AS
        SELECT case_id, activity, count(*) AS n,
               coalesce({exact.total("sojourn")}, 0) - coalesce(arg_min_null(sojourn, pos), 0) AS extra
        FROM {STEPS} GROUP BY case_id, activity
        """
    )
    return _frame(
        con.execute(
            f"""
        SELECT activity, count(*) AS cases_with_activity, count(*) FILTER (WHERE n > 1) AS cases_reworked,
               sum(n - 1) AS repeats, {exact.total("extra")} AS extra_time
        FROM pm_repeats GROUP BY activity ORDER BY repeats DESC, activity
        """
        )
    )


def handover_cases(con: duckdb.DuckDBPyConnection, source: str, target: str) -> pd.DataFrame:
    """Per case that passed ``source -> target``: how long it waited there in total."""
    return _frame(
        con.execute(
            f"""SELECT case_id, {exact.total("wait")} AS wait FROM {STEPS}
            WHERE prev_activity = ? AND activity = ? GROUP BY case_id ORDER BY case_id""",
            [source, target],
        )
    )


def handover_case_mask(con: duckdb.DuckDBPyConnection, source: str, target: str) -> np.ndarray:
    """For every case in the order of ``case_times`` (by case id): did it pass ``source -> target``?"""
    through = con.execute(
        f"""SELECT c.case_id IN (SELECT case_id FROM {STEPS} WHERE prev_activity = ? AND activity = ?)
            FROM {CASES} c ORDER BY c.case_id""",
        [source, target],
    ).fetchnumpy()
    return np.asarray(next(iter(through.values())), dtype=bool)


def activity_sojourns(con: duckdb.DuckDBPyConnection, activity: str, limit: float) -> dict[str, Any]:
    """How many executions of ``activity`` took longer than ``limit`` seconds (sojourn time)."""
    row = _one(
        con,
        f"""SELECT count(sojourn) AS executions, count(*) FILTER (WHERE sojourn > ?) AS breaches,
                   count(DISTINCT case_id) FILTER (WHERE sojourn > ?) AS cases
            FROM {STEPS} WHERE activity = ?""",
        [limit, limit, activity],
    )
    return {k: int(v or 0) for k, v in row.items()}


def resource_workload(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per resource: events, cases, activities and busy time (sum of service times)."""
    return _frame(
        con.execute(
            f"""SELECT resource, count(*) AS events, count(DISTINCT case_id) AS cases,
                   count(DISTINCT activity) AS activities, coalesce({exact.total("service")}, 0) AS busy
            FROM {STEPS} WHERE resource IS NOT NULL GROUP BY resource ORDER BY events DESC, resource"""
        )
    )


def activity_workload(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per activity: events, busy time, and the resources involved (for rolling up to lanes)."""
    return _frame(
        con.execute(
            f"""SELECT activity, count(*) AS events, coalesce({exact.total("service")}, 0) AS busy,
                   list(DISTINCT resource) FILTER (WHERE resource IS NOT NULL) AS resources
            FROM {STEPS} GROUP BY activity ORDER BY activity"""
        )
    )


def resource_handovers(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Work passed from one resource to another within a case, with the wait at the handover."""
    handover = "prev_resource IS NOT NULL AND resource IS NOT NULL AND prev_resource <> resource"
    return _frame(
        con.execute(
            f"""SELECT prev_resource AS source, resource AS target, * EXCLUDE (prev_resource, resource)
            FROM ({grouped_stats(con, STEPS, ["prev_resource", "resource"], {"": "wait"}, where=handover)})
            ORDER BY count DESC, source, target"""
        )
    )


def transitions(con: duckdb.DuckDBPyConnection) -> int:
    """How many steps have a predecessor in their case (the denominator of handover shares)."""
    return int(con.execute(f"SELECT count(*) FROM {STEPS} WHERE prev_activity IS NOT NULL").fetchone()[0])


def _frame(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The result as a frame, the ``*median`` and ``*p90`` columns to the microsecond (the engines
    interpolate in their own order)."""
    frame = cur.df()
    for name in [c for c in frame.columns if c.endswith(("median", "p90"))]:
        frame[name] = [seconds(v) for v in frame[name]]
    return frame


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> dict[str, Any]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    row = dict(zip(names, cur.fetchone(), strict=True))
    for name in [n for n in names if n.endswith(("median", "p90"))]:
        row[name] = seconds(row[name])  # interpolated in each engine's order: to the microsecond
    return row


def touchpoint_counts(con: duckdb.DuckDBPyConnection, activities: list[str]) -> list[tuple[int, int, int]]:
    """How many cases had each pair (touchpoints, hand-offs): a case's events of the given
    (customer-facing) activities, and how often the resource changed from one such event to the next (a
    hand-off the customer notices); a case without such events counts as (0, 0). A few rows, however many
    cases."""
    rows = con.execute(
        f"""
        WITH touch AS (
            SELECT case_id, resource, lag(resource) OVER (PARTITION BY case_id ORDER BY pos) AS prev_resource
            FROM {STEPS} WHERE list_contains(?, activity)
        ), per_case AS (
            SELECT case_id, count(*) AS touchpoints,
                   count(*) FILTER (WHERE resource IS NOT NULL AND prev_resource IS NOT NULL
                                    AND resource <> prev_resource) AS handoffs
            FROM touch GROUP BY case_id
        )
        SELECT coalesce(p.touchpoints, 0) AS t, coalesce(p.handoffs, 0) AS h, count(*) AS n
        FROM (SELECT DISTINCT case_id FROM {STEPS}) c LEFT JOIN per_case p ON c.case_id = p.case_id
        GROUP BY 1, 2
        """,
        [activities],
    ).fetchall()
    return [(int(t), int(h), int(n)) for t, h, n in rows]
