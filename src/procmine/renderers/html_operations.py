"""The operational tables of the report's bottleneck section: waits per handover, rework, time per activity,
who does the work (lanes and resources), the queue in front of the top bottleneck, and the customer's
touchpoints. Each returns None (or nothing) when the analysis behind it did not run, so the template shows
only what was measured."""

from __future__ import annotations

from typing import Any

from procmine.renderers.html_view import Table, fmt, table
from procmine.timefmt import duration

ROWS = 25


def handovers(perf: dict[str, Any], dfg: Any, limit: int) -> Table | None:
    """Waits per handover, largest total wait first (from the DFG without a bottleneck analysis)."""
    rows = perf.get("handovers") or []
    if not rows and isinstance(dfg, list):
        rows = [
            {
                "source": d.get("source"),
                "target": d.get("target"),
                "count": d.get("count"),
                **(d.get("wait_seconds") or {}),
            }
            for d in dfg
        ]
    if not rows:
        return None
    rows = sorted(rows, key=lambda r: -(r.get("total") or 0))
    body = [
        [
            f"{r.get('source')} → {r.get('target')}",
            fmt(r.get("count"), "int"),
            duration(r.get("median")),
            duration(r.get("p90")),
            duration(r.get("total")),
        ]
        for r in rows
    ]
    total = perf.get("handovers_total") or len(rows)
    out = table(
        ["handover", "times", "median wait", "p90 wait", "total wait"],
        body,
        limit,
        [False, True, True, True, True],
    )
    return Table(out.columns, out.rows, max(total, len(rows)), out.numeric)


def rework(perf: dict[str, Any], limit: int) -> Table | None:
    """Activities repeated within cases: rework (the model does not repeat them), documented loops, or
    plain repetitions without a model; what usually comes before a repeat, and what the repeats cost."""
    rework = perf.get("rework") or {}
    rows = rework.get("activities") if isinstance(rework, dict) else rework
    if not rows:
        return None
    body = [
        [
            r.get("activity"),
            r.get("kind") or "repetition",
            fmt(r.get("cases_reworked"), "int"),
            fmt(r.get("rate"), "pct"),
            fmt(r.get("repeats"), "int"),
            f"{r['typical_before']} ({fmt(r.get('typical_before_share'), 'pct')})" if r.get("typical_before")
            else "–",
            duration(r.get("extra_time")),
            duration(r.get("extra_time_per_reworked_case")),
        ]
        for r in rows
    ]
    return table(
        ["activity", "what it is", "cases", "share of cases", "repeats", "usually right after", "extra time",
         "per case"],
        body,
        limit,
        [False, False, True, True, True, False, True, True],
    )


def activity_times(perf: dict[str, Any]) -> Table | None:
    """Per activity: executions, working time (service) and the wait before it, slowest waits first."""
    rows = perf.get("activities") or []
    if not rows:
        return None
    rows = sorted(rows, key=lambda r: -((r.get("wait_before") or {}).get("total") or 0))
    body = [
        [
            r.get("activity"),
            fmt(r.get("executions"), "int"),
            duration((r.get("service") or {}).get("median")),
            duration((r.get("service") or {}).get("p90")),
            duration((r.get("wait_before") or {}).get("median")),
            duration((r.get("wait_before") or {}).get("total")),
        ]
        for r in rows
    ]
    return table(
        ["activity", "executions", "median work", "p90 work", "median wait before", "total wait before"],
        body,
        ROWS,
        [False, True, True, True, True, True],
    )


def workload(perf: dict[str, Any]) -> Table | None:
    """Work per lane of the model when it has lanes, else per resource."""
    resources = perf.get("resources") or {}
    lanes = resources.get("lanes") or []
    if lanes:
        body = [
            [
                lane.get("lane"),
                fmt(lane.get("events"), "int"),
                fmt(lane.get("share"), "pct"),
                fmt(lane.get("resources"), "int"),
                duration(lane.get("busy")),
                ", ".join(lane.get("activities") or []),
            ]
            for lane in lanes
        ]
        columns = ["lane", "events", "share", "resources", "working time", "activities"]
        return table(columns, body, ROWS, [False, True, True, True, True, False])
    people = resources.get("workload") or []
    if not people:
        return None
    body = [
        [
            p.get("resource"),
            fmt(p.get("events"), "int"),
            fmt(p.get("share"), "pct"),
            fmt(p.get("cases"), "int"),
            duration(p.get("busy")),
        ]
        for p in people
    ]
    return table(["resource", "events", "share", "cases", "working time"], body, ROWS, [False, *[True] * 4])


