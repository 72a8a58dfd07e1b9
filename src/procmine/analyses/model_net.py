"""From the documented BPMN model to what the conformance check needs: a ``NetSpec`` per process, where
each task sits in the file, and which process of a collaboration to check.

Which process: ``--process ID|NAME`` names one (process id, pool id or name). Otherwise, when the model
has several processes with tasks, the one whose task names match the most log activities (normalised
names) is checked; ties go to the process with the most activities. The report names the choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from procmine.analyses.conformance_findings import TaskPlace
from procmine.analyses.matching import normalise
from procmine.errors import InputError

if TYPE_CHECKING:
    from pathlib import Path

    from procmine.adapter.netspec import NetSpec
    from procmine.model.bpmn import BpmnModel
    from procmine.petri.translate import Translation


def netspec_from_translation(translation: Any) -> NetSpec:
    """procmine's own Petri net (``procmine.petri``) as plain data; transition ids are transition names."""
    from procmine.adapter.netspec import NetSpec, TransitionSpec

    net = translation.net
    arcs: dict[tuple[str, str], int] = {}
    for arc in net.arcs:
        key = (arc.source.name, arc.target.name)
        arcs[key] = arcs.get(key, 0) + 1
    return NetSpec(
        places=tuple(p.name for p in net.places),
        transitions=tuple(TransitionSpec(t.name, t.label, t.element_id) for t in net.transitions),
        arcs=tuple((s, t, w) for (s, t), w in arcs.items()),
        initial={p.name: int(n) for p, n in translation.initial.items() if n},
        final={p.name: int(n) for p, n in translation.final.items() if n},
        name=translation.process_id,
    )


def refuse_broken_references(model: BpmnModel, process_id: str, path: str | Path) -> None:
    """A model whose sequence flows or boundary events point at elements it does not have is incomplete:
    checking a log against what is left of it would give a fitness against a different process. Exit 2
    with the first such reference (``procmine lint`` lists them all)."""
    for flow in model.flows_of(next(p for p in model.processes if p.id == process_id)):
        for end, ref in (("source", flow.source_id), ("target", flow.target_id)):
            if ref not in model.nodes:
                raise InputError(
                    path,
                    f"sequence flow {flow.id!r} (line {flow.line}) has {end} {ref!r}, which is not in the "
                    "model; fix the model first (procmine lint lists every problem)",
                )
    for node in model.nodes.values():
        if (
            node.process_id == process_id
            and node.type == "boundaryEvent"
            and node.attached_to not in model.nodes
        ):
            raise InputError(
                path,
                f"boundary event {node.id!r} (line {node.line}) is attached to {node.attached_to!r}, which "
                "is not in the model; fix the model first (procmine lint lists every problem)",
            )


def task_places(model: BpmnModel, net: NetSpec) -> dict[str, TaskPlace]:
    """task label -> its BPMN element(s): the first in file order gives the finding's id and line."""
    found: dict[str, list[tuple[int, str]]] = {}
    for t in net.transitions:
        if t.label is None or t.element_id is None:
            continue
        node = model.nodes.get(t.element_id)
        line = node.line if node is not None and node.line else 0
        found.setdefault(t.label, []).append((line, t.element_id))
    places = {}
    for label, elements in found.items():
        elements = sorted(set(elements))
        line, element_id = elements[0]
        places[label] = TaskPlace(model.path, element_id, line or None, tuple(e for _, e in elements))
    return places


def choice_places(model: BpmnModel, places: dict[str, TaskPlace]) -> dict[frozenset[str], TaskPlace]:
    """Where a choice between tasks sits: for each gateway, the set of task labels its outgoing flows lead
    to directly -> the gateway's place. Findings about a skipped choice point at it."""
    label_of = {element: label for label, place in places.items() for element in place.element_ids}
    out: dict[frozenset[str], TaskPlace] = {}
    for node in model.nodes.values():
        if not node.is_gateway or len(node.outgoing) < 2:
            continue
        targets = {model.flows[f].target_id for f in node.outgoing if f in model.flows}
        labels = frozenset(label_of[t] for t in targets if t in label_of)
        if len(labels) >= 2:
            out.setdefault(labels, TaskPlace(model.path, node.id, node.line, (node.id,)))
    return out


@dataclass(frozen=True)
class ProcessChoice:
    translation: Any
    how: str  # "named" | "only process" | "best match with the log"
    candidates: list[dict[str, Any]]  # every process with tasks: id, name, tasks, matching activities
    others: tuple[Any, ...] = ()  # the translations of the other processes (pools) with tasks


def other_process_activities(choice: ProcessChoice, log_activities: set[str]) -> dict[str, str]:
    """Log activity -> the name of the other process (pool) that documents it, for activities the checked
    process does not know: they are documented, just in another pool, so they are neither undocumented
    steps nor deviations of this one."""
    own = {normalise(label) for label in choice.translation.labels}
    by_name: dict[str, str] = {}
    for other in choice.others:
        for label in other.labels:
            by_name.setdefault(normalise(label), other.process_name or other.process_id)
    return {
        a: by_name[normalise(a)]
        for a in sorted(log_activities)
        if normalise(a) in by_name and normalise(a) not in own
    }


def _with_flow_nodes(model: BpmnModel, translation: Translation) -> Translation:
    """The translation, unless its process is empty: then the model is refused, in one line naming the file
    (an empty process cannot complete, and a warning plus an error about it would say less)."""
    process = next((p for p in model.processes if p.id == translation.process_id), None)
    if process is not None and not model.nodes_of(process):
        raise InputError(model.path, f"process {process.id!r} has no flow nodes: nothing to check")
    return translation


def choose_process(model: BpmnModel, log_activities: set[str], process: str | None) -> ProcessChoice:
    from procmine.petri.translate import translate, translate_all

    if process is not None:
        named = _with_flow_nodes(model, translate(model, process))
        others = tuple(t for t in translate_all(model) if t.labels and t.process_id != named.process_id)
        return ProcessChoice(named, "named", [], others)
    translations = [t for t in translate_all(model) if t.labels]
    if not translations:
        translations = [_with_flow_nodes(model, translate(model))]
    folded = {normalise(a) for a in log_activities}
    scored = []
    for order, t in enumerate(translations):
        matching = sum(1 for label in t.labels if label in log_activities or normalise(label) in folded)
        scored.append((matching, len(t.labels), -order, t))
    candidates = [
        {"id": t.process_id, "name": t.process_name, "tasks": n, "matching_activities": m}
        for m, n, _, t in scored
    ]
    if len(translations) == 1:
        return ProcessChoice(translations[0], "only process", candidates)
    best = max(scored, key=lambda s: s[:3])[3]
    others = tuple(t for t in translations if t is not best)
    return ProcessChoice(best, "best match with the log", candidates, others)
