"""Repetition and rework: activities repeated within a case, how often, what comes before a repeat, and the
time the repeats cost.

**Rework** is a repetition the documented model does not allow: the step is on no loop of the model, so the
first execution should have been enough. A repetition the model allows (a documented loop: a customer
rejecting a proposal, a lab test taken every day) is reported as repetition, without blame. Without a model
nobody can tell rework from a routine repeat: procmine says "repeated" and names the step that usually comes
right before a repeat.

The extra time of a repeated execution is its sojourn time (the wait before it plus its service): the time
the case would not have spent had the first execution been enough.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from procmine.analyses.significance import share_text
from procmine.engine import repeats as repeat_sql
from procmine.engine import times
from procmine.findings import Finding, Location, Severity, catalogued
from procmine.timefmt import duration

if TYPE_CHECKING:
    from procmine.analyses.bottlenecks import Timing
    from procmine.analyses.model_paths import ModelPaths

MIN_RATE = 0.05  # report an activity when at least this share of all cases repeats it
WARNING_RATE = 0.20
REWORK, LOOP, REPEATED = "rework", "documented loop", "repetition"
LOOP_ADVICE = (
    "The documented process repeats this step (a loop), so this is no rework. Check that the repeats are "
    "needed, and what they cost."
)


def analyse_rework(
    timing: Timing, paths: ModelPaths | None = None, min_rate: float = MIN_RATE
) -> tuple[dict[str, Any], list[Finding]]:
    """The ``rework`` part of the performance section and its findings. ``paths`` (from the documented
    model) says which activities the model documents and which it lets repeat."""
    cases = timing.case_count
    rows = times.repeats(timing.con)
    before = repeat_sql.step_before_repeats(timing.con).set_index("activity")
    activities = []
    for r in rows[rows["repeats"] > 0].to_dict("records"):
        name = str(r["activity"])
        activities.append(
            {
                "activity": name,
                "kind": _kind(name, paths),
                "cases_with_activity": int(r["cases_with_activity"]),
                "cases_reworked": int(r["cases_reworked"]),
                "repeats": int(r["repeats"]),
                "rate": r["cases_reworked"] / cases,
                "rate_where_executed": r["cases_reworked"] / r["cases_with_activity"],
                "extra_time": float(r["extra_time"]),
                "extra_time_per_reworked_case": float(r["extra_time"]) / r["cases_reworked"],
                "typical_before": str(before.at[name, "before"]) if name in before.index else None,
                "typical_before_share": float(before.at[name, "share"]) if name in before.index else None,
            }
        )
    repeated = times.reworked_cases(timing.con)
    reworked = (
        repeat_sql.cases_repeating(timing.con, [a["activity"] for a in activities if a["kind"] == REWORK])
        if paths is not None
        else None
    )
    section = {
        "basis": "documented model" if paths is not None else "no model",
        "cases_with_rework": reworked,
        "rate": reworked / cases if reworked is not None and cases else None,
        "cases_with_repetition": repeated,
        "repetition_rate": repeated / cases if cases else None,
        "extra_time": sum(a["extra_time"] for a in activities),
        "min_rate": min_rate,
        "activities": activities,
    }
    case_time = timing.total_throughput
    findings = [_finding(a, timing.file, case_time) for a in activities if a["rate"] >= min_rate]
    return section, findings


def _kind(activity: str, paths: ModelPaths | None) -> str:
    if paths is None or activity not in paths.predecessors:  # no model, or a step it does not document
        return REPEATED
    return LOOP if activity in paths.repeatable else REWORK


def _finding(item: dict[str, Any], file: str, case_time: float) -> Finding:
    """``case_time``: the throughput time of all cases together, the base of the repeats' share.

    Its impact is what the repeats cost, their share of all case time, the unit a bottleneck ranks by, so a
    loop that takes no time does not outrank a queue; the share of cases repeating it when there are no times.
    """
    rework = item["kind"] == REWORK
    share = item["extra_time"] / case_time if case_time > 0 else None
    return catalogued(
        kind="rework" if rework else "repetition",
        severity=Severity.WARNING if rework and item["rate"] >= WARNING_RATE else Severity.INFO,
        message=_message(item, share),
        location=Location(file=file, activity=item["activity"]),
        metrics={
            "cases_repeating_it": item["cases_reworked"],
            "repeats": item["repeats"],
            "share_of_cases": item["rate"],
            "share_of_cases_with_it": item["rate_where_executed"],
            "extra_time": item["extra_time"],
            "extra_time_per_case": item["extra_time_per_reworked_case"],
            "share_of_case_time": round(share, 4) if share is not None else None,
        },
        impact=round(share if share is not None else item["rate"], 4),
        advice=LOOP_ADVICE if item["kind"] == LOOP else None,
    )


def _message(item: dict[str, Any], share: float | None) -> str:
    cases = item["cases_reworked"]
    repeats = item["repeats"]
    what = (
        f"'{item['activity']}' is repeated in {cases:,} case{'' if cases == 1 else 's'} "
        f"({share_text(item['rate'])} of all cases, {repeats:,} repeat{'' if repeats == 1 else 's'})"
    )
    if item["kind"] == REWORK:
        what += ", although the documented model does not repeat it"
    elif item["kind"] == LOOP:
        what += ", as the documented model allows (a loop)"
    if item["typical_before"] is not None:
        what += f"; a repeat usually comes right after '{item['typical_before']}'"
        what += f" ({item['typical_before_share']:.0%} of repeats)"
    cost = f"{duration(item['extra_time_per_reworked_case'])} per case that repeats it"
    if share is not None:
        cost += f", {share_text(share)} of all case time"
    return f"{what}. The repeats take {cost}."
