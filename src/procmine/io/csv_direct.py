"""Reading a CSV log in one pass: the staged table (canonical columns typed, times in UTC) is made straight
from DuckDB's CSV reader, without a table of the file's text first.

How to make it (timestamp formats, blanks to trim, the start column) is decided on the first rows of the
file; the same decision is then taken again over the whole staged table (the same tests, and the same
sample of the whole file, as the two-pass reader takes) and the table is kept only when both agree.
Otherwise, and for what only the two-pass reader does (``--order``, a file DuckDB's first guess of types
cannot read), this returns None and ``logs`` reads the file
the two-pass way (``csv_log.load_csv``).

While rows are accounted for, the source text of the time and lifecycle columns is kept beside the staged
values (second try, the comparison of copies, unreadable start times, lifecycle detection), and the raw
relation is a view giving back each source column as the file had it. The staged table's rowid is the
source row: ``canonical`` makes the canonical events a view of it when at most a few rows are not used
(and the log has no lifecycle pairs), a copy of the rows used otherwise.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from procmine.errors import InputError
from procmine.io import csv_log
from procmine.io.sql_text import identifier as _q
from procmine.io.stage_plan import (
    DIRECT,
    KEY,
    STAGE,
    StagePlan,
    blank_after,
    blank_around,
    blank_before,
    plan_stage,
)
from procmine.model.log import ACTIVITY, CANONICAL, CASE, RESOURCE, ROW, START, TIMESTAMP, ColumnMapping

# the source text kept of the columns whose staged values are not the text: the times, the lifecycle
_TEXT = {"timestamp": "__raw_timestamp", "start": "__raw_start", "lifecycle": "__raw_lifecycle"}


def read_direct(
    con: Any,
    path: Path,
    text_columns: Callable[[list[str]], set[str]],
    mapping_of: dict[str, Any],
    relation: str,
    **plan_options: Any,
) -> tuple[StagePlan, dict[str, Any]] | None:
    """The staged table made in one pass (``DIRECT``, the view ``STAGE`` over it, ``relation`` giving the
    source columns back), its plan and what was sniffed; None when the file must be read in two passes."""
    head = csv_log.load_head(con, path, text_columns, relation)
    if head is None:
        return None
    source, sniffed, maybe_numbers = head
    mapping: ColumnMapping = mapping_of["mapping"]
    names = [d[0] for d in con.execute(f"SELECT * FROM {relation} LIMIT 0").description][1:]
    present = [column for role, column in mapping.to_dict().items() if column and role != "order"]
    if (
        mapping.order
        or mapping.timestamp is None
        or len(set(present)) < len(present)
        or any(n.startswith("__") for n in names)
        or not con.execute(f"SELECT count(*) FROM {relation}").fetchall()[0][0]
    ):
        return None
    first = _plan(con, relation, mapping, plan_options)
    if first is None:
        return None
    text = {
        _TEXT["timestamp"]: mapping.timestamp,
        _TEXT["start"]: first.mapping.start,
        _TEXT["lifecycle"]: mapping.lifecycle,
    }
    select = [c for c in first.select if c != f'__row AS "{ROW}"']
    select += [f"{_q(column)} AS {name}" for name, column in text.items() if column]
    untrimmed = _untrimmed_text(con, relation, first)
    try:
        con.execute(
            f"CREATE OR REPLACE TABLE {DIRECT} AS SELECT *, hash({CASE}, {ACTIVITY}, {TIMESTAMP}) AS {KEY} "
            f"FROM (SELECT {', '.join(select)} FROM {source})"
        )
    except duckdb.Error:
        con.execute(f"DROP TABLE IF EXISTS {DIRECT}")
        return None
    _numbers(con, maybe_numbers)
    _views(con, relation, names, first.mapping, text)
    con.execute(f"DROP TABLE {csv_log.RAW_TABLE}")  # the first rows: read again above
    counted = _counted(con, first, untrimmed)
    whole = _plan(con, relation, mapping, {**plan_options, "counted": counted}) if counted else None
    if whole is None or dataclasses.replace(whole, rows_read=first.rows_read) != first:
        con.execute(f"DROP VIEW {STAGE}; DROP VIEW {relation}; DROP TABLE {DIRECT}")
        return None
    return whole, sniffed


def _untrimmed_text(con: Any, relation: str, first: StagePlan) -> list[str]:
    """The staged text columns (case, activity, resource) that the first rows did not need trimmed: a
    value with a blank around it there, anywhere in the file, means reading it in two passes."""
    types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {relation})").fetchall())
    mapping = first.mapping
    given = ((mapping.case, CASE), (mapping.activity, ACTIVITY), (mapping.resource, RESOURCE))
    return [
        staged
        for column, staged in given
        if column and column not in first.trimmed and types[column] == "VARCHAR"
    ]


def _counted(con: Any, first: StagePlan, untrimmed: list[str]) -> tuple[int, set[str]] | None:
    """The rows of the whole file and the columns to trim, as the first rows decided them; None when the
    whole file would trim more (the plan then differs: read in two passes). ``untrimmed``: the staged text
    columns to test (their values are the file's text, an empty field NULL). A time column the first rows
    did not trim is read untrimmed: DuckDB reads a time with blanks around it as without, and a value it
    could not read is kept as text, so blanks around one show there."""
    mapping = first.mapping
    times = [(TIMESTAMP, _TEXT["timestamp"], mapping.timestamp), (START, _TEXT["start"], mapping.start)]
    # Tested on the table, not while reading it: a blank in front is answered from the columns' least
    # and greatest values (DuckDB skips each row group whose least value is past the space); a test in
    # WHERE reads a time's text only where the time is missing (in FILTER (...) it reads every row).
    tests = [
        *map(blank_before, untrimmed),
        " OR ".join(blank_after(column) for column in untrimmed),
        " OR ".join(
            f"({column} IS NULL AND {blank_around(text)})"
            for column, text, source in times
            if source and source not in first.trimmed
        ),
    ]
    for test in filter(None, tests):
        if con.execute(f"SELECT count(*) FROM {DIRECT} WHERE {test}").fetchall()[0][0]:
            return None
    return int(con.execute(f"SELECT count(*) FROM {DIRECT}").fetchall()[0][0]), set(first.trimmed)


def _plan(con: Any, relation: str, mapping: ColumnMapping, options: dict[str, Any]) -> StagePlan | None:
    """The plan, or None where reading would stop with an error (the two-pass reader then says why)."""
    try:
        return plan_stage(con, relation, mapping, **options)
    except InputError:
        return None


def _numbers(con: Any, names: list[str]) -> None:
    """Columns DuckDB kept as text only because they spell a missing value (``NA``...) become numbers, as
    the two-pass reader's raw relation has them (``csv_log.number_kinds`` over every row)."""
    staged = {name: name + "_original" if name in CANONICAL else name for name in names}
    for name, kind in csv_log.number_kinds(con, DIRECT, list(staged.values())).items():
        value = csv_log.missing_as_null(name)
        con.execute(f"ALTER TABLE {DIRECT} ALTER COLUMN {_q(name)} TYPE {kind} USING CAST({value} AS {kind})")


def _views(con: Any, relation: str, names: list[str], mapping: ColumnMapping, text: dict[str, Any]) -> None:
    """``relation``: each source column as the file had it (a text column's empty field is '' there, as
    DuckDB's reader gives it; the typed table holds NULL); ``STAGE``: the staged columns with ``row``."""
    given = {mapping.case: CASE, mapping.activity: ACTIVITY, mapping.resource: RESOURCE}
    kept_text = {column: name for name, column in text.items() if column}
    columns = []
    for name in names:
        if name in kept_text:
            columns.append(f"{kept_text[name]} AS {_q(name)}")
        elif name in given:
            columns.append(f"coalesce({given[name]}, '') AS {_q(name)}")
        else:
            columns.append(f"{_q(name + '_original' if name in CANONICAL else name)} AS {_q(name)}")
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {relation} AS SELECT rowid AS __row, {', '.join(columns)} FROM {DIRECT}"
    )
    staged = [d[0] for d in con.execute(f"SELECT * FROM {DIRECT} LIMIT 0").description]
    canonical = [_q(c) for c in staged if c in CANONICAL]
    helpers = {*_TEXT.values(), KEY}
    others = [_q(c) for c in staged if c not in CANONICAL and c not in helpers]  # (the lifecycle's too)
    con.execute(
        f'CREATE OR REPLACE TEMP VIEW {STAGE} AS SELECT {", ".join(canonical)}, rowid AS "{ROW}"'
        f"{''.join(', ' + c for c in others)} FROM {DIRECT}"
    )
