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

import pandas as pd

from procmine.errors import InputError
from procmine.model.log import ACTIVITY, CASE, TIMESTAMP
from procmine.timefmt import iso_utc

MIN_EXPECTED = 5.0  # expected recent executions below which silence proves nothing (P(0) = e^-5 < 1 %)
MIN_EXPECTED_SINCE = 10.0  # the same for the gap after the last execution, chosen after the fact: stricter
_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([dwmy])\s*$", re.IGNORECASE)
_DAYS = {"d": 1, "w": 7, "m": 30.4375, "y": 365.25}


@dataclass(frozen=True)
class RecentPeriod:
    start: pd.Timestamp
    end: pd.Timestamp
    how: str  # "last quarter of the log's time span" | "90d" | "from 2026-07-01"

    def to_dict(self) -> dict:
        return {"start": iso_utc(self.start), "end": iso_utc(self.end), "how": self.how}


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
        span = (last - first) / pd.Timedelta(days=1)
        if days > span:  # reaches before the log begins (and 99999999999999d past what a date can hold)
            return RecentPeriod(first, last, spec.strip())
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
    cases_since: int | None = None  # for a trailing gap: the cases started since that ran long enough


def silent_activities(events: pd.DataFrame, period: RecentPeriod, activities: set[str]) -> list[Silence]:
    """Among ``activities``, those no longer executed in ``period`` though their rate says they should be."""
    before = events[events[TIMESTAMP] < period.start]
    recent = events[events[TIMESTAMP] >= period.start]
    cases_before = before[CASE].nunique()
    cases_recent = recent[CASE].nunique()
    seen_recently = set(recent[ACTIVITY].unique())
    last_seen = events.groupby(ACTIVITY)[TIMESTAMP].max()
    out = []
    if cases_before and cases_recent:
        with_activity = before.groupby(ACTIVITY)[CASE].nunique()
        for activity in sorted(activities - seen_recently):
            if activity not in with_activity.index:
                continue
            expected = with_activity[activity] / cases_before * cases_recent
            if expected >= MIN_EXPECTED:
                cases = int(with_activity[activity])
                out.append(Silence(activity, last_seen[activity], cases, float(expected)))
    found = {s.activity for s in out}
    executed = {a for a in activities if a in last_seen.index}
    return out + _trailing_gaps(events, executed - found, last_seen)


def _trailing_gaps(events: pd.DataFrame, activities: set[str], last_seen: pd.Series) -> list[Silence]:
    """Steps done in the recent period that then stopped: see the module docstring."""
    if not activities:
        return []
    cases = events.groupby(CASE)[TIMESTAMP].agg(["min", "max"])
    ran = cases["max"] - cases["min"]
    mine = events[events[ACTIVITY].isin(activities)]
    reach = (mine[TIMESTAMP] - mine[CASE].map(cases["min"])).groupby(mine[ACTIVITY]).median()
    with_activity = mine.groupby(ACTIVITY)[CASE].nunique()
    out = []
    for activity in sorted(activities):
        seen = last_seen[activity]
        before = int((cases["min"] <= seen).sum())
        since = int(((cases["min"] > seen) & (ran >= reach[activity])).sum())
        if not before or not since:
            continue
        expected = with_activity[activity] / before * since
        if expected >= MIN_EXPECTED_SINCE:
            out.append(Silence(activity, seen, int(with_activity[activity]), float(expected), since))
    return out
