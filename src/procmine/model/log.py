"""An event log as procmine holds it after reading: the canonical events plus what reading them cost.

The events live in a DuckDB table (``EventLog.store``, see ``procmine.io.store``) that every SQL analysis
reads; ``EventLog.events`` is the same events as a pandas DataFrame, made when first asked for. Both have
these canonical columns, whatever the source called them:

- ``case_id`` (str), ``activity`` (str)
- ``timestamp``: completion time, tz-aware UTC
- ``start_timestamp``: start time, tz-aware UTC, or NaT; the column exists only when the log has start
  times (a start column, or lifecycle start/complete pairs merged into one activity instance)
- ``resource`` (str or missing); the column exists only when the log names resources
- ``row``: int64, the position of the (completing) event in the source file: ties in time are broken by it
- any other source column, unchanged (case attributes such as channel, segment, satisfaction score)

The frame's rows are sorted by ``case_id``, ``timestamp``, ``row`` (the order pm4py uses), and its index
is 0..n-1; the table is in no particular order (queries order what they need).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from procmine.timefmt import iso_utc

if TYPE_CHECKING:
    import pandas as pd

CASE = "case_id"
ACTIVITY = "activity"
TIMESTAMP = "timestamp"
START = "start_timestamp"
RESOURCE = "resource"
ROW = "row"
CANONICAL = (CASE, ACTIVITY, TIMESTAMP, START, RESOURCE, ROW)

_PENDING_LOCK = threading.Lock()  # analyses on threads may ask for a pending figure at the same time

# Why a source row was not used. Every row read is either used or counted under one of these.
DROP_REASONS = (
    "missing_case_id",
    "missing_activity",
    "unparseable_timestamp",
    "duplicate_event",
    "unpaired_lifecycle",  # a lifecycle start that never completes
)


@dataclass(frozen=True)
class ColumnMapping:
    """Which source column fed each canonical column (None: the log has no such column). A log without a
    timestamp is *order-only*: its events keep the file's order within each case, or the order of the
    ``order`` column (``--order``); ``timestamp`` is then None and every time is missing (NaT)."""

    case: str
    activity: str
    timestamp: str | None
    start: str | None = None
    resource: str | None = None
    lifecycle: str | None = None
    order: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return dict(self.__dict__)


FLAGS = ("out_of_order_cases", "future_events", "single_event_cases")


@dataclass(frozen=True)
class PendingFlags:
    """Data-quality flags left to count when first asked for: ``names``, all counted by ``count()``."""

    names: tuple[str, ...]
    count: Callable[[], dict[str, int]]


@dataclass
class DataQuality:
    """What reading the log cost and what looks wrong in it. ``rows_read == rows_used + sum(dropped) +
    sum(set_aside)`` where lifecycle start rows merged into their completion count as used, and
    ``set_aside`` counts the lifecycle transitions other than start and complete (schedule, assign...): they
    are not executions of an activity, and not a defect of the log either.

    The flags (``FLAGS``) drop no rows and no analysis needs them while the log is read, so the reader
    may leave some ``pending`` (``PendingFlags``): counted the first time one of them is asked for. Every
    consumer reads the same figures either way."""

    rows_read: int
    rows_used: int
    dropped: dict[str, int] = field(default_factory=dict)
    lifecycle_pairs: int = 0  # start/complete pairs merged into one activity instance
    set_aside: dict[str, int] = field(default_factory=dict)  # other lifecycle transition -> rows
    # cases whose events are not in time order in the file (None only until `discover` counts them from
    # the DFG's window: the reader then leaves them out)
    out_of_order_cases: int | None = field(default_factory=int)
    future_events: int = field(default_factory=int)  # events later than the moment of reading
    single_event_cases: int = field(default_factory=int)
    timezone: str = "UTC"  # how timestamps without an offset were read
    notes: list[str] = field(default_factory=list)  # further remarks for the report
    pending: PendingFlags | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.pending is not None:
            for name in self.pending.names:  # (a default_factory field has no class attribute to fall
                del self.__dict__[name]  # back on: reading it now reaches __getattr__)

    def __getattr__(self, name: str) -> Any:
        """A flag not counted yet: count the pending ones now (only reached when ``name`` is missing)."""
        pending = self.__dict__.get("pending")
        if name not in FLAGS or pending is None:
            raise AttributeError(name)
        with _PENDING_LOCK:
            if self.__dict__.get("pending") is not None:
                for flag, value in pending.count().items():
                    self.__dict__.setdefault(flag, value)  # one set meanwhile (discover's count) stays
                self.pending = None
        return self.__dict__[name]

    def __getstate__(self) -> dict[str, Any]:
        return {**{flag: getattr(self, flag) for flag in FLAGS}, **self.__dict__, "pending": None}

    @property
    def rows_dropped(self) -> int:
        return sum(self.dropped.values())

    @property
    def rows_set_aside(self) -> int:
        return sum(self.set_aside.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows_read": self.rows_read,
            "rows_used": self.rows_used,
            "rows_dropped": self.rows_dropped,
            "dropped": {reason: self.dropped.get(reason, 0) for reason in DROP_REASONS},
            "lifecycle_pairs": self.lifecycle_pairs,
            "rows_set_aside": self.rows_set_aside,
            "set_aside": dict(self.set_aside),
            "out_of_order_cases": self.out_of_order_cases,
            "future_events": self.future_events,
            "single_event_cases": self.single_event_cases,
            "timezone": self.timezone,
            "notes": list(self.notes),
        }


class EventStore(Protocol):
    """Where the canonical events live when they are not a pandas frame (``procmine.io.store.LogStore``)."""

    table: str

    def frame(self, columns: list[str] | None = None) -> pd.DataFrame: ...

    def columns(self) -> list[str]: ...

    def one(self, sql: str, params: list[Any] | None = None) -> tuple[Any, ...]: ...

    def rows(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]: ...

    def derived(self, name: str, select_sql: str) -> EventStore:
        """A store of the events ``select_sql`` gives (a query over ``table``), computed once in the engine
        and seen by every connection to it (an analysis's cursor)."""
        ...


class EventLog:
    """The canonical events (a DuckDB table, ``store``, or a pandas frame, ``events``) and what reading them
    cost. ``events`` makes the frame from the store the first time it is asked for; analyses that run SQL
    read the store directly (``procmine.engine.db.connect``), so a large log never becomes a frame."""

    def __init__(
        self,
        events: pd.DataFrame | None = None,
        source: Path | None = None,
        format: str = "csv",  # csv | xes | parquet
        columns: ColumnMapping | None = None,
        quality: DataQuality | None = None,
        case_attributes: list[str] | Callable[[], list[str]] | None = None,  # columns with one value per
        # case, or a function that finds them (called when first asked for: no analysis needs them to read)
        store: EventStore | None = None,
    ) -> None:
        if events is None and store is None:
            raise ValueError("an EventLog needs its events: a frame or a store")
        self._events = events
        self.store = store if events is None else None
        self.source = Path(source) if source is not None else Path("-")
        self.format = format
        self.columns = columns  # type: ignore[assignment]
        self.quality = quality or DataQuality(rows_read=0, rows_used=0)
        self._case_attributes = case_attributes if callable(case_attributes) else list(case_attributes or [])

    @property
    def case_attributes(self) -> list[str]:
        if callable(self._case_attributes):
            with _PENDING_LOCK:
                if callable(self._case_attributes):
                    self._case_attributes = list(self._case_attributes())
        return self._case_attributes

    @case_attributes.setter
    def case_attributes(self, names: list[str]) -> None:
        self._case_attributes = list(names)

    def count_pending(self) -> None:
        """Count now what the reader left to count when first asked for (the data-quality flags, the case
        attributes), each on a cursor of its own: an analysis may call this on a thread while another
        thread uses the engine. Should counting fail, nothing is counted: the error comes again, where it
        can be reported, when the figure is asked for."""
        try:
            self.case_attributes  # noqa: B018 (the property counts)
            pending = self.quality.pending
            if pending is not None and pending.names:
                getattr(self.quality, pending.names[0])  # (all pending flags are counted together)
        except Exception:  # (raised again when the figure is asked for)
            pass

    @property
    def events(self) -> pd.DataFrame:
        if self._events is None:
            self._events = self.store.frame()  # type: ignore[union-attr]
        return self._events

    @events.setter
    def events(self, frame: pd.DataFrame) -> None:
        self._events, self.store = frame, None  # the store holds the old events

    def event_frame(self, columns: list[str]) -> pd.DataFrame:
        """Only these columns of the events, in the frame's order: from the frame when it is made, else
        straight from the store (a fraction of the whole frame's memory)."""
        if self._events is not None:
            return self._events[columns]
        return self.store.frame(columns)  # type: ignore[union-attr]

    @property
    def has_timestamps(self) -> bool:
        """False for an order-only log: analyses that need times (waits, durations, periods, drift) skip."""
        return self.columns.timestamp is not None

    @property
    def has_frame(self) -> bool:
        """Is the frame already made (cheap to use), or would ``events`` build it from the store?"""
        return self._events is not None

    def replace(self, **changes: Any) -> EventLog:
        """A copy with ``changes``; new ``events`` leave the store behind (it holds the old events)."""
        fields = {
            "source": self.source,
            "format": self.format,
            "columns": self.columns,
            "quality": self.quality,
            "case_attributes": self._case_attributes,
        }
        if "events" not in changes:
            fields.update(events=self._events, store=self.store)
        fields.update(changes)
        return EventLog(**fields)

    def without_activities(self, names: set[str]) -> tuple[EventLog, int]:
        """The log without the events of these activities, and how many events they were. A log in the
        engine stays there (a filtered view of its events: nothing is copied into Python)."""
        if self._events is not None or self.store is None:
            keep = ~self.events[ACTIVITY].isin(list(names))
            return self.replace(events=self.events[keep].reset_index(drop=True)), int((~keep).sum())
        listed = ", ".join("'" + name.replace("'", "''") + "'" for name in sorted(names))
        table = self.store.table
        dropped = int(self.store.one(f"SELECT count(*) FROM {table} WHERE {ACTIVITY} IN ({listed})")[0])
        kept = f"(SELECT * FROM {table} WHERE {ACTIVITY} NOT IN ({listed}))"
        return self.replace(store=dataclasses.replace(self.store, table=kept)), dropped  # type: ignore[type-var]

    @property
    def empty(self) -> bool:
        if self._events is None:
            store: EventStore = self.store  # type: ignore[assignment]
            return not store.one(f"SELECT count(*) FROM (SELECT 1 FROM {store.table} LIMIT 1)")[0]
        return self._events.empty

    def activity_names(self) -> set[str]:
        """The distinct activities of the log."""
        if self._events is None:
            store: EventStore = self.store  # type: ignore[assignment]
            return {a for (a,) in store.rows(f"SELECT DISTINCT {ACTIVITY} FROM {store.table}")}
        return set(self._events[ACTIVITY].unique())

    def event_columns(self) -> list[str]:
        return self.store.columns() if self._events is None else list(self._events.columns)  # type: ignore[union-attr]

    @property
    def has_start_times(self) -> bool:
        if self._events is None:
            if START not in self.event_columns():
                return False
            return bool(self.store.one(f"SELECT count({START}) > 0 FROM {self.store.table}")[0])  # type: ignore[union-attr]
        return START in self._events.columns and bool(self._events[START].notna().any())

    @property
    def has_resources(self) -> bool:
        return RESOURCE in self.event_columns()

    def summary(self) -> dict[str, Any]:
        """The ``log`` block of every report."""
        cases, events, activities, first, last = self._counts()
        return {
            "path": str(self.source),
            "format": self.format,
            "cases": cases,
            "events": events,
            "activities": activities,
            "first_timestamp": iso_utc(first),
            "last_timestamp": iso_utc(last),
            "columns": self.columns.to_dict(),
            "case_attributes": list(self.case_attributes),
            "quality": self.quality.to_dict(),
        }

    def _counts(self) -> tuple[int, int, int, Any, Any]:
        if self._events is None:
            store = self.store
            first = f"min({TIMESTAMP})"
            if START in self.event_columns():
                first = f"least(min({TIMESTAMP}), min({START}))"
            row = store.one(  # type: ignore[union-attr]
                f"SELECT count(DISTINCT {CASE}), count(*), count(DISTINCT {ACTIVITY}), {first}, "
                f"max({TIMESTAMP}) FROM {store.table}"  # type: ignore[union-attr]
            )
            return int(row[0]), int(row[1]), int(row[2]), row[3], row[4]
        ev = self._events
        first = ev[TIMESTAMP].min() if len(ev) else None
        last = ev[TIMESTAMP].max() if len(ev) else None
        if START in ev.columns and len(ev) and ev[START].notna().any():
            first = min(first, ev[START].min())
        return int(ev[CASE].nunique()), len(ev), int(ev[ACTIVITY].nunique()), first, last
