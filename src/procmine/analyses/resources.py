"""The resource view: who does the work, per lane when the model has lanes, who hands work to whom, and
whether the queue in front of the top bottleneck grows over time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from procmine.engine import times
from procmine.engine.waits import queue_over_time
from procmine.timefmt import iso_utc

if TYPE_CHECKING:
    from procmine.analyses.bottlenecks import Timing
    from procmine.model.bpmn import BpmnModel

NOT_IN_MODEL = "(not in the model)"
MIN_BUCKETS = 6  # fewer days/weeks than this say nothing about a trend
GROWTH = 1.2  # the queue grows when the last third of the period averages 20 % more than the first third


def workload(timing: Timing, top: int = 20) -> list[dict[str, Any]] | None:
    """Per resource, most events first; None when the log names no resources."""
    if not timing.log.has_resources:
        return None
    rows = times.resource_workload(timing.con)
    total = int(rows["events"].sum()) or 1
    return [
        {
            "resource": r["resource"],
            "events": int(r["events"]),
            "share": r["events"] / total,
            "cases": int(r["cases"]),
            "activities": int(r["activities"]),
            "busy": float(r["busy"]),
        }
        for r in rows.head(top).to_dict("records")
    ]


def lane_workload(timing: Timing, model: BpmnModel | None) -> list[dict[str, Any]] | None:
    """Events, busy time and resources per lane of the model (activities matched by their label)."""
    if model is None:
        return None
    lane_of: dict[str, str] = {}
    for node in model.nodes.values():
        if node.is_task and node.label and node.lane:
            lane_of.setdefault(node.label, node.lane)
    if not lane_of:
        return None
    lanes: dict[str, dict[str, Any]] = {}
    for r in times.activity_workload(timing.con).to_dict("records"):
        lane = lane_of.get(r["activity"], NOT_IN_MODEL)
        entry = lanes.setdefault(
            lane, {"lane": lane, "events": 0, "busy": 0.0, "activities": [], "res": set()}
        )
        entry["events"] += int(r["events"])
        entry["busy"] += float(r["busy"])
        entry["activities"].append(r["activity"])
        entry["res"].update(r["resources"] if r["resources"] is not None else [])
    total = sum(e["events"] for e in lanes.values()) or 1
    out = []
    for lane in sorted(lanes):
        e = lanes[lane]
        out.append(
            {
                "lane": lane,
                "events": e["events"],
                "share": e["events"] / total,
                "busy": e["busy"],
                "activities": sorted(e["activities"]),
                "resources": len(e["res"]),
            }
        )
    return out


def resource_handovers(timing: Timing, top: int = 20) -> dict[str, Any] | None:
    """Work passed between different resources within a case, most frequent first."""
    if not timing.log.has_resources:
        return None
    rows = times.resource_handovers(timing.con)
    steps = times.transitions(timing.con)
    count = int(rows["count"].sum()) if len(rows) else 0
    return {
        "handovers": count,
        "share_of_transitions": count / steps if steps else None,
        "pairs": [
            {"source": r["source"], "target": r["target"], **times.stats_of(r)}
            for r in rows.head(top).to_dict("records")
        ],
    }


def queue_growth(timing: Timing, source: str, target: str) -> dict[str, Any] | None:
    """Cases waiting between ``source`` and ``target`` at the end of each day or week, and the trend."""
    first, last = timing.span
    span = float(last - first) if timing.case_count else 0.0
    bucket, unit = (7 * 86400.0, "week") if span > 90 * 86400 else (86400.0, "day")
    if span < 2 * 86400:
        bucket, unit = 3600.0, "hour"
    rows = queue_over_time(timing.con, source, target, bucket)
    if rows.empty:
        return None
    queue = rows["queue"].to_numpy(dtype=float)
    third = max(1, len(queue) // 3)
    early, late = float(queue[:third].mean()), float(queue[-third:].mean())
    slope = float(np.polyfit(np.arange(len(queue)), queue, 1)[0]) if len(queue) > 1 else 0.0
    if len(queue) < MIN_BUCKETS:
        trend = "too few periods"
    elif late > early * GROWTH and late - early >= 1:
        trend = "growing"
    elif early > late * GROWTH and early - late >= 1:
        trend = "shrinking"
    else:
        trend = "stable"
    return {
        "source": source,
        "target": target,
        "bucket": unit,
        "trend": trend,
        "slope_per_bucket": slope,
        "mean_queue_first_third": early,
        "mean_queue_last_third": late,
        "series": [
            {"end": iso_utc(r["t_end"]), "queue": int(r["queue"]), "arrivals": int(r["arrivals"])}
            for r in rows.to_dict("records")
        ],
    }
