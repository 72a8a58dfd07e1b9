"""What repeats within cases, in SQL over ``pm_repeats`` and ``pm_steps`` (``procmine.engine.times``):
the cases that repeat one of a set of activities, and the step that usually comes right before a repeat."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from procmine.engine.times import STEPS

if TYPE_CHECKING:
    import duckdb
    import pandas as pd


def cases_repeating(con: duckdb.DuckDBPyConnection, activities: Collection[str]) -> int:
    """Cases that execute one of ``activities`` more than once (``times.repeats`` must have run)."""
    if not activities:
        return 0
    return int(
        con.execute(
            "SELECT count(DISTINCT case_id) FROM pm_repeats WHERE n > 1 AND list_contains(?, "
            "CAST(activity AS VARCHAR))",
            [sorted(activities)],
        ).fetchone()[0]
    )


def step_before_repeats(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per repeated activity: the step most often directly before its second and later executions
    (``before``; ties broken by name), and the share of those repeats it precedes (``share``)."""
    return con.execute(
        f"""
        WITH again AS (
            SELECT CAST(activity AS VARCHAR) AS activity, CAST(prev_activity AS VARCHAR) AS before,
                   row_number() OVER (PARTITION BY case_id, activity ORDER BY pos) AS k
            FROM {STEPS}
        ), counted AS (
            SELECT activity, before, count(*) AS n FROM again WHERE k > 1 GROUP BY activity, before
        ), ranked AS (
            SELECT activity, before, n, sum(n) OVER (PARTITION BY activity) AS total,
                   row_number() OVER (PARTITION BY activity ORDER BY n DESC, before) AS r
            FROM counted
        )
        SELECT activity, before, n / total AS share FROM ranked WHERE r = 1 ORDER BY activity
        """
    ).df()
