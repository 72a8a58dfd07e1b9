"""The operational tables of the report's bottleneck section: waits per handover, rework, time per activity,
who does the work (lanes and resources), the queue in front of the top bottleneck, and the customer's
touchpoints. Each returns None (or nothing) when the analysis behind it did not run, so the template shows
only what was measured."""

from __future__ import annotations

import dataclasses

from procmine.renderers.html_view import Table, fmt, table
from procmine.sections.customer import CustomerSection
from procmine.sections.performance import PerformanceSection
from procmine.sections.waits import WaitsSection
from procmine.timefmt import duration

ROWS = 25


def handovers(perf: PerformanceSection | None, limit: int) -> Table | None:
    """Waits per handover, largest total wait first (as the analysis ranks them)."""
    if perf is None or not perf.handovers:
        return None
    body = [
        [
            f"{h.source} → {h.target}",
            fmt(h.count, "int"),
            duration(h.median),
            duration(h.p90),
            _share_of_case_time(h.total, perf),
        ]
        for h in perf.handovers
    ]
    out = table(
        ["handover", "times", "median wait", "p90 wait", "share of all case time"],
        body,
        limit,
        [False, True, True, True, True],
    )
    return Table(out.columns, out.rows, max(perf.handovers_total, len(body)), out.numeric)


def _share_of_case_time(total: float | None, perf: PerformanceSection) -> str:
    """A sum of time over all cases as a share of all case time: "76%", not "22,737.8 d", a figure nobody can
    picture (the JSON keeps the sums)."""
    case_time = perf.throughput.total if perf.throughput else None
    if total is None or not case_time:
        return duration(total)
    return fmt(total / case_time, "pct")


def rework(perf: PerformanceSection | None, limit: int) -> Table | None:
    """Activities repeated within cases: rework (the model does not repeat them), documented loops, or
    plain repetitions without a model; what usually comes before a repeat, and what the repeats cost."""
    if perf is None or not perf.rework.activities:
        return None
    body = [
        [
            r.activity,
            r.kind or "repetition",
            fmt(r.cases_reworked, "int"),
            fmt(r.rate, "pct"),
            fmt(r.repeats, "int"),
            f"{r.typical_before} ({fmt(r.typical_before_share, 'pct')})" if r.typical_before else "–",
            _share_of_case_time(r.extra_time, perf),
            duration(r.extra_time_per_reworked_case),
        ]
        for r in perf.rework.activities
    ]
    return table(
        [
            "activity",
            "what it is",
            "cases",
            "share of cases",
            "repeats",
            "usually right after",
            "share of all case time",
            "per case",
        ],
        body,
        limit,
        [False, False, True, True, True, False, True, True],
    )


def activity_times(perf: PerformanceSection | None) -> Table | None:
    """Per activity: executions, working time (service) and the wait before it, slowest waits first."""
    if perf is None or not perf.activities:
        return None
    rows = sorted(perf.activities, key=lambda r: -(r.wait_before.total if r.wait_before else 0))
    body = [
        [
            r.activity,
            fmt(r.executions, "int"),
            duration(r.service.median if r.service else None),
            duration(r.service.p90 if r.service else None),
            duration(r.wait_before.median if r.wait_before else None),
            _share_of_case_time(r.wait_before.total if r.wait_before else None, perf),
        ]
        for r in rows
    ]
    columns = [
        "activity",
        "executions",
        "median work",
        "p90 work",
        "median wait before",
        "wait's share of case time",
    ]
    timed = perf.time_basis == "start_and_complete"
    return _without_untimed(table(columns, body, ROWS, [False, True, True, True, True, True]), timed)


def workload(perf: PerformanceSection | None) -> Table | None:
    """Work per lane of the model when it has lanes, else per resource. Without start times nobody's
    working time is known: the column is left out rather than filled with zeros."""
    resources = perf.resources if perf else None
    timed = perf is not None and perf.time_basis == "start_and_complete"
    if resources and resources.lanes:
        body = [
            [
                lane.lane,
                fmt(lane.events, "int"),
                fmt(lane.share, "pct"),
                fmt(lane.resources, "int"),
                duration(lane.busy),
                ", ".join(lane.activities),
            ]
            for lane in resources.lanes
        ]
        columns = ["lane", "events", "share", "resources", "working time", "activities"]
        return _without_untimed(table(columns, body, ROWS, [False, True, True, True, True, False]), timed)
    if not resources or not resources.workload:
        return None
    body = [
        [p.resource, fmt(p.events, "int"), fmt(p.share, "pct"), fmt(p.cases, "int"), duration(p.busy)]
        for p in resources.workload
    ]
    columns = ["resource", "events", "share", "cases", "working time"]
    return _without_untimed(table(columns, body, ROWS, [False, *[True] * 4]), timed)


