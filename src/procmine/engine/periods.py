"""The figures per quarter and month (``analyses.periods``) in SQL over ``events``, so that what comes back
is one row per period, the histogram's bins and the rank sums of the two quarters compared, never one row
per case.

The completed cases are a table of the connection (``PERIOD_CASES``: case id, its period keys, events,
throughput in seconds, fitness when known); the open cases (``case_table.open_cases_table``) are left out
of it. Durations are summed as whole microseconds (``engine.exact``) and medians and 90th percentiles are
exact (``engine.quantiles``), on either engine. A Mann-Whitney test needs only the rank sum of one sample
and the sizes of the groups of tied values, which a sorted window over the distinct values gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from procmine.engine import exact
from procmine.engine.case_table import OPEN_CASES, open_cases_table
from procmine.engine.db import EVENTS_VIEW, has_column
from procmine.engine.quantiles import quantiles_sql

if TYPE_CHECKING:
    import duckdb

PERIOD_CASES = "_period_cases"
KEYS = {"Q": "quarter_key", "M": "month_key"}  # year * 10 + quarter, year * 100 + month (UTC)
FITNESS_SCALE = "1e15"  # a fitness summed as a whole number of 1e-15ths: the same in any order of rows


@dataclass(frozen=True)
class PeriodCounts:
    """One period's figures as the engine counts them (``key``: its ``KEYS`` value)."""

    key: int
    cases: int
    events: int
    throughput_median: float | None
    throughput_p90: float | None
    throughput_mean: float | None
    breached: int  # cases over the SLA (0 without one)
    fitted: int  # cases with a known fitness
    fitness_mean: float | None
    conforming: int  # of those, the cases at or above the conforming fitness


@dataclass(frozen=True)
class RankSums:
    """What a Mann-Whitney test of two samples needs: their sizes, the first's rank sum (ties get their
    mean rank) and the sum of t^3 - t over the groups of t tied values."""

    n1: int
    n2: int
    rank_sum_1: float
    tie_term: float


