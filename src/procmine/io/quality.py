"""What looks wrong in a log that was read (flags that drop no rows), and which columns are case attributes.

Each check is one SQL query over the canonical events table (``case_id``, ``timestamp``, ``row`` and the
source's other columns), so it runs out of core on a log of any size.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from procmine.io.sql_text import identifier as _q
from procmine.model.log import CANONICAL, PendingFlags


def out_of_order_cases(con: Any, table: str) -> int:
    """Cases with an event whose time is earlier than that of an event before it in the file.

    In time order (ties broken by file position) the file positions of such a case are not
    increasing: a later line with an earlier time comes first.
    """
    return int(
        con.execute(
            f"""SELECT count(DISTINCT case_id) FROM (
                SELECT case_id,
                       "row" < lag("row") OVER (PARTITION BY case_id ORDER BY timestamp, "row") AS back
                FROM {table}) WHERE back"""
        ).fetchall()[0][0]
    )


def future_events(con: Any, table: str, now: datetime) -> int:
    return int(con.execute(f"SELECT count(*) FROM {table} WHERE timestamp > ?", [now]).fetchall()[0][0])


def single_event_cases(con: Any, table: str) -> int:
    return int(
        con.execute(
            f"SELECT count(*) FROM (SELECT case_id FROM {table} GROUP BY case_id HAVING count(*) = 1)"
        ).fetchall()[0][0]
    )


_COLUMNS_PER_QUERY = 200


def case_attributes(con: Any, table: str) -> list[str]:
    """Non-canonical columns with one value per case in every case (and not missing everywhere): within
    a case, all values equal, or all missing."""
    names = [d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description]
    candidates = [n for n in names if n not in CANONICAL and not n.startswith("__")]
    if not candidates:
        return []
    row: list[Any] = []
    # min = max rather than count(DISTINCT) <= 1: DuckDB's distinct aggregates grow quadratically with their
    # number (100 of them: 2.8 s on 9 rows), and it binds thousands of aggregates slowly: batches of 200.
    for start in range(0, len(candidates), _COLUMNS_PER_QUERY):
        part = candidates[start : start + _COLUMNS_PER_QUERY]
        per_case = ", ".join(
            f"min({_q(n)}) IS NOT DISTINCT FROM max({_q(n)}) AND count({_q(n)}) IN (0, count(*)) AS c{i}, "
            f"count({_q(n)}) AS n{i}"
            for i, n in enumerate(part)
        )
        overall = ", ".join(f"coalesce(bool_and(c{i}), false) AND sum(n{i}) > 0" for i in range(len(part)))
        sql = f"SELECT {overall} FROM (SELECT {per_case} FROM {table} GROUP BY case_id)"
        row += con.execute(sql).fetchall()[0]
    return [n for n, ok in zip(candidates, row, strict=True) if ok]


def flags(con: Any, table: str, now: datetime, count_out_of_order: bool = True) -> dict[str, Any]:
    """The flags of ``table``; without ``count_out_of_order`` the out-of-order cases are None (the caller
    counts them from a window it builds anyway: ``engine.dfg.out_of_order_cases``)."""
    return {
        "out_of_order_cases": out_of_order_cases(con, table) if count_out_of_order else None,
        "future_events": future_events(con, table, now),
        "single_event_cases": single_event_cases(con, table),
    }


def pending_flags(con: Any, table: str, now: datetime, count_out_of_order: bool = True) -> dict[str, Any]:
    """``flags`` as arguments of DataQuality, counted when one is first asked for (on a cursor of its own,
    which an analysis's thread may use while others work): reading the log is not kept waiting for figures
    that change no event. Without ``count_out_of_order`` the out-of-order cases are None, as in ``flags``."""
    names = ("out_of_order_cases",) * count_out_of_order + ("future_events", "single_event_cases")

    def count() -> dict[str, int]:
        cursor = con.cursor()
        try:
            return {
                name: value
                for name, value in flags(cursor, table, now, count_out_of_order).items()
                if name in names
            }
        finally:
            cursor.close()

    left_out = {} if count_out_of_order else {"out_of_order_cases": None}
    return {**left_out, "pending": PendingFlags(names, count)}


def pending_case_attributes(con: Any, table: str) -> Callable[[], list[str]]:
    """``case_attributes`` of ``table``, found when first asked for (a cursor of its own, as above)."""

    def find() -> list[str]:
        cursor = con.cursor()
        try:
            return case_attributes(cursor, table)
        finally:
            cursor.close()

    return find
