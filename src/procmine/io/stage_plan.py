"""The staged table's plan: from a raw relation (a DuckDB relation of the source's own columns, any format)
to the select list of the staged table, whose columns are the canonical ones (case, activity, completion and
start time in UTC, resource, source row) followed by the source's other columns.

Planning reads the source once (``_count_rows``: the row count and which mapped text columns need
trimming), detects the timestamp formats on a sample, and decides whether a start column and a lifecycle
column are usable. ``canonical.build_event_log`` then makes the staged table and accounts for every row;
``csv_direct`` makes it straight from a CSV file with the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from procmine.errors import InputError
from procmine.io import lifecycle, timestamps
from procmine.io.sql_text import identifier as _q
from procmine.model.log import ACTIVITY, CANONICAL, CASE, RESOURCE, ROW, START, TIMESTAMP, ColumnMapping

STAGE = "_stage"
DIRECT = "_stage_data"  # the staged table made straight from the file (``csv_direct``)
KEY = "__key"  # DIRECT's hash of (case, activity, time), made in the same pass: copies share it


@dataclass
class StagePlan:
    """How the staged table is made from a raw relation: its select list (``select``), the column
    mapping as reading settles it, and what the accounting needs to know of the times."""

    mapping: ColumnMapping
    rows_read: int
    select: list[str]
    ts: tuple[str, str, bool]  # the completion time's SQL, its format, whether a second try may help
    start: tuple[str, bool, str] | None  # the start time's SQL, second try, format (None: no start)
    use_lifecycle: bool
    notes: list[str]
    trimmed: frozenset[str] = frozenset()  # the mapped text columns with blanks around a value
    narrow: list[str] = field(default_factory=list)  # ``select`` without the source's other columns
    attributes: list[tuple[str, str]] = field(default_factory=list)  # those: (source name, staged name)

    @property
    def rejoined(self) -> bool:
        """Whether a staged table made from the raw relation holds the ``narrow`` columns alone, the others
        read back into the events by a join on the source row: for a lifecycle log (its events are another
        shape than the source's rows: a copy either way), not ordered by ``--order`` (its row is a rank),
        with more other columns than staged ones (the join costs more than copying a few)."""
        return self.use_lifecycle and not self.mapping.order and len(self.attributes) > len(self.narrow)


def plan_stage(
    con: Any,
    raw: str,
    mapping: ColumnMapping,
    *,
    where: str,
    timezone: str = "UTC",
    timestamp_format: str | None = None,
    start_given: bool = False,
    counted: tuple[int, set[str]] | None = None,
) -> StagePlan:
    """Decide the staged table's columns from the raw relation: row count, blanks to trim, timestamp
    formats (on a sample), start column, lifecycle. ``counted``: the row count and the columns to trim,
    when the caller has them already (``csv_direct`` tests for blanks while it reads)."""
    notes: list[str] = []
    if timezone != "UTC":  # (times in UTC are not localized: ``timestamps.localize_sql``)
        con.execute(timestamps.LOCALIZE_MACRO)
    types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {raw})").fetchall())
    rows_read, edges = counted or _count_rows(con, raw, mapping, types)
    ts = _timestamp_sql(con, raw, mapping, types, edges, where, timezone, timestamp_format, notes)
    start_sql, mapping = _start_sql(
        con, raw, mapping, types, where, timezone, timestamp_format, start_given, notes, edges
    )
    spelled = lifecycle.spellings(con, raw, _q(mapping.lifecycle)) if mapping.lifecycle else None
    use_lifecycle = bool(mapping.lifecycle) and (
        spelled.lifecycle if spelled else lifecycle.is_lifecycle(con, raw, _q(mapping.lifecycle))
    )
    if mapping.lifecycle and not use_lifecycle:
        notes.append(f"column {mapping.lifecycle!r} holds no start/complete values: not used as lifecycle")
    used = {mapping.case, mapping.activity, mapping.timestamp, mapping.start, mapping.resource, mapping.order}
    if use_lifecycle:
        used.add(mapping.lifecycle)
    else:
        mapping = ColumnMapping(**{**mapping.to_dict(), "lifecycle": None})
    head = _stage_columns(con, raw, mapping, types, edges, ts[0], start_sql)
    helpers, attributes = _lifecycle_columns(mapping, spelled), _other_columns(types, used)
    select = head + [f"{_q(column)} AS {_q(name)}" for column, name in attributes] + helpers
    plan = StagePlan(mapping, rows_read, select, ts, start_sql, use_lifecycle, notes, frozenset(edges))
    plan.narrow, plan.attributes = head + helpers, attributes
    return plan


def _timestamp_sql(
    con: Any,
    raw: str,
    mapping: ColumnMapping,
    types: dict[str, str],
    edges: set[str],
    where: str,
    timezone: str,
    timestamp_format: str | None,
    notes: list[str],
) -> tuple[str, str, bool]:
    """The completion time's SQL, its detected format, and whether some values need a second try."""
    if mapping.timestamp is None:  # order-only: no times at all, the order of the file (or --order)
        notes.append(_order_note(mapping))
        return "CAST(NULL AS TIMESTAMPTZ)", "", False
    ts_sql, ts_format, ts_note, ts_text = timestamps.column_sql(
        con,
        raw,
        mapping.timestamp,
        types[mapping.timestamp],
        source=where,
        timezone=timezone,
        fmt=timestamp_format,
        trim=mapping.timestamp in edges,
    )
    if ts_note:
        notes.append(f"{mapping.timestamp}: {ts_note}")
    return ts_sql, ts_format, ts_text


def _stage_columns(
    con: Any,
    raw: str,
    mapping: ColumnMapping,
    types: dict[str, str],
    edges: set[str],
    ts_sql: str,
    start_sql: Any,
) -> list[str]:
    """The staged table's first columns, in the canonical table's order: the canonical ones, the row
    number. (Every other column follows as it came, but those named ``__...``, which the canonical table
    leaves out; then the lifecycle's helper columns.)"""
    select = [
        f"{_text(con, raw, mapping.case, types, edges)} AS {CASE}",
        f"{_text(con, raw, mapping.activity, types, edges)} AS {ACTIVITY}",
        f"{ts_sql} AS {TIMESTAMP}",
    ]
    if start_sql:
        select.append(f"{start_sql[0]} AS {START}")
    if mapping.resource:
        select.append(f"{_text(con, raw, mapping.resource, types, edges)} AS {RESOURCE}")
    select.append(f'{_row_sql(mapping.order)} AS "{ROW}"')
    return select


def _lifecycle_columns(mapping: ColumnMapping, spelled: lifecycle.Spellings | None) -> list[str]:
    """The lifecycle's helper columns (last in the staged table): looked up by value when its values are
    known (``spelled``), else folded row by row."""
    if not mapping.lifecycle:
        return []
    column = _q(mapping.lifecycle)
    kind, word = (spelled.kind_sql, spelled.word_sql) if spelled else (lifecycle.kind_sql, lifecycle.word_sql)
    return [f"{kind(column)} AS {lifecycle.KIND}", f"{word(column)} AS {lifecycle.WORD}"]


def _other_columns(types: dict[str, str], used: set[str | None]) -> list[tuple[str, str]]:
    """The source's columns not mapped, but those named ``__...`` (the canonical table leaves them out),
    each with its staged name: ``_original`` added to a canonical column's name."""
    return [
        (column, f"{column}_original" if column in CANONICAL else column)
        for column in types
        if column not in used and not column.startswith("__")
    ]


def _order_note(mapping: ColumnMapping) -> str:
    how = f"by column {mapping.order!r}" if mapping.order else "in the order of the file"
    return (
        f"no timestamps: the events of each case are taken {how}; waits, durations, periods and "
        "drift are not computed"
    )


def _row_sql(order: str | None) -> str:
    """The event's position: its row in the source, or with ``--order`` its rank in that column's order
    (numbers by value, then text; ties by the source row)."""
    if order is None:
        return "__row"
    q = _q(order)
    return f"row_number() OVER (ORDER BY TRY_CAST({q} AS DOUBLE) NULLS LAST, CAST({q} AS VARCHAR), __row) - 1"


def _start_sql(
    con: Any,
    raw: str,
    mapping: ColumnMapping,
    types: dict[str, str],
    where: str,
    timezone: str,
    timestamp_format: str | None,
    given: bool,
    notes: list[str],
    edges: set[str],
) -> tuple[tuple[str, bool, str] | None, ColumnMapping]:
    """Start times are optional: a detected start column that is empty or holds no dates is left out
    (with a note); one the user named must be readable."""
    if not mapping.start:
        return None, mapping
    try:
        sql, fmt, _note, text = timestamps.column_sql(
            con,
            raw,
            mapping.start,
            types[mapping.start],
            source=where,
            timezone=timezone,
            fmt=timestamp_format,
            trim=mapping.start in edges,
        )
    except InputError as exc:
        if given:
            raise
        notes.append(f"start column {mapping.start!r} not used: {exc.cause}")
        return None, ColumnMapping(**{**mapping.to_dict(), "start": None})
    return (sql, text, fmt), mapping


def _count_rows(con: Any, raw: str, mapping: ColumnMapping, types: dict[str, str]) -> tuple[int, set[str]]:
    """The rows of the source, and its mapped text columns with a value that starts or ends with a blank
    (only those are trimmed: trimming costs more than the rest of reading them), in one scan."""
    names = [
        c
        for c in (mapping.case, mapping.activity, mapping.timestamp, mapping.start, mapping.resource)
        if c and types[c].upper() == "VARCHAR"
    ]
    checks = "".join(f", count(*) FILTER (WHERE {blank_around(_q(name))})" for name in names)
    row = con.execute(f"SELECT count(*){checks} FROM {raw}").fetchall()[0]
    return int(row[0]), {n for n, count in zip(names, row[1:], strict=True) if count}


def blank_around(value: str) -> str:
    """SQL: the text ``value`` starts or ends with a character from \\x01 to the space. Compared as bytes
    (text sorts by its bytes): the cheapest test DuckDB has (ascii() and right() cost twice as much)."""
    return f"({blank_before(value)} OR {blank_after(value)})"


def blank_before(value: str) -> str:
    """SQL: the text ``value`` starts with a character from \\x01 to the space."""
    return f"({value} >= chr(1) AND {value} < '!')"


def blank_after(value: str) -> str:
    """SQL: the text ``value`` ends with a character from \\x01 to the space."""
    return f"{value}[-1] BETWEEN chr(1) AND ' '"


def _text(con: Any, raw: str, column: str, types: dict[str, str], edges: set[str]) -> str:
    """A column as text with surrounding blanks removed; blank or missing becomes NULL. A float column
    whose values are all whole numbers reads as those numbers (12.0 is the id 12)."""
    q = _q(column)
    kind = types[column].upper()
    if kind in ("FLOAT", "DOUBLE", "REAL"):
        whole = con.execute(f"SELECT coalesce(bool_and({q} = round({q})), true) FROM {raw}").fetchall()[0][0]
        if whole:
            return f"CAST(CAST({q} AS BIGINT) AS VARCHAR)"
    if column in edges:
        return f"nullif(trim(CAST({q} AS VARCHAR), ' \t\r\n'), '')"
    return f"nullif(CAST({q} AS VARCHAR), '')"
