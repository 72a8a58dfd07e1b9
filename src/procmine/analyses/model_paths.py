"""What the documented model says about the waits and repetitions of its tasks, read off the BPMN graph.

- **predecessors**: the tasks directly before a task, walking back over sequence flows through gateways and
  events (and through tasks the log never records). In a parallel branch a task's predecessor is the task
  before it *in its branch*, not whatever happened to finish last in the other branch; after a join it is
  every task that feeds the join. The wait before a task is measured from the latest of its predecessors
  in the case: the moment the model enabled it.
- **waits on others**: a wait before a ``receiveTask``, behind a message, timer, signal or conditional catch
  event or an event-based gateway, or before a task in a lane or pool named for a customer, client,
  partner, supplier or another outside party (or in another pool than the process checked) is a wait on
  someone outside the organisation, or on the clock: not a queue.
- **repeatable**: tasks on a cycle of the flow, and loop or multi-instance tasks. Their repetition is
  documented, not rework.

Task names are translated to log activities with the conformance check's matching; tasks no log activity
matches are looked through (the log cannot say when they happened).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from procmine.model.bpmn import SUBPROCESS_TYPES, TASK_TYPES

if TYPE_CHECKING:
    from procmine.model.bpmn import BpmnModel, Node

OUTSIDE_WORDS = re.compile(
    r"\b(customers?|clients?|partners?|suppliers?|vendors?|applicants?|citizens?|third.?part(y|ies)|external)\b",
    re.IGNORECASE,
)
CATCH_REASONS = {
    "messageEventDefinition": "a message event",
    "timerEventDefinition": "a timer event",
    "signalEventDefinition": "a signal event",
    "conditionalEventDefinition": "a conditional event",
}


@dataclass(frozen=True)
class ModelPaths:
    predecessors: dict[str, frozenset[str]] = field(default_factory=dict)  # activity -> activities
    waits_on_others: dict[str, str] = field(default_factory=dict)  # activity -> why (in words)
    repeatable: frozenset[str] = frozenset()  # activities the model lets repeat


def model_paths(model: BpmnModel, names: Mapping[str, str], process_id: str | None = None) -> ModelPaths:
    """``names``: model task label -> log activity (the check's matching). ``process_id``: the process
    checked; tasks of other processes (pools) are waits on another party."""
    predecessors: dict[str, set[str]] = {}
    outside: dict[str, str] = {}
    repeatable: set[str] = set()
    for node in model.nodes.values():
        activity = names.get(node.label) if node.type in TASK_TYPES else None
        if activity is None:
            continue
        before, events = _walk_back(model, node, names)
        predecessors.setdefault(activity, set()).update(before)
        why = _outside_reason(model, node, events, process_id)
        if why and activity not in outside:
            outside[activity] = why
        if node.loop or _on_cycle(model, node):
            repeatable.add(activity)
    return ModelPaths(
        predecessors={a: frozenset(p) for a, p in sorted(predecessors.items())},
        waits_on_others=dict(sorted(outside.items())),
        repeatable=frozenset(repeatable),
    )


def _flow_sources(model: BpmnModel, node: Node) -> list[Node]:
    return [
        model.nodes[model.flows[f].source_id]
        for f in node.incoming
        if f in model.flows and model.flows[f].source_id in model.nodes
    ]


def _incoming_nodes(model: BpmnModel, node: Node) -> list[Node]:
    """The nodes a token comes from into ``node``."""
    if node.type in SUBPROCESS_TYPES:  # walking back into a sub-process: it ends with its end events
        return [n for n in model.nodes.values() if n.parent_id == node.id and n.type == "endEvent"]
    out = _flow_sources(model, node)
    if node.type == "boundaryEvent" and node.attached_to in model.nodes:
        out.append(model.nodes[node.attached_to])
    if node.type == "startEvent" and node.parent_id in model.nodes:  # a sub-process starts when entered
        out.extend(_flow_sources(model, model.nodes[node.parent_id]))
    return out


def _walk_back(model: BpmnModel, task: Node, names: Mapping[str, str]) -> tuple[set[str], set[str]]:
    """The activities of the recorded tasks directly before ``task``, and the catch events (event
    definitions, or ``eventBasedGateway``) passed on the way."""
    found: set[str] = set()
    events: set[str] = set()
    seen: set[str] = set()  # not the task itself: on a loop it is its own predecessor
    todo = _flow_sources(model, task)
    while todo:
        node = todo.pop()
        if node.id in seen:
            continue
        seen.add(node.id)
        activity = names.get(node.label) if node.type in TASK_TYPES else None
        if activity is not None:
            found.add(activity)
            continue
        if node.type in ("intermediateCatchEvent", "boundaryEvent"):
            events.update(node.event_definitions)
        if node.type == "eventBasedGateway":
            events.add("eventBasedGateway")
        todo.extend(_incoming_nodes(model, node))
    return found, events


def _outside_reason(model: BpmnModel, node: Node, events: set[str], process_id: str | None) -> str | None:
    if node.type == "receiveTask":
        return "a receive task (it waits for a message from outside)"
    for definition, words in CATCH_REASONS.items():
        if definition in events:
            return f"{words} before it"
    if "eventBasedGateway" in events:
        return "an event-based gateway before it (it waits for whichever event comes first)"
    if node.lane and OUTSIDE_WORDS.search(node.lane):
        return f"the lane '{node.lane}'"
    process = next((p for p in model.processes if p.id == node.process_id), None)
    if process is not None:
        if process.participant_name and OUTSIDE_WORDS.search(process.participant_name):
            return f"the pool '{process.participant_name}'"
        if process_id and process.id != process_id and len(model.processes) > 1:
            return f"another pool ('{process.display_name}')"
    return None


def _on_cycle(model: BpmnModel, start: Node) -> bool:
    """Can the flow lead from ``start`` back to it (at the same sub-process level or through its parent)?"""
    todo = [model.flows[f].target_id for f in start.outgoing if f in model.flows]
    seen: set[str] = set()
    while todo:
        node_id = todo.pop()
        if node_id == start.id:
            return True
        if node_id in seen or node_id not in model.nodes:
            continue
        seen.add(node_id)
        node = model.nodes[node_id]
        todo.extend(model.flows[f].target_id for f in node.outgoing if f in model.flows)
        if node.type == "endEvent" and node.parent_id in model.nodes:  # leaving a sub-process
            parent = model.nodes[node.parent_id]
            todo.extend(model.flows[f].target_id for f in parent.outgoing if f in model.flows)
    return False
