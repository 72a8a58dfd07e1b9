"""What the audit paints on the documented model's diagram, joined to the model's element ids.

Log activities are tied to model tasks through the conformance section's task rows (which carry the
matching: exact, normalised, fuzzy or ``--map``); without them, through task labels that equal the
activity name. Skip shares are the task rows' (skipped cases over all cases checked); outdated tasks come
from ``outdated_step`` findings; undocumented activities from ``undocumented_step`` findings (placed after
the task they typically follow); waits from the performance section's handovers (or the DFG), restricted to
handovers between documented tasks; the bottleneck findings mark theirs red.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from procmine.sections.conformance import ConformanceSection
from procmine.sections.diagram import Handover, Reality, TaskPaint, UndocumentedActivity
from procmine.sections.performance import PerformanceSection
from procmine.sections.statistics import Arc

if TYPE_CHECKING:
    from procmine.findings import Finding, Report
    from procmine.model.bpmn import BpmnModel


def model_overlay(report: Report, model: BpmnModel) -> Reality:
    """The figures of ``report`` placed on ``model``'s tasks and flows."""
    by_label: dict[str, list[str]] = {}
    for node in model.tasks():
        by_label.setdefault(node.label, []).append(node.id)
    tasks, by_activity = _task_paints(report.section(ConformanceSection), by_label)
    for label, ids in by_label.items():
        by_activity.setdefault(label, list(ids))
    _mark_outdated(tasks, report.findings, model, by_activity)
    return Reality(
        tasks=tasks,
        undocumented=_undocumented(report.findings, by_activity),
        handovers=_handovers(report, by_activity),
    )


def _task_paints(
    conf: ConformanceSection | None, by_label: dict[str, list[str]]
) -> tuple[dict[str, TaskPaint], dict[str, list[str]]]:
    """Element id -> its paint, and log activity -> the element ids of its tasks."""
    tasks: dict[str, TaskPaint] = {}
    by_activity: dict[str, list[str]] = {}
    for row in conf.tasks if conf else []:
        for element_id in row.element_ids or by_label.get(row.task, []):
            tasks[element_id] = TaskPaint(row.skip_share, row.cases_executed, None)
            if row.activity:
                by_activity.setdefault(row.activity, []).append(element_id)
    return tasks, by_activity


def _mark_outdated(
    tasks: dict[str, TaskPaint], findings: list[Finding], model: BpmnModel, by_activity: dict[str, list[str]]
) -> None:
    for f in findings:
        if f.kind != "outdated_step":
            continue
        where = f.location
        if where.element_id in model.nodes:
            ids = [where.element_id]
        else:
            ids = by_activity.get(where.activity or "", [])
        last = f.metrics.get("last_seen")
        note = f"not executed since {last[:10]}" if last else "never executed"
        for element_id in ids:
            old = tasks.get(element_id, TaskPaint())
            tasks[element_id] = TaskPaint(old.skip_share, old.executed_cases, note)


def _undocumented(findings: list[Finding], by_activity: dict[str, list[str]]) -> list[UndocumentedActivity]:
    out = []
    for f in findings:
        if f.kind != "undocumented_step" or not f.location.activity:
            continue
        after = f.metrics.get("typically_after")
        anchor = (by_activity.get(after) or [None])[0] if after else None
        out.append(UndocumentedActivity(f.location.activity, anchor, f.metrics.get("share")))
    return out


def _handovers(report: Report, by_activity: dict[str, list[str]]) -> list[Handover]:
    """Waits between documented tasks: the performance section's handovers, or the DFG's without one."""
    hot = {(f.location.source, f.location.target) for f in report.findings if f.kind == "bottleneck"}
    perf = report.section(PerformanceSection)
    if perf is not None and perf.handovers:
        rows = [(h.source, h.target, h.count, h.median) for h in perf.handovers]
    else:
        rows = [(a.source, a.target, a.count, a.wait_seconds.median) for a in report.rows(Arc)]
    out = []
    for source, target, count, median in rows:
        if median is None:
            continue
        for s in by_activity.get(source, []):
            for t in by_activity.get(target, []):
                out.append(Handover(s, t, float(median), int(count or 0), (source, target) in hot))
    return out
