"""Hand-built inputs for the audit report tests: the documented complaints model (with or without its
layout) and a rich report dict that follows ``report.schema.json`` and the section names.

The figures in the fake report are invented but consistent with each other; the tests that use them check
rendering (escaping, sections, limits), not analysis results.
"""

from __future__ import annotations

import copy
from itertools import pairwise
from typing import Any

from procmine.model.bpmn import Bounds, BpmnModel, Lane, Node, Process, SequenceFlow

LANES = {"cs": ("Customer Service", 0), "sp": ("Specialist", 150), "bo": ("Back Office", 300)}

# id, type, name, lane, x (left), centre row (lane key)
NODES = [
    ("start", "startEvent", "Complaint received", "cs", 80),
    ("register", "userTask", "Register complaint", "cs", 150),
    ("classify", "userTask", "Classify complaint", "cs", 300),
    ("complex", "exclusiveGateway", "Complex?", "cs", 450),
    ("investigate", "userTask", "Investigate issue", "sp", 540),
    ("merge", "exclusiveGateway", None, "cs", 700),
    ("propose", "userTask", "Propose solution", "cs", 790),
    ("accepts", "exclusiveGateway", "Customer accepts?", "cs", 940),
    ("split", "parallelGateway", None, "cs", 1040),
    ("letter", "sendTask", "Send confirmation letter", "bo", 1120),
    ("crm", "serviceTask", "Update CRM record", "sp", 1120),
    ("join", "parallelGateway", None, "cs", 1270),
    ("close", "userTask", "Close complaint", "cs", 1350),
    ("survey", "sendTask", "Send satisfaction survey", "cs", 1500),
    ("end", "endEvent", "Complaint closed", "cs", 1650),
]
FLOWS = [
    ("start", "register"),
    ("register", "classify"),
    ("classify", "complex"),
    ("complex", "investigate", "yes"),
    ("complex", "merge", "no"),
    ("investigate", "merge"),
    ("merge", "propose"),
    ("propose", "accepts"),
    ("accepts", "propose", "no"),
    ("accepts", "split", "yes"),
    ("split", "letter"),
    ("split", "crm"),
    ("letter", "join"),
    ("crm", "join"),
    ("join", "close"),
    ("close", "survey"),
    ("survey", "end"),
]
TASK_NAMES = [n[2] for n in NODES if n[1].endswith("Task")]


def _size(kind: str) -> tuple[float, float]:
    if kind.endswith("Event"):
        return 36, 36
    if kind.endswith("Gateway"):
        return 50, 50
    return 100, 80


def complaints_model(with_di: bool = True, names: dict[str, str] | None = None) -> BpmnModel:
    """The documented complaints process of the brief; ``names`` renames nodes (by id) for escaping tests."""
    names = names or {}
    model = BpmnModel(path="complaints_documented.bpmn", has_di=with_di)
    process = Process(id="complaints", name="Complaint handling", participant_name="Complaints")
    model.processes.append(process)
    lanes = {
        key: Lane(id=f"lane_{key}", name=name, process_id="complaints") for key, (name, _) in LANES.items()
    }
    for line, (node_id, kind, name, lane, x) in enumerate(NODES, start=10):
        w, h = _size(kind)
        cy = LANES[lane][1] + 75
        node = Node(
            id=node_id,
            type=kind,
            name=names.get(node_id, name),
            line=line,
            process_id="complaints",
            lane=LANES[lane][0],
            bounds=Bounds(x, cy - h / 2, w, h) if with_di else None,
        )
        model.nodes[node_id] = node
        process.node_ids.append(node_id)
        lanes[lane].node_ids.append(node_id)
    for i, (source, target, *label) in enumerate(FLOWS):
        flow_id = f"flow_{i}"
        flow = SequenceFlow(id=flow_id, source_id=source, target_id=target, name=label[0] if label else None)
        if with_di:
            s, t = model.nodes[source].bounds, model.nodes[target].bounds
            assert s is not None and t is not None
            flow.waypoints = [(s.x + s.width, s.y + s.height / 2), (t.x, t.y + t.height / 2)]
            if target == "propose" and source == "accepts":  # the rework loop goes over the top
                flow.waypoints = [
                    (s.x + s.width / 2, s.y),
                    (s.x + s.width / 2, 15),
                    (t.x + 50, 15),
                    (t.x + 50, t.y),
                ]
        model.flows[flow_id] = flow
        process.flow_ids.append(flow_id)
        model.nodes[source].outgoing.append(flow_id)
        model.nodes[target].incoming.append(flow_id)
    for key, lane in lanes.items():
        if with_di:
            lane.bounds = Bounds(30, LANES[key][1], 1700, 150)
        process.lanes.append(lane)
    if with_di:
        process.bounds = Bounds(0, 0, 1730, 450)
    return model


