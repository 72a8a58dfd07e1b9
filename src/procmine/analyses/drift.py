"""Has a documented step stopped happening? "Not executed since DATE", judged on the most recent period.

The recent period is by default the last quarter of the log's time span; ``--recent-period`` takes a length
(``90d``, ``12w``, ``6m``) counted back from the log's last event, or a start date (``2026-07-01``).
A step counts as no longer executed when it happened before the recent period and not in it, *and* its
earlier rate would have made at least ``MIN_EXPECTED`` executions in the recent period likely — so a rare
optional step that merely had no occasion lately is not called outdated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from procmine.errors import InputError
from procmine.model.log import ACTIVITY, CASE, TIMESTAMP

MIN_EXPECTED = 5.0  # expected recent executions below which silence proves nothing (P(0) = e^-5 < 1 %)
_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([dwmy])\s*$", re.IGNORECASE)
_DAYS = {"d": 1, "w": 7, "m": 30.4375, "y": 365.25}


@dataclass(frozen=True)
class RecentPeriod:
    start: pd.Timestamp
    end: pd.Timestamp
    how: str  # "last quarter of the log's time span" | "90d" | "from 2026-07-01"

    def to_dict(self) -> dict:
        return {"start": _iso(self.start), "end": _iso(self.end), "how": self.how}


def recent_period(events: pd.DataFrame, spec: str | None = None) -> RecentPeriod | None:
    """The period in which documented steps are expected to still happen; None for an empty log."""
    if events.empty:
        return None
    first, last = events[TIMESTAMP].min(), events[TIMESTAMP].max()
    if not spec:
        return RecentPeriod(first + (last - first) * 0.75, last, "last quarter of the log's time span")
    length = _LENGTH.match(spec)
    if length:
        days = float(length.group(1)) * _DAYS[length.group(2).lower()]
        return RecentPeriod(last - pd.Timedelta(days=days), last, spec.strip())
    try:
        start = pd.Timestamp(spec.strip())
    except (ValueError, TypeError) as exc:
        raise InputError("--recent-period", f"{spec!r} is neither a length like 90d nor a date") from exc
    start = start.tz_localize("UTC") if start.tzinfo is None else start.tz_convert("UTC")
    return RecentPeriod(start, last, f"from {spec.strip()}")


@dataclass(frozen=True)
class Silence:
    """An activity that happened before the recent period and not in it."""

    activity: str
    last_seen: pd.Timestamp
    cases_before: int
    expected_recent: float  # executions the earlier rate predicts for the recent period's cases


def silent_activities(events: pd.DataFrame, period: RecentPeriod, activities: set[str]) -> list[Silence]:
    """Among ``activities``, those no longer executed in ``period`` though their rate says they should be."""
    before = events[events[TIMESTAMP] < period.start]
    recent = events[events[TIMESTAMP] >= period.start]
    cases_before = before[CASE].nunique()
    cases_recent = recent[CASE].nunique()
    if not cases_before or not cases_recent:
        return []
    seen_recently = set(recent[ACTIVITY].unique())
    last_seen = events.groupby(ACTIVITY)[TIMESTAMP].max()
    with_activity = before.groupby(ACTIVITY)[CASE].nunique()
    out = []
    for activity in sorted(activities - seen_recently):
        if activity not in with_activity.index:
            continue
        expected = with_activity[activity] / cases_before * cases_recent
        if expected >= MIN_EXPECTED:
            out.append(Silence(activity, last_seen[activity], int(with_activity[activity]), float(expected)))
    return out


def _iso(ts: pd.Timestamp) -> str:
    return ts.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