def prepare(con: duckdb.DuckDBPyConnection, fitness_sql: str | None = None) -> int:
    """Make ``PERIOD_CASES`` (``fitness_sql``: a query of case_id, fitness; None: no fitness); returns the
    number of open cases, which it leaves out."""
    open_cases_table(con)
    first = "timestamp"
    if has_column(con, "start_timestamp"):
        first = (
            "CASE WHEN start_timestamp IS NOT NULL AND start_timestamp < timestamp "
            "THEN start_timestamp ELSE timestamp END"
        )
    fitness, join = "CAST(NULL AS DOUBLE)", ""
    if fitness_sql is not None:
        fitness, join = "f.fitness", f"LEFT JOIN ({fitness_sql}) f ON c.case_id = f.case_id"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {PERIOD_CASES} AS
            SELECT c.case_id, year(c.ended) * 10 + quarter(c.ended) AS quarter_key,
                   year(c.ended) * 100 + month(c.ended) AS month_key, c.events,
                   (epoch_us(c.ended) - epoch_us(c.started)) / 1e6 AS throughput, {fitness} AS fitness
            FROM (SELECT case_id, min({first}) AS started, max(timestamp) AS ended, count(*) AS events
                  FROM {EVENTS_VIEW} GROUP BY case_id) c {join}
            WHERE c.case_id NOT IN (SELECT case_id FROM {OPEN_CASES})"""
    )
    return int(con.execute(f"SELECT count(*) FROM {OPEN_CASES}").fetchall()[0][0])


def period_counts(
    con: duckdb.DuckDBPyConnection, freq: str, sla: float | None, conforming_at: float
) -> list[PeriodCounts]:
    """Per period (``freq``: "Q" or "M"), in order: see ``PeriodCounts``."""
    key = KEYS[freq]
    quantiles = quantiles_sql(con, PERIOD_CASES, [key], {"t_": "throughput"})
    over = f"count(CASE WHEN throughput > {_double(sla)} THEN 1 END)" if sla is not None else "0"
    fitness_total = f"CAST(sum(round(fitness * {FITNESS_SCALE})::DECIMAL(38, 0)) AS DOUBLE) / {FITNESS_SCALE}"
    rows = con.execute(
        f"""SELECT a.{key}, a.cases, a.events, q.t_median, q.t_p90, a.t_mean, a.breached, a.fitted,
                   a.fitness_total, a.conforming
            FROM (SELECT {key}, count(*) AS cases, sum(events) AS events,
                         {exact.mean("throughput")} AS t_mean, {over} AS breached,
                         count(fitness) AS fitted, {fitness_total} AS fitness_total,
                         count(CASE WHEN fitness >= {_double(conforming_at - 1e-9)} THEN 1 END) AS conforming
                  FROM {PERIOD_CASES} GROUP BY {key}) a
            JOIN ({quantiles}) q ON a.{key} = q.{key}
            ORDER BY a.{key}"""
    ).fetchall()
    return [_counts(r) for r in rows]


def _counts(r: tuple[Any, ...]) -> PeriodCounts:
    fitted = int(r[7])
    return PeriodCounts(
        int(r[0]),
        int(r[1]),
        int(r[2]),
        _float(r[3]),
        _float(r[4]),
        _float(r[5]),
        int(r[6]),
        fitted,
        float(r[8]) / fitted if fitted else None,
        int(r[9]),
    )


def rank_sums(con: duckdb.DuckDBPyConnection, column: str, freq: str, first: int, second: int) -> RankSums:
    """``RankSums`` of ``column`` (non-missing values) in period ``first`` against period ``second``."""
    key = KEYS[freq]
    row = con.execute(
        f"""WITH v AS (
                SELECT {column} AS x, CASE WHEN {key} = {int(first)} THEN 1 ELSE 0 END AS in_first
                FROM {PERIOD_CASES} WHERE {key} IN ({int(first)}, {int(second)}) AND {column} IS NOT NULL
            ), tied AS (SELECT x, sum(in_first) AS n1, count(*) AS t FROM v GROUP BY x),
            ranked AS (
                SELECT n1, t, coalesce(sum(t) OVER (ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING
                                                     AND 1 PRECEDING), 0) AS below
                FROM tied
            )
            SELECT sum(n1), sum(t), sum(n1 * (2 * below + t + 1)),
                   sum(CAST(t AS DOUBLE) * t * t - t)
            FROM ranked"""
    ).fetchall()[0]
    n1, n = int(row[0] or 0), int(row[1] or 0)
    return RankSums(n1, n - n1, int(row[2] or 0) / 2, float(row[3] or 0.0))


def throughput_spread(con: duckdb.DuckDBPyConnection) -> tuple[float | None, float | None]:
    """The 99th percentile and the maximum of the completed cases' throughput times (None: no case)."""
    quantiles = quantiles_sql(con, PERIOD_CASES, [], {"t_": "throughput"}, {"p99": 0.99})
    row = con.execute(
        f"SELECT any_value(q.t_p99), max(c.throughput) FROM {PERIOD_CASES} c, ({quantiles}) q"
    ).fetchall()[0]
    return _float(row[0]), _float(row[1])


def throughput_bins(con: duckdb.DuckDBPyConnection, width: float, bins: int) -> dict[int, int]:
    """Cases per bin of ``width`` seconds (bin ``throughput // width`` as Python and numpy floor-divide
    floats, the last bin holding everything above it)."""
    w = _double(width)
    rows = con.execute(
        f"""SELECT least(CAST(CASE WHEN d - floor(d) > 0.5 THEN floor(d) + 1 ELSE floor(d) END AS BIGINT),
                         {bins - 1}) AS b, count(*)
            FROM (SELECT (throughput - throughput % {w}) / {w} AS d FROM {PERIOD_CASES}
                  WHERE throughput IS NOT NULL)
            GROUP BY 1"""
    ).fetchall()
    return {int(b): int(n) for b, n in rows}


def _double(value: float) -> str:
    """A double literal that reads back as exactly ``value`` on either engine."""
    return f"CAST('{float(value)!r}' AS DOUBLE)"


def _float(value: Any) -> float | None:
    return None if value is None else float(value)