def chain_model(tasks: int) -> BpmnModel:
    """A process of ``tasks`` tasks one after the other, without a layout (dot lays it out left to right)."""
    process = Process(id="P", name="A long process")
    model = BpmnModel(path="long.bpmn", processes=[process])
    ids = ["start", *(f"t{k}" for k in range(tasks)), "end"]
    for node_id in ids:
        kind = {"start": "startEvent", "end": "endEvent"}.get(node_id, "task")
        model.nodes[node_id] = Node(node_id, kind, f"Step {node_id}", process_id="P")
        process.node_ids.append(node_id)
    for k, (a, b) in enumerate(pairwise(ids)):
        model.flows[f"f{k}"] = SequenceFlow(f"f{k}", a, b, process_id="P")
        process.flow_ids.append(f"f{k}")
        model.nodes[a].outgoing.append(f"f{k}")
        model.nodes[b].incoming.append(f"f{k}")
    return model


def graph_model(
    nodes: list[tuple[str, str]], flows: list[tuple[str, str]], path: str = "graph.bpmn"
) -> BpmnModel:
    """A process of the given (id, kind) nodes and (source, target) flows, without a layout; a task is
    named by its id."""
    process = Process(id="P", name="P")
    model = BpmnModel(path=path, processes=[process])
    for node_id, kind in nodes:
        model.nodes[node_id] = Node(node_id, kind, node_id if kind == "task" else "", process_id="P")
        process.node_ids.append(node_id)
    for k, (a, b) in enumerate(flows):
        model.flows[f"f{k}"] = SequenceFlow(f"f{k}", a, b, process_id="P")
        process.flow_ids.append(f"f{k}")
        model.nodes[a].outgoing.append(f"f{k}")
        model.nodes[b].incoming.append(f"f{k}")
    return model


def _finding(
    code, kind, category, severity, message, impact, metrics, advice=None, **where
) -> dict[str, Any]:
    out = {
        "code": code,
        "kind": kind,
        "category": category,
        "severity": severity,
        "message": message,
        **where,
        "metrics": metrics,
        "impact": impact,
    }
    if advice:
        out["advice"] = advice
    return out


DAY = 86400.0


def arc(source: str, target: str, count: int, median: float, p90: float, mean: float) -> dict[str, Any]:
    """A dfg row as ``procmine discover`` writes it."""
    waits = {"median": median, "p90": p90, "mean": mean, "min": 0.0, "max": 4 * p90, "total": mean * count}
    return {"source": source, "target": target, "count": count, "cases": count, "wait_seconds": waits}


def handover(source: str, target: str, count: int, median: float, p90: float, mean: float) -> dict[str, Any]:
    """A performance.handovers row."""
    return {
        "source": source,
        "target": target,
        "count": count,
        "median": median,
        "p90": p90,
        "mean": mean,
        "total": mean * count,
        "max": 4 * p90,
        "cases": count,
        "overlaps": 0,
    }


