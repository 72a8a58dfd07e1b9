"""The counts behind "not executed since" (``analyses.drift``), in SQL over ``events``.

Only completion times are read (``timestamp``): a step's last execution, the cases seen before and in the
recent period, and for a trailing gap each case's first and last completion. Moments cross the boundary as
microseconds since the epoch (``epoch_us``), which both engines compare exactly; the few rows per activity
come back, never a row per event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from procmine.engine.db import EVENTS_VIEW
from procmine.engine.quantiles import quantiles_sql
from procmine.io.sql_text import string as _text

if TYPE_CHECKING:
    from datetime import datetime

    import duckdb

_CASES = "_drift_cases"
_REACH = "_drift_reach"


@dataclass(frozen=True)
class ActivityPresence:
    """Per activity, around a moment ``start``: its last execution, the cases that did it before
    ``start``, whether it happened at or after ``start``; and the cases with events on either side."""

    last_seen: dict[str, datetime]
    cases_before_with: dict[str, int]
    seen_since: set[str]
    cases_before: int
    cases_since: int


def time_span(con: duckdb.DuckDBPyConnection) -> tuple[datetime, datetime] | None:
    """The first and last completion time of the log (None: no event)."""
    first, last = con.execute(f"SELECT min(timestamp), max(timestamp) FROM {EVENTS_VIEW}").fetchall()[0]
    return None if first is None else (first, last)


def presence(con: duckdb.DuckDBPyConnection, start_us: int) -> ActivityPresence:
    """See ``ActivityPresence``; ``start_us``: the moment, in microseconds since the epoch."""
    before = f"epoch_us(timestamp) < {int(start_us)}"
    rows = con.execute(
        f"""SELECT CAST(activity AS VARCHAR), max(timestamp),
                   count(DISTINCT CASE WHEN {before} THEN case_id END),
                   sum(CASE WHEN {before} THEN 0 ELSE 1 END)
            FROM {EVENTS_VIEW} WHERE timestamp IS NOT NULL GROUP BY activity"""
    ).fetchall()
    cases_before, cases_since = con.execute(
        f"""SELECT count(DISTINCT CASE WHEN {before} THEN case_id END),
                   count(DISTINCT CASE WHEN {before} THEN NULL ELSE case_id END)
            FROM {EVENTS_VIEW} WHERE timestamp IS NOT NULL"""
    ).fetchall()[0]
    return ActivityPresence(
        last_seen={r[0]: r[1] for r in rows},
        cases_before_with={r[0]: int(r[2]) for r in rows},
        seen_since={r[0] for r in rows if r[3]},
        cases_before=int(cases_before),
        cases_since=int(cases_since),
    )


@dataclass(frozen=True)
class TrailingGap:
    """For one activity: the cases that did it, the cases that started at or before its last execution,
    and the cases that started after it and ran at least the median time from a case's start to it."""

    cases_with: int
    cases_started_before: int
    cases_since_long_enough: int


def trailing_gaps(
    con: duckdb.DuckDBPyConnection, last_seen_us: dict[str, int], min_started_after: float = 0
) -> dict[str, TrailingGap]:
    """``TrailingGap`` per activity of ``last_seen_us`` (activity -> its last execution, in microseconds)
    after which at least ``min_started_after`` cases started; the others are left out (no case after, no
    gap to count: the medians below are the dear part)."""
    if not last_seen_us:
        return {}
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {_CASES} AS
            SELECT case_id, min(epoch_us(timestamp)) AS first_us, max(epoch_us(timestamp)) AS last_us
            FROM {EVENTS_VIEW} WHERE timestamp IS NOT NULL GROUP BY case_id"""
    )
    if min_started_after > 0:
        last_seen_us = _with_cases_after(con, last_seen_us, min_started_after)
        if not last_seen_us:
            con.execute(f"DROP TABLE {_CASES}")
            return {}
    names = ", ".join(_text(a) for a in sorted(last_seen_us))
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW {_REACH} AS
            SELECT CAST(e.activity AS VARCHAR) AS activity, e.case_id,
                   CAST(epoch_us(e.timestamp) - c.first_us AS DOUBLE) AS reach_us
            FROM {EVENTS_VIEW} e JOIN {_CASES} c ON e.case_id = c.case_id
            WHERE e.timestamp IS NOT NULL AND CAST(e.activity AS VARCHAR) IN ({names})"""
    )
    reach = quantiles_sql(con, _REACH, ["activity"], {"r_": "reach_us"}, {"median": 0.5})
    rows = con.execute(
        f"""SELECT q.activity, q.r_median, n.cases FROM ({reach}) q
            JOIN (SELECT activity, count(DISTINCT case_id) AS cases FROM {_REACH} GROUP BY activity) n
            ON q.activity = n.activity"""
    ).fetchall()
    values = ", ".join(
        f"({_text(a)}, {int(last_seen_us[a])}, CAST({median!r} AS DOUBLE))" for a, median, _ in rows
    )
    counted = (
        con.execute(
            f"""SELECT a.activity, sum(CASE WHEN c.first_us <= a.seen_us THEN 1 ELSE 0 END),
                   sum(CASE WHEN c.first_us > a.seen_us AND c.last_us - c.first_us >= a.reach_us
                       THEN 1 ELSE 0 END)
            FROM {_CASES} c CROSS JOIN (VALUES {values}) a(activity, seen_us, reach_us)
            GROUP BY a.activity"""
        ).fetchall()
        if values
        else []
    )
    con.execute(f"DROP VIEW {_REACH}")
    con.execute(f"DROP TABLE {_CASES}")
    with_activity = {a: int(n) for a, _, n in rows}
    return {a: TrailingGap(with_activity[a], int(b or 0), int(s or 0)) for a, b, s in counted}


def _with_cases_after(
    con: duckdb.DuckDBPyConnection, last_seen_us: dict[str, int], least: float
) -> dict[str, int]:
    """The activities of ``last_seen_us`` after whose last execution at least ``least`` cases started."""
    values = ", ".join(f"({_text(a)}, {int(last_seen_us[a])})" for a in sorted(last_seen_us))
    rows = con.execute(
        f"""SELECT a.activity, sum(CASE WHEN c.first_us > a.seen_us THEN 1 ELSE 0 END)
            FROM {_CASES} c CROSS JOIN (VALUES {values}) a(activity, seen_us) GROUP BY a.activity"""
    ).fetchall()
    return {a: last_seen_us[a] for a, after in rows if int(after or 0) >= least}