WORK_COLUMNS = ("working time", "median work", "p90 work")


def _without_untimed(timed_table: Table, timed: bool) -> Table:
    """The table without its working-time columns when the log has no start times (they would be all
    zeros or all "n/a")."""
    if timed:
        return timed_table
    keep = [i for i, c in enumerate(timed_table.columns) if c not in WORK_COLUMNS]
    return dataclasses.replace(
        timed_table,
        columns=[timed_table.columns[i] for i in keep],
        rows=[[row[i] for i in keep] for row in timed_table.rows],
        numeric=[timed_table.numeric[i] for i in keep],
    )


def queue(perf: PerformanceSection | None) -> list[tuple[str, str]]:
    """Is the queue in front of the top bottleneck growing? (cases waiting there, per bucket)"""
    q = perf.queue if perf else None
    if q is None or not q.source:
        return []
    return [
        ("handover", f"{q.source} → {q.target}"),
        ("trend", q.trend),
        (
            f"cases waiting at the end of a {q.bucket}, on average",
            f"{q.mean_queue_first_third:,.1f} in the first third of the period, "
            f"{q.mean_queue_last_third:,.1f} in the last",
        ),
    ]


def touchpoints(customer: CustomerSection | None) -> list[tuple[str, str]]:
    """Customer-facing steps per case (``--touchpoints``) and the hand-offs between people they feel."""
    t = customer.touchpoints if customer else None
    if t is None:
        return []
    per_case = t.per_case
    out = [
        ("touchpoint activities", ", ".join(t.activities)),
        (
            "touchpoints per case",
            f"median {fmt(per_case.median, 'plain')}, "
            f"p90 {fmt(per_case.p90, 'plain')}, at most {fmt(per_case.max, 'plain')}",
        ),
        ("cases without a touchpoint", fmt(t.cases_without, "int")),
    ]
    if t.handoffs:
        out.append(
            (
                "cases handed between people at touchpoints",
                f"{fmt(t.handoffs.cases_with_handoff, 'int')} ({fmt(t.handoffs.share_of_cases, 'pct')})",
            )
        )
    if t.unknown:
        out.append(("not in the log", ", ".join(t.unknown)))
    return out


KIND_WORDS = {
    "queue": "internal queue",
    "outside": "customer, partner or timer",
    "no_queueing": "no queueing shown",
    "not_tested": "too few to tell",
}


def waits(section: WaitsSection | None, limit: int) -> Table | None:
    """Every long wait with what it is: an internal queue (with its evidence) or a wait on others."""
    if section is None or not section.handovers:
        return None
    body = [
        [
            f"{r.source} → {r.target}",
            KIND_WORDS.get(r.kind, r.kind),
            duration(r.median),
            duration(r.p90),
            fmt(r.share_of_case_time, "pct"),
            duration(r.per_affected_case),
            fmt(r.cases, "int"),
            r.reason,
        ]
        for r in section.handovers
    ]
    columns = [
        "handover",
        "what it is",
        "median",
        "p90",
        "share of case time",
        "per affected case",
        "cases",
        "why",
    ]
    return table(columns, body, limit, [False, False, True, True, True, True, True, False])


def waits_on_others(section: WaitsSection | None, limit: int) -> list[str]:
    """The customer's view of the waits the model (or --external) puts outside: in words."""
    rows = [r for r in section.handovers if r.kind == "outside"] if section else []
    return [
        f"Cases wait {duration(r.median)} (median; p90 {duration(r.p90)}) for '{r.target}' after "
        f"'{r.source}' in {fmt(r.cases, 'int')} case{'' if r.cases == 1 else 's'}: {r.reason}."
        for r in rows[:limit]
    ]


def segment_note(customer: CustomerSection | None) -> str:
    """Which case attributes were tested as segments and what came of it, in one sentence or two."""
    seg = customer.segments if customer else None
    if seg is None or not seg.detected or not seg.tested:
        return ""
    tested = seg.tested
    quiet = [t.column for t in tested if not t.matters]
    parts = []
    if seg.columns:
        parts.append(
            f"{len(tested)} case attribute{'s' if len(tested) != 1 else ''} with 2 to 12 values "
            "tested; shown: those whose groups differ in throughput time, conformance or "
            "satisfaction (adjusted for the number of tests, and by enough to act on)."
        )
    else:
        parts.append(
            f"None of the {len(tested)} case attributes tested splits the cases into groups that "
            "differ in throughput time, conformance or satisfaction."
        )
    if seg.more:
        parts.append(f"Also different, not shown: {', '.join(seg.more)}.")
    if quiet and seg.columns:
        parts.append(f"No difference: {', '.join(quiet)}.")
    return " ".join(parts)