def task(name: str, element_id: str, executed: int, skipped: int, last_seen: str) -> dict[str, Any]:
    """A conformance.tasks row (3000 cases checked)."""
    return {
        "task": name,
        "element_ids": [element_id],
        "activity": name,
        "mandatory": True,
        "cases_executed": executed,
        "cases_skipped": skipped,
        "cases_out_of_order": 0,
        "model_moves": skipped,
        "first_seen": "2026-01-02T08:00:00Z",
        "last_seen": last_seen,
        "skip_share": round(skipped / 3000, 4),
    }


FAKE_REPORT: dict[str, Any] = {
    "schema": "procmine.report/1",
    "procmine_version": "0.1.0",
    "command": "audit",
    "parameters": {"sla": "5d", "min_fitness": 0.8, "pseudonymize": False},
    "log": {
        "path": "sample_logs/complaints.csv",
        "format": "csv",
        "cases": 3000,
        "events": 26000,
        "activities": 11,
        "first_timestamp": "2026-01-01T08:00:00Z",
        "last_timestamp": "2026-09-30T17:00:00Z",
        "columns": {
            "case": "Complaint ID",
            "activity": "Activity",
            "timestamp": "Complete Timestamp",
            "start": "Start Timestamp",
            "resource": "Agent",
            "lifecycle": None,
        },
        "case_attributes": ["Channel", "Product", "Satisfaction", "Segment"],
        "quality": {
            "rows_read": 26010,
            "rows_used": 26000,
            "rows_dropped": 10,
            "dropped": {
                "missing_case_id": 4,
                "missing_activity": 0,
                "unparseable_timestamp": 6,
                "duplicate_event": 0,
                "unpaired_lifecycle": 0,
            },
            "lifecycle_pairs": 0,
            "out_of_order_cases": 0,
            "future_events": 0,
            "single_event_cases": 0,
            "timezone": "UTC",
            "notes": [],
        },
    },
    "model": {
        "path": "sample_logs/complaints_documented.bpmn",
        "origin": "documented",
        "process_id": "complaints",
        "process_name": "Complaint handling",
        "selected_by": "only process",
        "processes": [
            {"id": "complaints", "name": "Complaint handling", "tasks": 8, "matching_activities": 8}
        ],
        "tasks": 8,
        "net": {"places": 20, "transitions": 20, "silent_transitions": 12, "completion": "sink"},
        "exporter": None,
        "warnings": [],
        "has_layout": True,
    },
    "variants": {
        "total": 42,
        "cases": 3000,
        "top": [
            {
                "rank": 1,
                "activities": [
                    "Register complaint",
                    "Classify complaint",
                    "Propose solution",
                    "Update CRM record",
                    "Close complaint",
                ],
                "length": 5,
                "cases": 900,
                "share": 0.3,
                "cumulative_share": 0.3,
            },
            {
                "rank": 2,
                "activities": [
                    "Register complaint",
                    "Propose solution",
                    "Call customer back",
                    "Close complaint",
                ],
                "length": 4,
                "cases": 450,
                "share": 0.15,
                "cumulative_share": 0.45,
            },
        ],
        "variants_to_cover": {"50": 3, "80": 10, "90": 20, "95": 30},
        "coverage_curve": [
            {"variants": 1, "cases_share": 0.3},
            {"variants": 2, "cases_share": 0.45},
            {"variants": 10, "cases_share": 0.82},
            {"variants": 42, "cases_share": 1.0},
        ],
    },
    "throughput": {
        "cases": 3000,
        "seconds": {
            "min": 3600.0,
            "max": 30 * DAY,
            "mean": 7.2 * DAY,
            "total": 3000 * 7.2 * DAY,
            "p10": DAY,
            "p25": 3 * DAY,
            "median": 6.5 * DAY,
            "p75": 9 * DAY,
            "p90": 14 * DAY,
            "p95": 18 * DAY,
        },
        "histogram": [
            {"from": 0.0, "to": 5 * DAY, "cases": 1200},
            {"from": 5 * DAY, "to": 10 * DAY, "cases": 1300},
            {"from": 10 * DAY, "to": 20 * DAY, "cases": 500},
        ],
    },
    "dfg": [
        arc("Classify complaint", "Investigate issue", 1200, 3 * DAY, 6 * DAY, 3.2 * DAY),
        arc("Register complaint", "Classify complaint", 2550, 3600.0, 7200.0, 4000.0),
        arc("Propose solution", "Call customer back", 750, 5 * 3600.0, DAY, 8 * 3600.0),
    ],
    "conformance": {
        "method": "optimal alignments (r4pm), once per variant",
        "cost_function": {"log_move": 10000, "model_move": 10000, "silent_move": 1, "sync_move": 0},
        "cases": 3000,
        "variants": 42,
        "fitness": 0.91,
        "average_trace_fitness": 0.93,
        "fitting_cases": 1950,
        "fitting_share": 0.65,
        "coverage": {
            "variants_aligned": 42,
            "variants_not_aligned": 0,
            "cases_aligned": 3000,
            "cases_not_aligned": 0,
            "share_of_cases": 1.0,
            "reasons": {},
            "limits": {"time_cap_seconds": 10.0, "time_budget_seconds": None, "max_states": 100000},
            "fitness_bounds": None,
        },
        "precision": 0.84,
        "precision_method": "escaping edges over the alignments",
        "precision_note": None,
        "case_fitness": {
            "histogram": [{"from": 0.9, "to": 1.0, "cases": 1050}],
            "worst_cases": [],
            "values": [{"fitness": 0.95, "cases": 1050}],
        },
        "recent_period": None,
        "thresholds": {"min_fitness": 0.8, "max_skip_share": 0.05, "max_order_share": 0.05},
        "model_relations": {"computed": True, "reason": None, "states": 20, "mandatory_tasks": []},
        "matching": {"matched": [], "unmatched_tasks": [], "unmatched_activities": [], "ambiguous": []},
        "tasks": [
            task("Classify complaint", "classify", 2550, 450, "2026-09-30T10:00:00Z"),
            task("Send confirmation letter", "letter", 1900, 1100, "2026-06-30T12:00:00Z"),
            task("Register complaint", "register", 3000, 0, "2026-09-30T10:00:00Z"),
        ],
        "choices": [],
        "activities": [],
    },
    "performance": {
        "time_basis": "start_and_complete",
        "cases": 3000,
        "throughput": {
            "count": 3000,
            "median": 6.5 * DAY,
            "p90": 14 * DAY,
            "mean": 7.2 * DAY,
            "total": 3000 * 7.2 * DAY,
        },
        "throughput_bins": [{"bin": 1140, "cases": 1000}, {"bin": 1300, "cases": 2000}],
        "bottlenecks": [],
        "handovers": [
            handover("Classify complaint", "Investigate issue", 1200, 3 * DAY, 6 * DAY, 3.2 * DAY),
            handover("Propose solution", "Call customer back", 750, 5 * 3600.0, DAY, 8 * 3600.0),
            handover("Register complaint", "Classify complaint", 2550, 3600.0, 7200.0, 4000.0),
        ],
        "handovers_total": 3,
        "activities": [],
        "rework": {
            "basis": "documented model",
            "cases_with_rework": 0,
            "rate": 0.0,
            "cases_with_repetition": 0,
            "repetition_rate": 0.0,
            "extra_time": 0.0,
            "min_rate": 0.05,
            "activities": [],
        },
        "sla": None,
        "resources": {"workload": None, "lanes": None, "handovers": None},
        "queue": None,
    },
    "customer": {
        "min_sample": 30,
        "segments": {
            "detected": True,
            "columns": [],
            "by_column": {},
            "more": [],
            "tested": [],
            "max_shown": 3,
            "min_group": 30,
        },
        "satisfaction": None,
        "touchpoints": None,
    },
    "periods": {
        "basis": "case end",
        "timezone": "UTC",
        "granularity": "quarter",
        "min_cases": 30,
        "open_cases": {"cases": 0, "rule": "none open"},
        "quarters": [
            {
                "period": "2026-Q1",
                "start": "2026-01-01T00:00:00Z",
                "end": "2026-04-01T00:00:00Z",
                "partial": False,
                "cases": 980,
                "events": 8500,
                "throughput_median": 6 * DAY,
                "throughput_p90": 13 * DAY,
                "throughput_mean": 6.4 * DAY,
                "sla_breach_rate": 0.55,
                "mean_fitness": 0.93,
                "conforming_share": 0.7,
            },
            {
                "period": "2026-Q2",
                "start": "2026-04-01T00:00:00Z",
                "end": "2026-07-01T00:00:00Z",
                "partial": False,
                "cases": 1010,
                "events": 8700,
                "throughput_median": 6.5 * DAY,
                "throughput_p90": 14 * DAY,
                "throughput_mean": 7.0 * DAY,
                "sla_breach_rate": 0.6,
                "mean_fitness": 0.92,
                "conforming_share": 0.66,
            },
            {
                "period": "2026-Q3",
                "start": "2026-07-01T00:00:00Z",
                "end": "2026-10-01T00:00:00Z",
                "partial": False,
                "cases": 1010,
                "events": 8800,
                "throughput_median": 7 * DAY,
                "throughput_p90": 15 * DAY,
                "throughput_mean": 7.5 * DAY,
                "sla_breach_rate": 0.62,
                "mean_fitness": 0.88,
                "conforming_share": 0.6,
            },
        ],
        "months": [],
        "change": None,
        "no_change": "fewer than two full quarters to compare",
        "throughput_histogram": [
            {"low": 0.0, "high": 5 * DAY, "count": 1200},
            {"low": 5 * DAY, "high": 10 * DAY, "count": 1300},
            {"low": 10 * DAY, "high": 20 * DAY, "count": 500},
        ],
    },
    "summary": {"findings": 4, "by_severity": {"error": 1, "warning": 3, "info": 0}},
    "findings": [
        _finding(
            "C001",
            "outdated_step",
            "conformance",
            "error",
            "'Send confirmation letter' has not been executed since 2026-06-30",
            1100.0,
            {"last_seen": "2026-06-30T12:00:00Z", "cases_before": 1900, "cases_recent": 0},
            "Remove the step from the documented process, or find out why it stopped.",
            element_id="letter",
            activity="Send confirmation letter",
        ),
        _finding(
            "P001",
            "bottleneck",
            "performance",
            "warning",
            "Cases wait 3.0 d (median) between 'Classify complaint' and 'Investigate issue'",
            3840 * DAY,
            {
                "median_wait": 3 * DAY,
                "p90_wait": 6 * DAY,
                "total_wait": 3840 * DAY,
                "cases": 1200,
                "throughput_share": 0.41,
            },
            source="Classify complaint",
            target="Investigate issue",
        ),
        _finding(
            "C002",
            "undocumented_step",
            "conformance",
            "warning",
            "'Call customer back' happens in 25% of cases but is not in the model",
            750.0,
            {"cases": 750, "share": 0.25, "typically_after": "Propose solution"},
            activity="Call customer back",
        ),
        _finding(
            "C003",
            "skipped_step",
            "conformance",
            "warning",
            "'Classify complaint' is skipped in 15% of cases",
            450.0,
            {"cases": 450, "share": 0.15},
            element_id="classify",
            activity="Classify complaint",
        ),
    ],
}


def fake_report(**overrides: Any) -> dict[str, Any]:
    """A deep copy of the fake report, with top-level keys replaced."""
    data = copy.deepcopy(FAKE_REPORT)
    data.update(overrides)
    return data
