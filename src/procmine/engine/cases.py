"""Per-case and per-activity figures in SQL: throughput times and activity statistics.

A case's throughput time runs from its first event's start (its completion when the log has no start
times) to its last completion. An event's service time is completion minus start, known only when the log
has start times.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from procmine.engine import exact
from procmine.engine.db import EVENTS_VIEW, has_column, table_exists
from procmine.engine.dfg import STEPS, ensure_steps, seconds
from procmine.engine.quantiles import quantiles_sql
from procmine.engine.variants import CASE_VARIANT, ensure_variants
from procmine.io.sql_text import identifier as _q
from procmine.model.log import CANONICAL, CASE

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9, 0.95)
CASE_SCORES = "_case_scores"
NUMBER_TYPES = ("tinyint", "smallint", "int", "bigint", "hugeint", "float", "double", "real", "decimal")


CASE_DURATIONS = "case_durations"


def case_durations(con: duckdb.DuckDBPyConnection) -> str:
    """The table ``case_durations`` (one row per case: case_id, began_at, ended_at, events,
    throughput_seconds), made once; returns its name."""
    if table_exists(con, CASE_DURATIONS):
        return CASE_DURATIONS
    ensure_steps(con)
    con.execute(
        f"""
        CREATE TEMP TABLE {CASE_DURATIONS} AS
        SELECT case_id, min(begin_at) AS began_at, max(completed_at) AS ended_at, count(*) AS events,
               (epoch_us(max(completed_at)) - epoch_us(min(begin_at))) / 1e6 AS throughput_seconds
        FROM {STEPS} GROUP BY case_id
        """
    )
    return CASE_DURATIONS


def throughput(con: duckdb.DuckDBPyConnection, bins: int = 20) -> dict[str, Any]:
    """The distribution of case throughput times: quantiles, mean, total and an equal-width histogram."""
    rel = case_durations(con)
    points = {f"q{i}": q for i, q in enumerate(QUANTILES)}
    quantiles = quantiles_sql(con, rel, [], {"t_": "throughput_seconds"}, points)
    row = con.execute(
        f"SELECT count(*), min(throughput_seconds), max(throughput_seconds), "
        f"{exact.mean('throughput_seconds')}, {exact.total('throughput_seconds')}, "
        f"{', '.join(f'any_value(q.t_{p})' for p in points)} "
        f"FROM {rel}, ({quantiles}) q"
    ).fetchall()[0]
    cases = int(row[0])
    if not cases or row[1] is None:  # no case, or no times (an order-only log)
        return {"cases": cases, "seconds": None, "histogram": []}
    low, high = seconds(row[1]), seconds(row[2])
    stats = {"min": low, "max": high, "mean": seconds(row[3]), "total": seconds(row[4])}
    for q, value in zip(QUANTILES, row[5:], strict=True):
        stats["median" if q == 0.5 else f"p{round(q * 100)}"] = seconds(value)
    return {"cases": cases, "seconds": stats, "histogram": _histogram(con, rel, low, high, bins)}


def _histogram(
    con: duckdb.DuckDBPyConnection, rel: str, low: float, high: float, bins: int
) -> list[dict[str, float | int]]:
    width = (high - low) / bins if high > low else 1.0
    counts = dict(
        con.execute(
            f"SELECT least(floor((throughput_seconds - {low}) / {width})::BIGINT, {bins - 1}) AS b, count(*) "
            f"FROM {rel} GROUP BY b"
        ).fetchall()
    )
    n_bins = bins if high > low else 1
    return [
        {
            "from": low + i * width,
            "to": low + (i + 1) * width if high > low else high,
            "cases": int(counts.get(i, 0)),
        }
        for i in range(n_bins)
    ]


@dataclass(frozen=True)
class ActivityStats:
    activity: str
    events: int
    cases: int
    case_share: float  # cases with the activity / all cases
    rework_cases: int  # cases doing it more than once
    service_median: float | None  # seconds; None without start times
    service_mean: float | None
    service_total: float | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def activity_stats(con: duckdb.DuckDBPyConnection) -> list[ActivityStats]:
    """Per activity, sorted by name: events, cases, rework and (with start times) service times."""
    ensure_steps(con)
    has_start = has_column(con, "start_timestamp")
    service = "(epoch_us(timestamp) - epoch_us(start_timestamp)) / 1e6"
    service_sql = (
        f"""SELECT a.activity, q.s_median, a.s_mean, a.s_total
            FROM (SELECT activity, {exact.mean(service)} AS s_mean, {exact.total(service)} AS s_total
                  FROM {EVENTS_VIEW} GROUP BY activity) a
            JOIN ({quantiles_sql(con, EVENTS_VIEW, ["activity"], {"s_": service}, {"median": 0.5})}) q
            USING (activity)"""
        if has_start
        else f"SELECT DISTINCT activity::VARCHAR AS activity, NULL::DOUBLE AS s_median, "
        f"NULL::DOUBLE AS s_mean, NULL::DOUBLE AS s_total FROM {STEPS}"
    )
    rows = con.execute(
        f"""
        WITH per_case AS (
            SELECT activity, case_key, count(*) AS n FROM {STEPS} GROUP BY activity, case_key
        ), counts AS (
            SELECT activity::VARCHAR AS activity, sum(n) AS events, count(*) AS cases,
                   count(*) FILTER (WHERE n > 1) AS rework
            FROM per_case GROUP BY activity
        ), service AS ({service_sql}),
        all_cases AS (SELECT count(DISTINCT case_key) AS total FROM {STEPS})
        SELECT activity, events, cases, cases / total, rework, s_median, s_mean, s_total
        FROM counts JOIN service USING (activity), all_cases
        ORDER BY activity
        """
    ).fetchall()
    return [_activity(r) for r in rows]


def _activity(r: tuple) -> ActivityStats:
    def opt(x: Any) -> float | None:
        return None if x is None else seconds(x)

    return ActivityStats(r[0], int(r[1]), int(r[2]), float(r[3]), int(r[4]), opt(r[5]), opt(r[6]), opt(r[7]))


def case_attribute_names(con: duckdb.DuckDBPyConnection, known: list[str]) -> list[str]:
    """The case-level columns, in one pass over the events when the reader named none: those it named
    (every value within a case equal, or all missing), else the columns whose present values never vary
    within a case."""
    columns = [d[0] for d in con.execute(f"SELECT * FROM {EVENTS_VIEW} LIMIT 0").description]
    names = [c for c in known if c in columns]
    others = [c for c in columns if c not in CANONICAL and not c.startswith("__")]
    if names or not others:
        return names
    counts = ", ".join(f"max(n{i})" for i in range(len(others)))
    per_case = ", ".join(f"count(DISTINCT {_q(c)}) AS n{i}" for i, c in enumerate(others))
    row = con.execute(
        f"SELECT {counts} FROM (SELECT {per_case} FROM {EVENTS_VIEW} GROUP BY case_id)"
    ).fetchall()[0]
    return [c for c, n in zip(others, row, strict=True) if n is not None and n <= 1]


def distinct_values(con: duckdb.DuckDBPyConnection, names: list[str]) -> dict[str, int]:
    """How many distinct present values each column holds over all events: for a case-level column, the
    distinct values of its cases (a NaN counts as one here, pandas leaves it out)."""
    if not names:
        return {}
    row = con.execute(
        f"SELECT {', '.join(f'count(DISTINCT {_q(c)})' for c in names)} FROM {EVENTS_VIEW}"
    ).fetchall()
    return {c: int(n) for c, n in zip(names, row[0], strict=True)}


def case_attribute_table(con: duckdb.DuckDBPyConnection, names: list[str]) -> pd.DataFrame:
    """One row per case (indexed by case id, sorted) with the case-level columns ``names`` (``max``: each
    case's one value)."""
    values = "".join(f", max({_q(c)}) AS {_q(c)}" for c in names)
    frame = con.execute(f"SELECT case_id{values} FROM {EVENTS_VIEW} GROUP BY case_id ORDER BY case_id").df()
    return frame.set_index(CASE)


def is_number_column(con: duckdb.DuckDBPyConnection, column: str) -> bool:
    """Whether ``column`` of the events holds numbers (either engine's spelling of the type)."""
    row = con.execute(f"SELECT typeof({_q(column)}) FROM {EVENTS_VIEW} LIMIT 1").fetchall()
    kind = str(row[0][0]).lower() if row else ""
    return kind.startswith(NUMBER_TYPES) and not kind.startswith("interval")


def scores_by_variant(con: duckdb.DuckDBPyConnection, column: str) -> list[tuple[int, int, int, Any, Any]]:
    """Per variant (``engine.variants``): variant id, its cases, how many of them have a score in the
    number column ``column`` (a case-level column; NaN counts as missing, as in pandas), the scores' sum
    and their exact median."""
    ensure_variants(con)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {CASE_SCORES} AS
            SELECT v.variant_id, CASE WHEN isnan(s.score) THEN NULL ELSE s.score END AS score
            FROM {CASE_VARIANT} v LEFT JOIN (SELECT case_id, CAST(max({_q(column)}) AS DOUBLE) AS score
                                             FROM {EVENTS_VIEW} GROUP BY case_id) s
            ON v.case_id = s.case_id"""
    )
    median = quantiles_sql(con, CASE_SCORES, ["variant_id"], {"s_": "score"}, {"median": 0.5})
    return con.execute(
        f"""SELECT a.variant_id, a.cases, a.n, a.total, q.s_median
            FROM (SELECT variant_id, count(*) AS cases, count(score) AS n, sum(score) AS total
                  FROM {CASE_SCORES} GROUP BY variant_id) a
            LEFT JOIN ({median}) q ON a.variant_id = q.variant_id"""
    ).fetchall()
