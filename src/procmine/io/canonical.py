"""From the raw source (a DuckDB relation of the source's own columns, any format) to the canonical events
table, accounting for every row. All of it is SQL, so a log never has to fit in memory.

Each row is used, or dropped for the first reason that applies, in this order:
``missing_case_id``, ``missing_activity``, ``unparseable_timestamp`` (the completion time; a bad start
time only empties the start), ``duplicate_event`` (same values in every source column as an earlier
row), ``unpaired_lifecycle`` (see ``lifecycle``). Lifecycle start rows merged into their completion
count as used, and rows with another lifecycle transition (schedule, assign...) are set aside, so
``rows_read == rows_used + rows_dropped + rows_set_aside`` and ``events == rows_used - lifecycle_pairs``.

The raw relation has a column ``__row``: the position of the row in the source (0-based).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from procmine.errors import InputError
from procmine.io import lifecycle, quality, timestamps
from procmine.io.drops import SourceRows, count_drops, kept_condition
from procmine.io.sql_text import identifier as _q
from procmine.io.stage_plan import DIRECT, STAGE, StagePlan, plan_stage
from procmine.io.store import TABLE, LogStore
from procmine.io.table_writes import write_events, written_whole
from procmine.model.log import (
    CANONICAL,
    DROP_REASONS,
    ROW,
    START,
    TIMESTAMP,
    ColumnMapping,
    DataQuality,
    EventLog,
)

REASONS = DROP_REASONS


def build_event_log(
    con: Any,
    raw: str,
    mapping: ColumnMapping,
    *,
    source: Path,
    fmt: str,
    timezone: str = "UTC",
    timestamp_format: str | None = None,
    notes: list[str] | None = None,
    now: datetime | None = None,
    start_given: bool = False,
    count_out_of_order: bool = True,
    staged: StagePlan | None = None,
    source_rows: SourceRows | None = None,
) -> EventLog:
    """The canonical log from the raw relation. ``staged``: the staged table was made straight from the
    file (``csv_direct``): the view ``_stage`` over the table ``DIRECT``, whose rowid is the source row;
    ``raw`` is then a view of the source's columns over that table. ``source_rows``: the raw relation's
    rows of given numbers, had more cheaply than by a join (``drops.SourceRows``)."""
    where = str(source)
    plan = staged or plan_stage(
        con,
        raw,
        mapping,
        where=where,
        timezone=timezone,
        timestamp_format=timestamp_format,
        start_given=start_given,
    )
    notes = list(notes or []) + plan.notes
    mapping, start_sql = plan.mapping, plan.start
    _, ts_format, ts_text = plan.ts
    narrow = staged is None and plan.rejoined  # (the source's other columns: read back into the events)
    if staged is None:
        with written_whole(con, plan.rows_read):
            select = plan.narrow if narrow else plan.select
            con.execute(f"CREATE OR REPLACE TABLE {STAGE} AS SELECT {', '.join(select)} FROM {raw}")
    target = (DIRECT, "rowid") if staged else (STAGE, '"row"')
    if ts_text:
        _second_try(con, raw, TIMESTAMP, mapping.timestamp, ts_format, timezone, target)
    if start_sql and start_sql[1]:
        _second_try(con, raw, START, mapping.start, start_sql[2], timezone, target)  # type: ignore[arg-type]
    _implausible_times(con, mapping, notes, starts=False, table=target[0])
    dropped = count_drops(
        con, raw, mapping, ts_format, where, direct=staged is not None, source_rows=source_rows
    )
    if start_sql and start_sql[1]:
        _note_bad_starts(con, raw, mapping.start, notes)  # type: ignore[arg-type]
    if start_sql:
        _implausible_times(con, mapping, notes, starts=True, table=target[0])
    lifecycle_counts = _events_view(con, mapping, plan.use_lifecycle, dropped, notes)
    quality_flags = (now or datetime.now(UTC), count_out_of_order)
    return _finish(
        con,
        source,
        fmt,
        mapping,
        plan.rows_read,
        dropped,
        lifecycle_counts,
        timezone,
        notes,
        quality_flags,
        direct=staged is not None,
        rejoin=(raw, plan.attributes) if narrow else None,
    )


def _events_view(
    con: Any, mapping: ColumnMapping, use_lifecycle: bool, dropped: dict[str, int], notes: list[str]
) -> tuple[int, dict[str, int]]:
    """The _events view over the kept rows: start/complete paired when the log has a lifecycle."""
    if not use_lifecycle:
        con.execute("CREATE OR REPLACE TEMP VIEW _events AS SELECT * FROM _kept")
        return 0, {}
    return lifecycle.events(
        con, "_kept", "_events", start_column=bool(mapping.start), dropped=dropped, notes=notes
    )


def refuse_if_empty(source: Path, events: int, rows_read: int, dropped: dict[str, int]) -> None:
    """A log without one usable event is unreadable input: say how many rows were read and why each went."""
    if not events:
        reasons = ", ".join(f"{n} {r.replace('_', ' ')}" for r, n in dropped.items() if n) or "no rows"
        raise InputError(source, f"no usable events ({rows_read} rows read; dropped: {reasons})")


def _finish(
    con: Any,
    source: Path,
    fmt: str,
    mapping: ColumnMapping,
    rows_read: int,
    dropped: dict[str, int],
    lifecycle_rows: tuple[int, dict[str, int]],
    timezone: str,
    notes: list[str],
    quality_flags: tuple[datetime, bool],
    direct: bool = False,
    rejoin: tuple[str, list[tuple[str, str]]] | None = None,
) -> EventLog:
    pairs, set_aside = lifecycle_rows
    # a view of the table made straight from the file, filtered when a few rows are not used: cheaper than
    # a copy for every query after; with many, the copy is smaller to read
    unused = sum(dropped.values())  # (of a log without lifecycle pairs: every row not used is dropped)
    view = unused if direct and not mapping.lifecycle and unused <= rows_read // 8 else None
    with written_whole(con, rows_read):
        copies = dropped["duplicate_event"] > 0
        _write_table(con, mapping, direct=direct, view=view, rejoin=rejoin, copies=copies)
    events = int(con.execute(f"SELECT count(*) FROM {TABLE}").fetchall()[0][0])
    refuse_if_empty(source, events, rows_read, dropped)
    data_quality = DataQuality(
        rows_read=rows_read,
        rows_used=events + pairs,
        dropped=dropped,
        lifecycle_pairs=pairs,
        set_aside=set_aside,
        timezone=timezone,
        notes=notes,
        **quality.pending_flags(con, TABLE, *quality_flags),
    )
    accounted = data_quality.rows_used + data_quality.rows_dropped + data_quality.rows_set_aside
    assert data_quality.rows_read == accounted, data_quality
    return EventLog(
        source=source,
        format=fmt,
        columns=mapping,
        quality=data_quality,
        case_attributes=quality.pending_case_attributes(con, TABLE),
        store=LogStore(con, TABLE),
    )


def _write_table(
    con: Any,
    mapping: ColumnMapping,
    *,
    direct: bool,
    view: int | None,
    rejoin: tuple[str, list[tuple[str, str]]] | None = None,
    copies: bool = True,
) -> None:
    """The canonical events: the staged table itself with its unused rows deleted (it already has the
    canonical columns in their order: no copy), or the lifecycle's paired events (``rejoin``: with the
    source's other columns, which the staged table left out, from the raw relation). A table made straight
    from the file (``direct``: ``DIRECT``, with the view ``STAGE`` over it) has no row column: when few rows
    are unused, the canonical events are a view of it whose ``row`` is its rowid (stable, as nothing is
    deleted from it; ``view``: the rows unused); else a copy of the rows used. ``copies``: some rows were
    dropped as copies (``drops.kept_condition``)."""
    _drop_canonical(con)
    if not mapping.lifecycle and not direct:
        con.execute(
            f"DROP VIEW _events; DROP VIEW _kept; "
            f"DELETE FROM {STAGE} WHERE NOT ({kept_condition(mapping, copies=copies)}); "
            f"DROP TABLE _duplicates; ALTER TABLE {STAGE} RENAME TO {TABLE}"
        )
        return
    names = [d[0] for d in con.execute("SELECT * FROM _events LIMIT 0").description]
    columns = [c for c in CANONICAL if c in names] + [
        c for c in names if c not in CANONICAL and not c.startswith("__")
    ]
    if view is not None:
        _view_of_direct(con, mapping, columns, view, copies)
    else:
        write_events(con, TABLE, columns, rejoin)
    con.execute("DROP VIEW _events; DROP VIEW _kept; DROP TABLE _duplicates")  # (_events: always a view)
    lifecycle.release(con)
    if direct:
        con.execute(f"DROP VIEW {STAGE}")
        if view is None:
            con.execute(f"DROP TABLE {DIRECT}")
    else:
        con.execute(f"DROP TABLE {STAGE}")


def _view_of_direct(
    con: Any, mapping: ColumnMapping, columns: list[str], unused_rows: int, copies: bool = True
) -> None:
    """The canonical events as a view of ``DIRECT``: its helper columns (the source's text kept for the
    accounting) dropped, its unused rows (``unused_rows``, counted by reason already) marked."""
    names = [d[0] for d in con.execute(f"SELECT * FROM {DIRECT} LIMIT 0").description]  # (``KEY`` among them)
    con.execute("".join(f"ALTER TABLE {DIRECT} DROP COLUMN {_q(n)}; " for n in names if n.startswith("__")))
    chosen = ", ".join('rowid AS "row"' if c == ROW else _q(c) for c in columns)
    unused = f"NOT ({kept_condition(mapping, row='rowid', copies=copies)})"
    used = " WHERE NOT __unused" if unused_rows else ""
    if unused_rows:
        con.execute(f"ALTER TABLE {DIRECT} ADD COLUMN __unused BOOLEAN DEFAULT false")
        con.execute(f"UPDATE {DIRECT} SET __unused = true WHERE {unused}")
    con.execute(f"CREATE VIEW {TABLE} AS SELECT {chosen} FROM {DIRECT}{used}")


def _drop_canonical(con: Any) -> None:
    """The canonical events of an earlier reading in this database (a table, or a view and its table)."""
    try:  # (DROP VIEW of a table fails; asking the catalog which of the two it is costs 4 ms)
        con.execute(f"DROP VIEW IF EXISTS {TABLE}")
    except duckdb.CatalogException:
        con.execute(f"DROP TABLE {TABLE}")


# Times outside these years are placeholders (0001-01-01, 9999-12-31), not events: a completion time there
# counts as unparseable, a start time there is left out. (They would also make periods span millennia.)
PLAUSIBLE_YEARS = (1900, 2999)


def _implausible_times(
    con: Any, mapping: ColumnMapping, notes: list[str], starts: bool, table: str = STAGE
) -> None:
    """Empty completion times (``starts``: start times) outside ``PLAUSIBLE_YEARS``, and start times after
    their own completion (a negative service time), each with a note that counts them."""
    first, last = PLAUSIBLE_YEARS
    outside = (
        f"NOT ({{c}} >= TIMESTAMPTZ '{first}-01-01 00:00:00+00' "
        f"AND {{c}} < TIMESTAMPTZ '{last + 1}-01-01 00:00:00+00')"
    )
    years = f"outside the years {first}-{last}"
    if not starts:
        checks = [
            (
                TIMESTAMP,
                outside.format(c=TIMESTAMP),
                f"times {years} in {mapping.timestamp!r} "
                "(placeholders such as 0001-01-01 or 9999-12-31) are counted as unparseable",
            )
        ]
    else:
        checks = [
            (START, outside.format(c=START), f"start times {years} in {mapping.start!r} are left out"),
            (
                START,
                f"{START} > {TIMESTAMP}",
                f"events start after they complete ({mapping.start!r} later "
                f"than {mapping.timestamp!r}): their start time is left out, so no negative service times",
            ),
        ]
    for column, condition, note in checks:
        count = con.execute(f"SELECT count(*) FROM {STAGE} WHERE {condition}").fetchall()[0][0]
        if count:
            con.execute(f"UPDATE {table} SET {column} = NULL WHERE {condition}")
            notes.append(f"{count:,} {note}")


def _second_try(
    con: Any,
    raw: str,
    column: str,
    source_column: str,
    fmt: str,
    timezone: str,
    target: tuple[str, str] = (STAGE, '"row"'),
) -> None:
    """Values DuckDB could not read get a second try with pandas (mixed precisions, rare ISO spellings)."""
    if not con.execute(f"SELECT count(*) FROM {STAGE} WHERE {column} IS NULL").fetchall()[0][0]:
        return
    text = timestamps.text_sql(f"r.{_q(source_column)}")
    failed = [
        v
        for (v,) in con.execute(
            f"""SELECT DISTINCT {text} AS t FROM {STAGE} s JOIN {raw} r ON r.__row = s."row"
            WHERE s.{column} IS NULL AND t IS NOT NULL LIMIT {timestamps.FALLBACK_LIMIT}"""
        ).fetchall()
    ]
    if not failed:
        return
    parsed = timestamps.fallback(failed, fmt, timezone)
    if parsed.empty:
        return
    con.register("_fallback_frame", parsed)
    table, row = target  # the staged table, and its source row
    con.execute(
        f"""UPDATE {table} SET {column} = u.ts FROM (
                SELECT r.__row, f.ts FROM {raw} r JOIN _fallback_frame f ON {text} = f.t) u
            WHERE {table}.{row} = u.__row AND {table}.{column} IS NULL"""
    )
    con.unregister("_fallback_frame")


def _note_bad_starts(con: Any, raw: str, column: str, notes: list[str]) -> None:
    """A note counting the kept events whose start column holds text that could not be read as a time."""
    text, starts = timestamps.text_sql(f"r.{_q(column)}"), f'SELECT "row" FROM _kept WHERE {START} IS NULL'
    unread = f"SELECT count(*) FROM {raw} r WHERE r.__row IN ({starts}) AND {text} IS NOT NULL"
    missing = con.execute(f"SELECT count(*) FROM ({starts})").fetchall()[0][0]  # (a null count: cheap)
    bad = missing and con.execute(unread).fetchall()[0][0]
    if bad:
        notes.append(f"{bad:,} start times in {column!r} could not be read; those events have no start time")
