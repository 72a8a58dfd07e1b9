"""What to paint on the documented diagram, read off a report's plain serialisation.

Log activities are tied to model tasks through the conformance section's task rows (which carry the
matching: exact, normalised, fuzzy or ``--map``); without them, through task labels that equal the
activity name. Skip shares are skipped cases over all cases checked; outdated tasks come from
``outdated_step`` findings; undocumented activities from ``undocumented_step`` findings (placed after the
task they typically follow); waits from the performance section's handovers (or the DFG), restricted to
handovers between documented tasks; the bottleneck findings mark theirs red.
"""

from __future__ import annotations

from typing import Any

from procmine.model.bpmn import BpmnModel
from procmine.renderers.svg.bpmn_diagram import Handover, Reality, TaskPaint, UndocumentedActivity


def reality(data: dict[str, Any], model: BpmnModel) -> Reality:
    conf = data.get("conformance") or {}
    checked = conf.get("cases") or (data.get("log") or {}).get("cases") or 0
    by_activity: dict[str, list[str]] = {}  # log activity -> element ids of its tasks
    by_label: dict[str, list[str]] = {}
    for node in model.tasks():
        by_label.setdefault(node.label, []).append(node.id)
    tasks: dict[str, TaskPaint] = {}
    for row in conf.get("tasks") or []:
        ids = row.get("element_ids") or ([row["element_id"]] if row.get("element_id") else [])
        ids = ids or by_label.get(row.get("task") or "", [])
        skipped = row.get("cases_skipped")
        share = row.get("skip_share")
        if share is None and skipped is not None and checked:
            share = skipped / checked
        for element_id in ids:
            tasks[element_id] = TaskPaint(share, row.get("cases_executed"), None)
            if row.get("activity"):
                by_activity.setdefault(row["activity"], []).append(element_id)
    for label, ids in by_label.items():
        by_activity.setdefault(label, list(ids))

    findings = data.get("findings") or []
    for f in findings:
        if f.get("kind") != "outdated_step":
            continue
        ids = (
            [f["element_id"]]
            if f.get("element_id") in model.nodes
            else by_activity.get(f.get("activity", ""), [])
        )
        last = (f.get("metrics") or {}).get("last_seen")
        note = f"not executed since {last[:10]}" if last else "never executed"
        for element_id in ids:
            old = tasks.get(element_id, TaskPaint())
            tasks[element_id] = TaskPaint(old.skip_share, old.executed_cases, note)

    undocumented = []
    for f in findings:
        if f.get("kind") != "undocumented_step" or not f.get("activity"):
            continue
        metrics = f.get("metrics") or {}
        after = metrics.get("typically_after") or metrics.get("after")
        anchor = (by_activity.get(after) or [None])[0] if after else None
        undocumented.append(UndocumentedActivity(f["activity"], anchor, metrics.get("share")))

    hot = {(f.get("source"), f.get("target")) for f in findings if f.get("kind") == "bottleneck"}
    perf = data.get("performance") or {}
    rows = perf.get("handovers") or [
        {
            "source": d.get("source"),
            "target": d.get("target"),
            "count": d.get("count"),
            **(d.get("wait_seconds") or {}),
        }
        for d in data.get("dfg") or []
    ]
    handovers = []
    for r in rows:
        if r.get("median") is None:
            continue
        for s in by_activity.get(r.get("source") or "", []):
            for t in by_activity.get(r.get("target") or "", []):
                pair = (r.get("source"), r.get("target"))
                handovers.append(Handover(s, t, float(r["median"]), int(r.get("count") or 0), pair in hot))
    return Reality(tasks=tasks, undocumented=undocumented, handovers=handovers)
