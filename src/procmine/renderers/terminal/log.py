"""The log block: what was read, which columns fed it, what reading it cost, and what looks wrong.

For ``inspect`` the block also lists every activity with its counts (other commands show activity
figures in their own blocks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from procmine.renderers.shares import share_text
from procmine.sections.log import ReadingCost
from procmine.sections.statistics import ActivityStats

if TYPE_CHECKING:
    from procmine.findings import Report

ROLES = (
    ("case", "case id"),
    ("activity", "activity"),
    ("timestamp", "timestamp"),
    ("start", "start time"),
    ("resource", "resource"),
    ("lifecycle", "lifecycle"),
)


def lines(report: Report) -> list[str]:
    log = report.log
    if log is None:
        return []
    q = log.quality
    out = [
        f"Log        {log.path} ({log.format})",
        f"Cases      {log.cases:,}",
        f"Events     {log.events:,}",
        f"Activities {log.activities:,}",
        f"Period     {log.first_timestamp} .. {log.last_timestamp}"
        if log.first_timestamp
        else "Period     unknown: the log has no timestamps (events in file order within each case)",
    ]
    columns = log.columns.to_dict()
    used = [f"{label} = {columns[role]!r}" for role, label in ROLES if columns.get(role)]
    if used:
        out.append(f"Columns    {', '.join(used)}")
    if log.case_attributes:
        out.append(_case_attributes(log.case_attributes))
    out.append(f"Rows       {q.rows_read:,} read, {q.rows_used:,} used, {q.rows_dropped:,} dropped")
    for reason, count in q.dropped.items():
        if count:
            out.append(f"  dropped  {count:,} {reason.replace('_', ' ')}")
    out.extend(_quality_flags(q))
    activities = report.rows(ActivityStats)
    if report.command == "inspect" and activities:
        out.append("")
        out.extend(_activity_table(activities))
    return out


def _quality_flags(q: ReadingCost) -> list[str]:
    out = []
    if q.lifecycle_pairs:
        out.append(f"  merged   {q.lifecycle_pairs:,} lifecycle start events into their completion")
    if q.set_aside:
        kinds = ", ".join(f"{n:,} {word}" for word, n in q.set_aside.items())
        out.append(f"  set aside {kinds} (lifecycle transitions that are not executions; not dropped)")
    if (q.timezone or "UTC") != "UTC":
        out.append(f"  times    without an offset read in {q.timezone}")
    flags = (
        (q.out_of_order_cases, "cases with events out of time order in the file"),
        (q.future_events, "events dated in the future"),
        (q.single_event_cases, "cases with a single event"),
    )
    for count, text in flags:
        if count:
            out.append(f"  flag     {count:,} {text}")
    for note in q.notes or []:
        out.append(f"  note     {note}")
    return out


def _activity_table(activities: list[ActivityStats]) -> list[str]:
    width = min(max(len("Activity"), *(len(a.activity) for a in activities)), 60)
    out = [f"{'Activity':<{width}}  {'events':>9}  {'cases':>8}  {'of cases':>8}"]
    for a in activities:
        name = a.activity if len(a.activity) <= width else a.activity[: width - 1] + "…"
        out.append(f"{name:<{width}}  {a.events:>9,}  {a.cases:>8,}  {share_text(a.case_share, 1):>8}")
    return out


SHOWN_ATTRIBUTES = 12


def _case_attributes(names: list[str]) -> str:
    """The case attributes, the first dozen by name: a log with 170 of them (BPIC 2020's permits) would
    otherwise fill the screen with one line."""
    if len(names) <= SHOWN_ATTRIBUTES:
        return f"Case attributes {', '.join(names)}"
    rest = len(names) - SHOWN_ATTRIBUTES
    shown = ", ".join(names[:SHOWN_ATTRIBUTES])
    return f"Case attributes {len(names):,}: {shown}, and {rest:,} more (--format json lists them all)"
