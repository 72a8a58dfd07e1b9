"""The rows of the raw source that are not used, counted by reason (see ``canonical``), and the view of the
rows kept (``_kept``, over the staged table).

A row is dropped for a missing case id, activity or (completion) time, or as a copy of an earlier row: the
same values in every source column. Only rows whose case, activity and time repeat can be copies; their
whole source rows are compared.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from procmine.errors import InputError
from procmine.io.sql_text import identifier as _q
from procmine.io.stage_plan import DIRECT, KEY, STAGE
from procmine.model.log import ACTIVITY, CASE, DROP_REASONS, TIMESTAMP, ColumnMapping

REASONS = DROP_REASONS

# The raw relation's rows whose numbers (``__row``) a table lists (its column ``row``), as a relation
# registered on the connection (the same columns, ``__row`` among them); None: joined from the raw relation.
# An XES log's events are an Arrow stream that DuckDB scans whole, every column of every row, for a join:
# the Permit log's 941 suspected copies took 0.4 s so, and a few milliseconds picked out of the frame.
SourceRows = Callable[[str], str | None]


def count_drops(
    con: Any,
    raw: str,
    mapping: ColumnMapping,
    ts_format: str,
    where: str,
    direct: bool = False,
    source_rows: SourceRows | None = None,
) -> dict[str, int]:
    """Count the rows dropped for a missing case, activity or time, and the duplicates; the rows kept
    are the view ``_kept``. ``direct``: the staged table ``DIRECT`` holds the hash of (case, activity,
    time) already (``KEY``). ``source_rows``: see ``SourceRows``."""
    dropped = dict.fromkeys(REASONS, 0)
    row = _missing(con)
    timed = mapping.timestamp is not None
    for reason, count in zip(REASONS[:3], row[:3], strict=True):
        dropped[reason] = int(count) if timed or reason != "unparseable_timestamp" else 0
    if timed and row[3] and row[2] == row[3]:
        example = con.execute(
            f"SELECT CAST({_q(mapping.timestamp)} AS VARCHAR) FROM {raw} "
            f"WHERE {_q(mapping.timestamp)} IS NOT NULL LIMIT 1"
        ).fetchall()
        raise InputError(
            where,
            f"no timestamp in column {mapping.timestamp!r} could be read as "
            f"{ts_format}{f' (e.g. {example[0][0]!r})' if example else ''}",
        )
    if not timed:  # without times, a repeated row is a repeated event, not a copy
        con.execute(f'CREATE OR REPLACE TEMP TABLE _duplicates AS SELECT "row" FROM {STAGE} LIMIT 0')
        define_kept(con, mapping, copies=False)
        return dropped
    usable = f"{CASE} IS NOT NULL AND {ACTIVITY} IS NOT NULL AND {TIMESTAMP} IS NOT NULL"
    # Only rows whose case, activity and time repeat can be copies: compare whole source rows of those.
    # (by a hash of the three: a collision only adds a suspect, which the full comparison clears; the hash
    # ``DIRECT`` holds is of the values as first read, which copies share whatever is read again later)
    hashed = f"hash({CASE}, {ACTIVITY}, {TIMESTAMP})"
    table, source_row, key = (DIRECT, "rowid", KEY) if direct else (STAGE, '"row"', hashed)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _suspects AS
            SELECT {source_row} AS "row" FROM {table} WHERE {usable} AND {key} IN (
                SELECT {key} FROM {table} WHERE {usable} GROUP BY {key} HAVING count(*) > 1)"""
    )
    source_columns = [c for c in con.execute(f"SELECT * FROM {raw} LIMIT 0").description if c[0] != "__row"]
    partition = ", ".join(_q(c[0]) for c in source_columns)
    suspects = con.execute("SELECT count(*) FROM _suspects").fetchall()[0][0]
    listed = source_rows("_suspects") if suspects and source_rows is not None else None
    no_scan = "" if suspects else " LIMIT 0"
    joined = f'{raw} r SEMI JOIN _suspects s ON r.__row = s."row"{no_scan}'
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _duplicates AS SELECT "row" FROM (
                SELECT r.__row AS "row", row_number() OVER (PARTITION BY {partition} ORDER BY r.__row) AS k
                FROM {joined if listed is None else f"{listed} r"}) WHERE k > 1;
            DROP TABLE _suspects"""
    )
    dropped["duplicate_event"] = int(con.execute("SELECT count(*) FROM _duplicates").fetchall()[0][0])
    define_kept(con, mapping, copies=dropped["duplicate_event"] > 0)
    return dropped


def _missing(con: Any) -> tuple[int, int, int, int]:
    """Rows without a case; with a case but no activity; with both but no time; with both. (Counted
    with the tests in WHERE, which DuckDB answers from the columns' null counts where it can: as
    ``count(*) FILTER (...)`` over every row they took 20 times as long.)"""
    rows = con.execute(f"SELECT count(*) FROM {STAGE}").fetchall()[0][0]
    counts = con.execute(f"SELECT count(*), count({ACTIVITY}) FROM {STAGE} WHERE {CASE} IS NOT NULL")
    cased, both = counts.fetchall()[0]
    usable = f"{CASE} IS NOT NULL AND {ACTIVITY} IS NOT NULL"
    timed = con.execute(f"SELECT count({TIMESTAMP}) FROM {STAGE} WHERE {usable}").fetchall()[0][0]
    return rows - cased, cased - both, both - timed, both


def define_kept(con: Any, mapping: ColumnMapping, copies: bool = True) -> None:
    condition = kept_condition(mapping, copies=copies)
    con.execute(f"CREATE OR REPLACE TEMP VIEW _kept AS SELECT * FROM {STAGE} WHERE {condition}")


def kept_condition(mapping: ColumnMapping, row: str = '"row"', copies: bool = True) -> str:
    """The rows used: a case and an activity, and in a log with times a readable time and no earlier copy
    (the table ``_duplicates``; ``copies``: it may list some); ``row``: the source row where the condition
    is tested. (Without copies the test is left out: every read of the kept rows joined ``_duplicates``,
    BPIC 2012's 262,200 rows each time.)"""
    usable = f"{CASE} IS NOT NULL AND {ACTIVITY} IS NOT NULL"
    if mapping.timestamp is None:
        return usable
    if not copies:
        return f"{usable} AND {TIMESTAMP} IS NOT NULL"
    return f'{usable} AND {TIMESTAMP} IS NOT NULL AND {row} NOT IN (SELECT "row" FROM _duplicates)'
