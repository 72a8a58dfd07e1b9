"""An event log as procmine holds it after reading: one canonical frame plus what reading it cost.

The frame (``EventLog.events``, a pandas DataFrame) has these canonical columns, whatever the source
called them:

- ``case_id`` (str), ``activity`` (str)
- ``timestamp``: completion time, tz-aware UTC
- ``start_timestamp``: start time, tz-aware UTC, or NaT; the column exists only when the log has start
  times (a start column, or lifecycle start/complete pairs merged into one activity instance)
- ``resource`` (str or missing); the column exists only when the log names resources
- ``row``: int64, the position of the (completing) event in the source file: ties in time are broken by it
- any other source column, unchanged (case attributes such as channel, segment, satisfaction score)

Rows are sorted by ``case_id``, ``timestamp``, ``row`` (the order pm4py uses), and the index is 0..n-1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

CASE = "case_id"
ACTIVITY = "activity"
TIMESTAMP = "timestamp"
START = "start_timestamp"
RESOURCE = "resource"
ROW = "row"
CANONICAL = (CASE, ACTIVITY, TIMESTAMP, START, RESOURCE, ROW)

# Why a source row was not used. Every row read is either used or counted under one of these.
DROP_REASONS = (
    "missing_case_id",
    "missing_activity",
    "unparseable_timestamp",
    "duplicate_event",
    "unpaired_lifecycle",  # a lifecycle transition other than start/complete that cannot be used
)


@dataclass(frozen=True)
class ColumnMapping:
    """Which source column fed each canonical column (None: the log has no such column)."""

    case: str
    activity: str
    timestamp: str
    start: str | None = None
    resource: str | None = None
    lifecycle: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return dict(self.__dict__)


@dataclass
class DataQuality:
    """What reading the log cost and what looks wrong in it. ``rows_read == rows_used + sum(dropped)``
    where lifecycle start rows merged into their completion count as used."""

    rows_read: int
    rows_used: int
    dropped: dict[str, int] = field(default_factory=dict)
    lifecycle_pairs: int = 0  # start/complete pairs merged into one activity instance
    out_of_order_cases: int = 0  # cases whose events are not in time order in the file
    future_events: int = 0  # events later than the moment of reading
    single_event_cases: int = 0
    timezone: str = "UTC"  # how timestamps without an offset were read
    notes: list[str] = field(default_factory=list)  # further remarks for the report

    @property
    def rows_dropped(self) -> int:
        return sum(self.dropped.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows_read": self.rows_read,
            "rows_used": self.rows_used,
            "rows_dropped": self.rows_dropped,
            "dropped": {reason: self.dropped.get(reason, 0) for reason in DROP_REASONS},
            "lifecycle_pairs": self.lifecycle_pairs,
            "out_of_order_cases": self.out_of_order_cases,
            "future_events": self.future_events,
            "single_event_cases": self.single_event_cases,
            "timezone": self.timezone,
            "notes": list(self.notes),
        }


@dataclass
class EventLog:
    events: pd.DataFrame
    source: Path
    format: str  # csv | xes | parquet
    columns: ColumnMapping
    quality: DataQuality
    case_attributes: list[str] = field(default_factory=list)  # columns with one value per case

    @property
    def has_start_times(self) -> bool:
        return START in self.events.columns and bool(self.events[START].notna().any())

    @property
    def has_resources(self) -> bool:
        return RESOURCE in self.events.columns

    def summary(self) -> dict[str, Any]:
        """The ``log`` block of every report."""
        ev = self.events
        first = ev[TIMESTAMP].min() if len(ev) else None
        last = ev[TIMESTAMP].max() if len(ev) else None
        if START in ev.columns and len(ev) and ev[START].notna().any():
            first = min(first, ev[START].min())
        return {
            "path": str(self.source),
            "format": self.format,
            "cases": int(ev[CASE].nunique()),
            "events": len(ev),
            "activities": int(ev[ACTIVITY].nunique()),
            "first_timestamp": _iso(first),
            "last_timestamp": _iso(last),
            "columns": self.columns.to_dict(),
            "case_attributes": list(self.case_attributes),
            "quality": self.quality.to_dict(),
        }


def _iso(ts: Any) -> str | None:
    if ts is None or ts != ts:  # NaT
        return None
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")