def queue(perf: dict[str, Any]) -> list[tuple[str, str]]:
    """Is the queue in front of the top bottleneck growing? (cases waiting there, per bucket)"""
    q = perf.get("queue") or {}
    if not q.get("source"):
        return []
    return [
        ("handover", f"{q['source']} → {q['target']}"),
        ("trend", str(q.get("trend", "–"))),
        (
            f"cases waiting per {q.get('bucket', 'bucket')}",
            f"{fmt(q.get('mean_queue_first_third'), 'plain')} in the first third of the period, "
            f"{fmt(q.get('mean_queue_last_third'), 'plain')} in the last",
        ),
    ]


def touchpoints(customer: dict[str, Any]) -> list[tuple[str, str]]:
    """Customer-facing steps per case (``--touchpoints``) and the hand-offs between people they feel."""
    t = customer.get("touchpoints") or {}
    if not t:
        return []
    per_case = t.get("per_case") or {}
    out = [
        ("touchpoint activities", ", ".join(t.get("activities") or [])),
        ("touchpoints per case", f"median {fmt(per_case.get('median'), 'plain')}, "
         f"p90 {fmt(per_case.get('p90'), 'plain')}, at most {fmt(per_case.get('max'), 'plain')}"),
        ("cases without a touchpoint", fmt(t.get("cases_without"), "int")),
    ]
    handoffs = t.get("handoffs")
    if handoffs:
        out.append(
            (
                "cases handed between people at touchpoints",
                f"{fmt(handoffs.get('cases_with_handoff'), 'int')} "
                f"({fmt(handoffs.get('share_of_cases'), 'pct')})",
            )
        )
    if t.get("unknown"):
        out.append(("not in the log", ", ".join(t["unknown"])))
    return out


KIND_WORDS = {
    "queue": "internal queue",
    "outside": "customer, partner or timer",
    "no_queueing": "no queueing shown",
    "not_tested": "too few to tell",
}


def waits(data: dict[str, Any], limit: int) -> Table | None:
    """Every long wait with what it is: an internal queue (with its evidence) or a wait on others."""
    rows = (data.get("waits") or {}).get("handovers") or []
    if not rows:
        return None
    body = [
        [
            f"{r['source']} → {r['target']}",
            KIND_WORDS.get(r["kind"], r["kind"]),
            duration(r["median"]),
            duration(r["p90"]),
            fmt(r.get("share_of_case_time"), "pct"),
            duration(r["per_affected_case"]),
            fmt(r["cases"], "int"),
            r["reason"],
        ]
        for r in rows
    ]
    columns = ["handover", "what it is", "median", "p90", "share of case time", "per affected case",
               "cases", "why"]
    return table(columns, body, limit, [False, False, True, True, True, True, True, False])


def waits_on_others(data: dict[str, Any], limit: int) -> list[str]:
    """The customer's view of the waits the model (or --external) puts outside: in words."""
    rows = [r for r in (data.get("waits") or {}).get("handovers") or [] if r["kind"] == "outside"]
    return [
        f"Cases wait {duration(r['median'])} (median; p90 {duration(r['p90'])}) for '{r['target']}' after "
        f"'{r['source']}' in {fmt(r['cases'], 'int')} case{'' if r['cases'] == 1 else 's'}: {r['reason']}."
        for r in rows[:limit]
    ]


def segment_note(customer: dict[str, Any]) -> str:
    """Which case attributes were tested as segments and what came of it, in one sentence or two."""
    seg = customer.get("segments") or {}
    tested = seg.get("tested") or []
    if not seg.get("detected") or not tested:
        return ""
    quiet = [t["column"] for t in tested if not t["matters"]]
    parts = []
    if seg.get("columns"):
        parts.append(f"{len(tested)} case attribute{'s' if len(tested) != 1 else ''} with 2 to 12 values "
                     "tested; shown: those whose groups differ in throughput time, conformance or "
                     "satisfaction (adjusted for the number of tests, and by enough to act on).")
    else:
        parts.append(f"None of the {len(tested)} case attributes tested splits the cases into groups that "
                     "differ in throughput time, conformance or satisfaction.")
    if seg.get("more"):
        parts.append(f"Also different, not shown: {', '.join(seg['more'])}.")
    if quiet and seg.get("columns"):
        parts.append(f"No difference: {', '.join(quiet)}.")
    return " ".join(parts)
