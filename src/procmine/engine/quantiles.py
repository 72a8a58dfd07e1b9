"""Exact quantiles per group that hold on a log of any size.

DuckDB's ``quantile_cont`` (and ``median``) keeps every value of a group in memory until the group is done,
and that memory cannot spill: a median of the waits of 100 million handovers needs gigabytes at once and
stops the run at ``--memory-limit``. When the values would take more than a share of that limit, the
quantiles are computed another way, to the same figure: the values are counted per distinct value (a hash
aggregate), each distinct value gets the running count of the values up to it (a sorted window), and the
quantile is read off the two ranks around ``(n - 1) * q`` and interpolated linearly between them, as
``quantile_cont`` does. Both steps spill to disk. Below that size ``quantile_cont`` is used, which is faster.
The two may differ in the last bit of a double (the order of the interpolation's operations), never at the
microsecond the engine reports durations in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

MEDIAN_P90 = {"median": 0.5, "p90": 0.9}
BYTES_PER_VALUE = 32  # a value in a quantile state, with the state's growth and the threads' partial states
MEMORY_SHARE = 0.25  # of the memory limit the in-memory quantiles may take
_UNITS = {
    "": 1,
    "B": 1,
    "KB": 1e3,
    "MB": 1e6,
    "GB": 1e9,
    "TB": 1e12,
    "KIB": 1 << 10,
    "MIB": 1 << 20,
    "GIB": 1 << 30,
    "TIB": 1 << 40,
}


def quantiles_sql(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    keys: Sequence[str],
    measures: Mapping[str, str],
    points: Mapping[str, float] = MEDIAN_P90,
    where: str = "true",
) -> str:
    """A query giving, per group of ``keys`` (every group of ``relation`` that passes ``where``), the
    column ``{prefix}{suffix}`` for each measure (``prefix -> expression``) and each point (``suffix ->
    q``): the exact ``quantile_cont`` of the measure's non-missing values (NULL when it has none)."""
    if _fits_in_memory(con, relation, where, len(measures) * len(points)):
        return _holistic(relation, keys, measures, points, where)
    groups = ", ".join(keys)
    base = f"(SELECT DISTINCT {groups} FROM {relation} WHERE {where})" if keys else "(SELECT 1 AS _one)"
    selected = [f"g.{k}" for k in keys]
    joins = []
    for i, (prefix, expression) in enumerate(measures.items()):
        part = _counted(relation, keys, expression, {f"{prefix}{s}": q for s, q in points.items()}, where)
        on = " AND ".join(f"g.{k} IS NOT DISTINCT FROM m{i}.{k}" for k in keys) or "true"
        joins.append(f"LEFT JOIN ({part}) m{i} ON {on}")
        selected += [f"m{i}.{prefix}{s}" for s in points]
    return f"SELECT {', '.join(selected)} FROM {base} g {' '.join(joins)}"


def distinct_cases_sql(relation: str, keys: Sequence[str], case: str = "case_id", where: str = "true") -> str:
    """A query giving, per group of ``keys``, ``cases``: the distinct ``case`` values in it. Written as a
    GROUP BY over the distinct (keys, case) rows rather than ``count(DISTINCT case)``: with few groups and
    many cases DuckDB's distinct aggregate asks for one allocation of hundreds of megabytes (it stopped a
    100M-event log at a 2 GB limit), a plain GROUP BY spills."""
    key_list = ", ".join(keys)
    return (
        f"SELECT {key_list}, count(*) AS cases FROM (SELECT DISTINCT {key_list}, {case} FROM {relation} "
        f"WHERE {where}) GROUP BY {key_list}"
    )


def _holistic(
    relation: str, keys: Sequence[str], measures: Mapping[str, str], points: Mapping[str, float], where: str
) -> str:
    # the measures are named in a subquery: Spark's translation rewrites a quantile's argument no further
    values = ", ".join(f"{expression} AS _m{i}" for i, expression in enumerate(measures.values()))
    columns = [
        f"quantile_cont(_m{i}, {q}) AS {prefix}{suffix}"
        for i, prefix in enumerate(measures)
        for suffix, q in points.items()
    ]
    group = f" GROUP BY {', '.join(keys)}" if keys else ""
    inner = f"SELECT {''.join(f'{k}, ' for k in keys)}{values} FROM {relation} WHERE {where}"
    return f"SELECT {', '.join([*keys, *columns])} FROM ({inner}){group}"


def _counted(
    relation: str, keys: Sequence[str], expression: str, points: Mapping[str, float], where: str
) -> str:
    """Quantiles from the count of each distinct value and its running count: value number ``r`` (from 0,
    in ascending order) is the smallest value whose running count exceeds ``r``."""
    partition = f"PARTITION BY {', '.join(keys)} " if keys else ""
    key_list = "".join(f"{k}, " for k in keys)
    ranks = ", ".join(
        f"(CAST(total AS DOUBLE) - 1) * CAST({q} AS DOUBLE) AS rn_{name}" for name, q in points.items()
    )
    bounds = ", ".join(
        f"any_value(rn_{name}) AS rn_{name}, "
        f"min(x) FILTER (WHERE upto > floor(rn_{name})) AS lo_{name}, "
        f"min(x) FILTER (WHERE upto > ceil(rn_{name})) AS hi_{name}"
        for name in points
    )
    values = ", ".join(
        f"lo_{name} + (hi_{name} - lo_{name}) * (rn_{name} - floor(rn_{name})) AS {name}" for name in points
    )
    group = f" GROUP BY {', '.join(keys)}" if keys else ""
    return f"""
        SELECT {key_list}{values} FROM (
            SELECT {key_list}{bounds} FROM (
                SELECT *, {ranks} FROM (
                    SELECT {key_list}x,
                           sum(n) OVER (w ROWS UNBOUNDED PRECEDING) AS upto,
                           sum(n) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS total
                    FROM (SELECT {key_list}{expression} AS x, count(*) AS n FROM {relation}
                          WHERE ({where}) AND ({expression}) IS NOT NULL GROUP BY ALL)
                    WINDOW w AS ({partition}ORDER BY x)))
            {group})"""


def _fits_in_memory(con: duckdb.DuckDBPyConnection, relation: str, where: str, states: int) -> bool:
    """Would ``states`` in-memory quantile states over the rows of ``relation`` stay well within the
    memory limit?"""
    return fits_in_memory(con, relation, states * BYTES_PER_VALUE, where)


def fits_in_memory(
    con: duckdb.DuckDBPyConnection, relation: str, bytes_per_row: float, where: str = "true"
) -> bool:
    """Would ``bytes_per_row`` for each row of ``relation`` (that passes ``where``) stay within
    ``MEMORY_SHARE`` of DuckDB's memory limit? (Always on an engine without that limit: Spark.)"""
    if hasattr(con, "spark"):
        return True
    limit = memory_limit_bytes(con)
    if limit is None:
        return True
    rows = con.execute(f"SELECT count(*) FROM {relation} WHERE {where}").fetchall()[0][0]
    return int(rows) * bytes_per_row <= limit * MEMORY_SHARE


def memory_limit_bytes(con: duckdb.DuckDBPyConnection) -> float | None:
    """DuckDB's memory limit in bytes (it reports it as text, ``1.8 GiB``); None when not known."""
    try:
        text = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    except Exception:  # an engine without the setting
        return None
    match = re.match(r"^\s*([\d.]+)\s*([A-Za-z]*)\s*$", str(text))
    if not match or match.group(2).upper() not in _UNITS:
        return None
    return float(match.group(1)) * _UNITS[match.group(2).upper()]
