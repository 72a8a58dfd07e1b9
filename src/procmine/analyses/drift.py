"""Has a documented step stopped happening? "Not executed since DATE", judged on the most recent period.

The recent period is by default the last quarter of the log's time span; ``--recent-period`` takes a length
(``90d``, ``12w``, ``6m``) counted back from the log's last event, or a start date (``2026-07-01``).
A step counts as no longer executed when it happened before the recent period and not in it, *and* its
earlier rate would have made at least ``MIN_EXPECTED`` executions in the recent period likely — so a rare
optional step that merely had no occasion lately is not called outdated.

A step that stopped *inside* the recent period (a long ``--recent-period``) is caught by its trailing gap:
no case that started after its last execution did it, although enough of those cases have run long enough
to reach it (at least the median time from a case's start to the step) that its earlier rate predicts
``MIN_EXPECTED_SINCE`` executions or more. Counting only cases that ran that long keeps the cases still open
at the end of the export from looking like skips.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from procmine.engine import drift as drift_counts
from procmine.engine.db import connect
from procmine.errors import InputError
from procmine.timefmt import iso_utc

if TYPE_CHECKING:
    from procmine.model.log import EventLog

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)

MIN_EXPECTED = 5.0  # expected recent executions below which silence proves nothing (P(0) = e^-5 < 1 %)
MIN_EXPECTED_SINCE = 10.0  # the same for the gap after the last execution, chosen after the fact: stricter
_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([dwmy])\s*$", re.IGNORECASE)
_DAYS = {"d": 1, "w": 7, "m": 30.4375, "y": 365.25}


@dataclass(frozen=True)
class RecentPeriod:
    """``start`` and ``end``: datetimes in UTC (a pandas Timestamp, to the nanosecond, when ``how`` is a
    length or a date, which pandas reads)."""

    start: datetime
    end: datetime
    how: str  # "last quarter of the log's time span" | "90d" | "from 2026-07-01"

    def to_dict(self) -> dict:
        return {"start": iso_utc(self.start), "end": iso_utc(self.end), "how": self.how}


def log_span(log: EventLog) -> tuple[datetime, datetime] | None:
    """The log's first and last completion time, in UTC, to the microsecond (None: no event)."""
    span = drift_counts.time_span(connect(log))
    return None if span is None else (_utc(span[0]), _utc(span[1]))


def log_period(log: EventLog, spec: str | None = None) -> RecentPeriod | None:
    """The recent period of ``log`` (``recent_period`` of its span; None when it has no timestamps)."""
    return recent_period(log_span(log), spec) if log.has_timestamps else None


def recent_period(span: tuple[datetime, datetime] | None, spec: str | None = None) -> RecentPeriod | None:
    """The period in which documented steps are expected to still happen, in the log's time ``span``
    (``log_span``); None for an empty log."""
    if span is None:
        return None
    first, last = span
    if not spec:  # (three quarters of the span in whole microseconds, as pandas computes it)
        quarters = ((last - first) // _MICROSECOND) * 0.75
        return RecentPeriod(first + int(quarters) * _MICROSECOND, last, "last quarter of the log's time span")
    import pandas as pd  # (a length or a date: pandas reads it, as it always has)

    first, last = pd.Timestamp(first), pd.Timestamp(last)
    length = _LENGTH.match(spec)
    if length:
        days = float(length.group(1)) * _DAYS[length.group(2).lower()]
        span_days = (last - first) / pd.Timedelta(days=1)
        if days > span_days:  # reaches before the log begins (and 99999999999999d past what a date can hold)
            return RecentPeriod(first, last, spec.strip())
        return RecentPeriod(last - pd.Timedelta(days=days), last, spec.strip())
    try:
        start = pd.Timestamp(spec.strip())
    except (ValueError, TypeError) as exc:
        raise InputError("--recent-period", f"{spec!r} is neither a length like 90d nor a date") from exc
    return RecentPeriod(_utc(start), last, f"from {spec.strip()}")


@dataclass(frozen=True)
class Silence:
    """An activity that happened before the recent period and not in it."""

    activity: str
    last_seen: datetime
    cases_before: int
    expected_recent: float  # executions the earlier rate predicts for the recent period's cases
    cases_since: int | None = None  # for a trailing gap: the cases started since that ran long enough


def silent_activities(
    log: EventLog, period: RecentPeriod, activities: set[str], con: Any = None
) -> list[Silence]:
    """Among ``activities``, those no longer executed in ``period`` though their rate says they should be,
    by activity (each judged alone: those of a set are those of any larger set that are in it). ``con``: a
    connection to the log's events (default: the shared one)."""
    con = con if con is not None else connect(log)
    seen = drift_counts.presence(con, _micros(period.start))
    last_seen = {a: _utc(t) for a, t in seen.last_seen.items()}
    out = []
    if seen.cases_before and seen.cases_since:
        for activity in sorted(activities - seen.seen_since):
            with_activity = seen.cases_before_with.get(activity, 0)
            if not with_activity:
                continue
            expected = with_activity / seen.cases_before * seen.cases_since
            if expected >= MIN_EXPECTED:
                out.append(Silence(activity, last_seen[activity], with_activity, float(expected)))
    found = {s.activity for s in out}
    executed = {a for a in activities if a in last_seen}
    return out + _trailing_gaps(con, executed - found, last_seen)


def _trailing_gaps(con: Any, activities: set[str], last_seen: dict[str, datetime]) -> list[Silence]:
    """Steps done in the recent period that then stopped: see the module docstring."""
    # expected <= cases started since (a case with the step started before its last execution, so
    # cases_with <= cases_started_before): a step with fewer cases after it can never be reported
    since = {a: _micros(last_seen[a]) for a in activities}
    gaps = drift_counts.trailing_gaps(con, since, min_started_after=MIN_EXPECTED_SINCE)
    out = []
    for activity in sorted(gaps):
        gap = gaps[activity]
        if not gap.cases_started_before or not gap.cases_since_long_enough:
            continue
        expected = gap.cases_with / gap.cases_started_before * gap.cases_since_long_enough
        if expected >= MIN_EXPECTED_SINCE:
            out.append(
                Silence(
                    activity,
                    last_seen[activity],
                    gap.cases_with,
                    float(expected),
                    gap.cases_since_long_enough,
                )
            )
    return out


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _micros(moment: datetime) -> int:
    """Microseconds since the epoch (``epoch_us``), rounded up: ``< start`` in SQL then means what it
    means on a nanosecond timestamp (the engine holds microseconds)."""
    nanos = getattr(moment, "value", None)  # a pandas Timestamp: nanoseconds since the epoch
    if nanos is not None:
        return -(-nanos // 1000)
    return (moment - _EPOCH) // _MICROSECOND
