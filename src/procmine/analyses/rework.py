"""Rework: activities repeated within a case, how often, and the time the repeats cost.

The extra time of a repeated execution is its sojourn time (the wait before it plus its service): the time
the case would not have spent had the first execution been enough.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from procmine.analyses.bottlenecks import human_duration
from procmine.engine import times
from procmine.findings import Finding, Location, Severity, catalogued

if TYPE_CHECKING:
    from procmine.analyses.bottlenecks import Timing

MIN_RATE = 0.05  # report an activity when at least this share of all cases repeats it
WARNING_RATE = 0.20


def analyse_rework(timing: Timing, min_rate: float = MIN_RATE) -> tuple[dict[str, Any], list[Finding]]:
    cases = len(timing.cases)
    rows = times.repeats(timing.con)
    reworked = times.reworked_cases(timing.con)
    activities = []
    for r in rows[rows["repeats"] > 0].to_dict("records"):
        activities.append(
            {
                "activity": r["activity"],
                "cases_with_activity": int(r["cases_with_activity"]),
                "cases_reworked": int(r["cases_reworked"]),
                "repeats": int(r["repeats"]),
                "rate": r["cases_reworked"] / cases,
                "rate_where_executed": r["cases_reworked"] / r["cases_with_activity"],
                "extra_time": float(r["extra_time"]),
                "extra_time_per_reworked_case": float(r["extra_time"]) / r["cases_reworked"],
            }
        )
    section = {
        "cases_with_rework": reworked,
        "rate": reworked / cases if cases else None,
        "extra_time": sum(a["extra_time"] for a in activities),
        "min_rate": min_rate,
        "activities": activities,
    }
    findings = [_finding(a, timing.file) for a in activities if a["rate"] >= min_rate]
    return section, findings


def _finding(item: dict[str, Any], file: str) -> Finding:
    return catalogued(
        kind="rework",
        severity=Severity.WARNING if item["rate"] >= WARNING_RATE else Severity.INFO,
        message=(
            f"'{item['activity']}' is repeated in {item['cases_reworked']:,} cases "
            f"({item['rate']:.0%} of all cases, {item['repeats']:,} repeats), "
            f"costing {human_duration(item['extra_time'])} in total "
            f"({human_duration(item['extra_time_per_reworked_case'])} per reworked case)"
        ),
        location=Location(file=file, activity=item["activity"]),
        metrics={
            "cases_reworked": item["cases_reworked"],
            "repeats": item["repeats"],
            "rate": item["rate"],
            "rate_where_executed": item["rate_where_executed"],
            "extra_time": item["extra_time"],
            "extra_time_per_reworked_case": item["extra_time_per_reworked_case"],
        },
        impact=round(item["rate"], 4),  # the share of cases reworked
        advice="Find out why the first execution was not enough (missing information, rejected proposals).",
    )
