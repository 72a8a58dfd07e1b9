"""One DuckDB connection per analysis, with the canonical events registered as the view ``events``.

Every engine query reads ``events``; a filter (``--activities``, ``--since``/``--until``) is a view over the
registered frame, so the aggregates never copy the million-row frame. Each filter counts what it removed,
because no row may vanish silently.
"""

from __future__ import annotations

import os
import weakref
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import duckdb

from procmine.io.sql_text import string

if TYPE_CHECKING:
    from procmine.model.log import EventLog

SOURCE_VIEW = "log_events"  # the registered frame, untouched
EVENTS_VIEW = "events"  # what every query reads: the frame after filters


@dataclass(frozen=True)
class EventFilter:
    """Which events an analysis looks at.

    ``activities``: keep only events of these activities (cases left without events disappear).
    ``since`` / ``until``: keep the cases that *start* in ``[since, until)`` (tz-aware), whole; a case is
    never cut in two, so start and end activities stay real.
    """

    activities: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None

    @property
    def active(self) -> bool:
        return bool(self.activities) or self.since is not None or self.until is not None


@dataclass
class FilterResult:
    """Events removed by each filter, so reports can account for every row."""

    events_before: int = 0
    events_after: int = 0
    removed: dict[str, int] = field(default_factory=dict)  # reason -> events

    def to_dict(self) -> dict[str, object]:
        return {
            "events_before": self.events_before,
            "events_after": self.events_after,
            "removed": dict(sorted(self.removed.items())),
        }


class EngineConnection:
    """A DuckDB connection that knows the frame behind its ``events`` view.

    It behaves as the connection it wraps (every attribute is the connection's). ``frame`` lets
    ``engine.dfg`` build the steps table from the canonical order without a window sort; ``filtered``
    says whether ``events`` is a filtered view of it. An unfiltered connection is shared by every analysis
    of the same log (``close`` leaves it open), so the steps, variants and case tables are computed once per
    run; it is closed when the frame is garbage-collected.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, frame: object, filtered: bool, shared: bool) -> None:
        self._con = con
        self.frame = frame
        self.filtered = filtered
        self.shared = shared

    def __getattr__(self, name: str) -> object:
        return getattr(self._con, name)

    def close(self) -> None:
        if not self.shared:
            self._con.close()


_SHARED: dict[int, EngineConnection] = {}


def connect(log: EventLog, event_filter: EventFilter | None = None) -> duckdb.DuckDBPyConnection:
    """A connection whose ``events`` view is the log's events, restricted by ``event_filter`` when
    given: a cursor on the database the log was read into (its canonical table, never a frame), or, for
    a log made from a frame, an in-memory database with the frame registered (zero-copy through Arrow).
    Without a filter, the same connection is returned for the same log, so what one analysis computed
    (``steps``, variants) the next one reuses."""
    event_filter = event_filter or EventFilter()
    store = getattr(log, "store", None)
    owner: object = store if store is not None else log.events
    key = id(owner)
    if not event_filter.active and key in _SHARED:
        return _SHARED[key]  # type: ignore[return-value]
    engine = _connected(log, event_filter, shared=not event_filter.active)
    if engine.shared:
        _SHARED[key] = engine
        weakref.finalize(owner, _release, key)
    return engine  # type: ignore[return-value]


def own_connection(log: EventLog) -> duckdb.DuckDBPyConnection:
    """A connection to the log's events of the caller's own, never shared (``close`` closes it): for a
    thread that queries while another uses the shared one (a connection serves one thread at a time)."""
    return _connected(log, EventFilter(), shared=False)  # type: ignore[return-value]


def _connected(log: EventLog, event_filter: EventFilter, shared: bool) -> EngineConnection:
    store = getattr(log, "store", None)
    if store is not None:
        con = store.con.cursor()
        con.execute(f"CREATE OR REPLACE TEMP VIEW {SOURCE_VIEW} AS SELECT * FROM {store.table}")
        frame = None
    else:
        # no progress bar: DuckDB draws it on stdout, which belongs to the machine formats
        con = duckdb.connect(config={"threads": os.cpu_count() or 1})
        con.execute("SET enable_progress_bar = false")
        con.execute("SET TimeZone = 'UTC'")
        frame = log.events
        con.register(SOURCE_VIEW, frame)
    _create_events_view(con, event_filter)
    return EngineConnection(con, frame, event_filter.active, shared=shared)


def _release(key: int) -> None:
    engine = _SHARED.pop(key, None)
    if engine is not None:
        engine._con.close()


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Does this connection (a DuckDB cursor, or Spark's) have the temporary table ``name``?"""
    exists = getattr(con, "table_exists", None)
    if exists is not None:
        return bool(exists(name))
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND temporary", [name]
        ).fetchall()[0][0]
    )


def has_column(con: duckdb.DuckDBPyConnection, column: str, view: str = EVENTS_VIEW) -> bool:
    return column in [d[0] for d in con.execute(f"SELECT * FROM {view} LIMIT 0").description]


def filter_counts(con: duckdb.DuckDBPyConnection, event_filter: EventFilter) -> FilterResult:
    """How many events each filter of ``event_filter`` removed (activity filter first, then time window)."""
    before = _count(con, SOURCE_VIEW)
    result = FilterResult(events_before=before, events_after=_count(con, EVENTS_VIEW))
    if not event_filter.active:
        return result
    after_activities = _count(con, "_activity_filtered") if event_filter.activities else before
    if event_filter.activities:
        result.removed["activity_not_selected"] = before - after_activities
    if event_filter.since is not None or event_filter.until is not None:
        result.removed["case_outside_time_window"] = after_activities - result.events_after
    return result


def _count(con: duckdb.DuckDBPyConnection, view: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {view}").fetchall()[0][0])


def _create_events_view(con: duckdb.DuckDBPyConnection, event_filter: EventFilter) -> None:
    if not event_filter.active:
        con.execute(f"CREATE TEMP VIEW {EVENTS_VIEW} AS SELECT * FROM {SOURCE_VIEW}")
        return
    base = SOURCE_VIEW
    if event_filter.activities:
        names = ", ".join(map(string, event_filter.activities))
        con.execute(
            f"CREATE TEMP VIEW _activity_filtered AS SELECT * FROM {SOURCE_VIEW} WHERE activity IN ({names})"
        )
        base = "_activity_filtered"
    if event_filter.since is None and event_filter.until is None:
        con.execute(f"CREATE TEMP VIEW {EVENTS_VIEW} AS SELECT * FROM {base}")
        return
    begin = _case_begin_expression(con, base)
    bounds, params = [], []
    if event_filter.since is not None:
        bounds.append("begin_at >= ?")
        params.append(event_filter.since)
    if event_filter.until is not None:
        bounds.append("begin_at < ?")
        params.append(event_filter.until)
    con.execute(
        "CREATE TEMP TABLE _cases_in_window AS SELECT case_id FROM "
        f"(SELECT case_id, min({begin}) AS begin_at FROM {base} GROUP BY case_id) "
        f"WHERE {' AND '.join(bounds)}",
        params,
    )
    con.execute(
        f"CREATE TEMP VIEW {EVENTS_VIEW} AS SELECT * FROM {base} "
        "WHERE case_id IN (SELECT case_id FROM _cases_in_window)"
    )


def _case_begin_expression(con: duckdb.DuckDBPyConnection, view: str) -> str:
    """When an event began: its start time if the log has one, else its completion time."""
    if has_column(con, "start_timestamp", view):
        return "coalesce(start_timestamp, timestamp)"
    return "timestamp"
