"""The directly-follows graph of a projection of the log, for the process map: only the events of some
activities (hidden activities are stepped over, as when they are filtered out of the log), and optionally
only the cases of the most frequent variants.

When ``b`` is hidden, a case ``a b c`` hands over ``a -> c``, waiting from ``a``'s completion to ``c``'s
start: the map's arcs and waits stay true to the cases, whatever it leaves out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from procmine.engine.dfg import (
    STEPS,
    Arc,
    arcs_sql,
    dfg,
    end_activities,
    ensure_steps,
    non_negative,
    read_arcs,
    start_activities,
)
from procmine.engine.variants import CASE_VARIANT, ensure_variants
from procmine.io.sql_text import string

if TYPE_CHECKING:
    import duckdb


@dataclass
class Projection:
    """Arcs between the kept activities, and how many cases start and end at each."""

    arcs: list[Arc] = field(default_factory=list)
    starts: dict[str, int] = field(default_factory=dict)
    ends: dict[str, int] = field(default_factory=dict)


def activity_events(con: duckdb.DuckDBPyConnection, variant_limit: int | None = None) -> dict[str, int]:
    """Events per activity (most frequent first, ties by name), in the cases of the ``variant_limit``
    most frequent variants (all cases when None)."""
    ensure_steps(con)
    rows = con.execute(
        f"SELECT activity::VARCHAR AS a, count(*) AS n FROM {_cases(con, variant_limit)} "
        "GROUP BY a ORDER BY n DESC, a"
    ).fetchall()
    return {a: int(n) for a, n in rows}


def path_count(con: duckdb.DuckDBPyConnection, variant_limit: int | None = None) -> int:
    """Arcs of the whole directly-follows graph, counting one from the start to each first activity and one
    from each last activity to the end (in the cases of the ``variant_limit`` most frequent variants)."""
    ensure_steps(con)
    source = _cases(con, variant_limit)
    return int(
        con.execute(
            f"""
            SELECT (SELECT count(*) FROM (SELECT DISTINCT activity, next_activity FROM {source}
                                          WHERE next_activity IS NOT NULL))
                 + (SELECT count(DISTINCT activity) FROM {source} WHERE position = 1)
                 + (SELECT count(DISTINCT activity) FROM {source} WHERE next_activity IS NULL)
            """
        ).fetchall()[0][0]
    )


def project(
    con: duckdb.DuckDBPyConnection, activities: Sequence[str], variant_limit: int | None = None
) -> Projection:
    """The directly-follows graph over ``activities`` only, in the cases of the ``variant_limit`` most
    frequent variants (all when None)."""
    ensure_steps(con)
    if variant_limit is None and set(activities) >= set(activity_events(con)):  # nothing hidden: the DFG
        return Projection(dfg(con), start_activities(con), end_activities(con))
    kept = ", ".join(map(string, sorted(set(activities)))) or "NULL"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _map_steps AS
        SELECT case_key, activity::VARCHAR AS activity, begin_at, completed_at,
               lead(activity::VARCHAR) OVER w AS next_activity, lead(begin_at) OVER w AS next_begin_at,
               row_number() OVER w AS rank_in_case
        FROM {_cases(con, variant_limit)}
        WHERE activity::VARCHAR IN ({kept})
        WINDOW w AS (PARTITION BY case_key ORDER BY position)
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW _map_handovers AS
        SELECT case_key, activity, next_activity,
               {non_negative("epoch_us(next_begin_at) - epoch_us(completed_at)")} / 1e6 AS w
        FROM _map_steps WHERE next_activity IS NOT NULL
        """
    )
    arcs = read_arcs(con, f"({arcs_sql(con, '_map_handovers', 'activity', 'next_activity', 'w')})")
    con.execute("DROP VIEW _map_handovers")
    starts = _counts(
        con, "SELECT activity, count(*) FROM _map_steps WHERE rank_in_case = 1 GROUP BY activity"
    )
    ends = _counts(con, "SELECT activity, count(*) FROM _map_steps WHERE next_activity IS NULL GROUP BY 1")
    con.execute("DROP TABLE _map_steps")
    return Projection(arcs, starts, ends)


def _cases(con: duckdb.DuckDBPyConnection, variant_limit: int | None) -> str:
    """The steps of every case, or of the cases of the most frequent variants."""
    if variant_limit is None:
        return STEPS
    ensure_variants(con)
    return (
        f"(SELECT s.* FROM {STEPS} s JOIN {CASE_VARIANT} v ON s.case_id = v.case_id "
        f"WHERE v.variant_id <= {int(variant_limit)})"
    )


def _counts(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, int]:
    rows = con.execute(f"SELECT * FROM ({sql}) t(a, n) ORDER BY n DESC, a").fetchall()
    return {a: int(n) for a, n in rows}
