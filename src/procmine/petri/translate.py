"""Translate a BPMN process into a Petri net for conformance checking and soundness analysis.

API::

    translate(model, process_id=None) -> Translation        # one process (by id, pool id or name)
    translate_all(model) -> list[Translation]                # every process that has flow nodes

``process_id=None`` picks the process with the most activities (the main pool of a collaboration).
Each ``Translation`` has the ``net``, its ``initial`` and ``final`` markings, the ``warnings`` about
constructs that are only approximated or left out, and ``element_of`` (transition name -> BPMN element id).

How the net ends: a process completes when no tokens are left (BPMN semantics). When at most one branch
can reach an end at a time, end events put their token on a ``sink`` place and the final marking is
``{sink: 1}`` (the classic workflow net). When several branches can end separately (a parallel split
into two end events, a non-interrupting boundary event's own end), end events consume their token and the
final marking is empty: ``completion == "empty"``. Both are exact; the first is what most tools expect.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from dataclasses import dataclass, field

from procmine.errors import InputError
from procmine.model.bpmn import ACTIVITY_TYPES, BpmnModel, Process
from procmine.petri.builder import Builder, TranslationWarning
from procmine.petri.net import Marking, PetriNet, Place, Transition
from procmine.petri.reduce import reduce_net

__all__ = ["Translation", "TranslationWarning", "lean", "select_process", "translate", "translate_all"]

# How many markings to look at when deciding whether several branches can end at once.
END_CHECK_LIMIT = 2_000


@dataclass
class Translation:
    process_id: str
    process_name: str
    net: PetriNet
    initial: Marking
    final: Marking
    warnings: list[TranslationWarning] = field(default_factory=list)
    completion: str = "sink"  # "sink": final = {sink: 1}; "empty": final = {} (see module docstring)

    @property
    def element_of(self) -> dict[str, str]:
        """Transition name -> id of the BPMN element it was translated from."""
        return {t.name: t.element_id for t in self.net.transitions if t.element_id is not None}

    def transitions_of(self, element_id: str) -> list[Transition]:
        return [t for t in self.net.transitions if t.element_id == element_id]

    @property
    def labels(self) -> set[str]:
        """The task labels a log can match."""
        return self.net.labels()


def select_process(model: BpmnModel, process_id: str | None = None) -> Process:
    """The process named by id, pool (participant) id, or name; by default the one with most activities."""
    if not model.processes:
        raise InputError(model.path, "the model has no process")
    if process_id is None:
        return max(model.processes, key=lambda p: sum(n.type in ACTIVITY_TYPES for n in model.nodes_of(p)))
    for process in model.processes:
        if process_id in (process.id, process.participant_id):
            return process
    for process in model.processes:
        if process_id in (process.name, process.participant_name, process.display_name):
            return process
    choices = ", ".join(f'"{p.id}" ({p.display_name})' for p in model.processes)
    raise InputError(model.path, f'no process or pool "{process_id}"; the model has: {choices}')


def translate(model: BpmnModel, process_id: str | None = None) -> Translation:
    """The Petri net of one process (see the module docstring). Raises InputError for an unknown process."""
    process = select_process(model, process_id)
    if not model.nodes_of(process):
        return Translation(
            process.id,
            process.display_name,
            PetriNet(name=process.id),
            {},
            {},
            [
                TranslationWarning(
                    process.id, "process", process.line, "process has no flow nodes: nothing to check"
                )
            ],
            completion="empty",
        )
    builder, initial, final = _build(model, process, sink=True, absorb=frozenset())
    if builder.concurrent:
        vanish, absorb = _ends_reached_together(builder, initial)
        if vanish or absorb:
            builder, initial, final = _build(model, process, sink=not vanish, absorb=absorb)
    return Translation(
        process.id,
        process.display_name,
        builder.net,
        initial,
        final,
        builder.warnings,
        completion="sink" if builder.sink is not None else "empty",
    )


def lean(translation: Translation) -> Translation:
    """The same translation with its net reduced (``procmine.petri.reduce``): the same visible traces from
    the start to the end, far fewer silent steps. Conformance checks this one; lint the full one, whose
    places and transitions each stand for one BPMN element."""
    reduced = reduce_net(translation.net, translation.initial, translation.final)
    return dataclasses.replace(translation, net=reduced.net, initial=reduced.initial, final=reduced.final)


def translate_all(model: BpmnModel) -> list[Translation]:
    """One translation per process that has flow nodes, in document order."""
    return [translate(model, p.id) for p in model.processes if model.nodes_of(p)]


def _build(model: BpmnModel, process: Process, *, sink: bool, absorb: frozenset[str]):
    builder = Builder(model, process, sink=sink, absorb=absorb)
    alternatives, sink_place = builder.build()
    net = builder.net
    if not alternatives:
        builder.warn(
            None,
            "process has no start event and no activity without incoming flow: nothing can run",
            process.id,
            "process",
        )
        initial: Marking = {}
    elif len(alternatives) == 1:
        initial = _marking(alternatives[0])
    else:
        source = net.add_place("source")
        for n, places in enumerate(alternatives, 1):
            net.connect([source], net.add_transition(f"start:{n}", None, None, "start"), places)
        initial = {source: 1}
    final = {sink_place: 1} if sink_place is not None else {}
    return builder, initial, final


def _marking(places: list[Place]) -> Marking:
    marking: Marking = {}
    for place in places:
        marking[place] = marking.get(place, 0) + 1
    return marking


def _ends_reached_together(builder: Builder, initial: Marking) -> tuple[bool, frozenset[str]]:
    """Whether two tokens can reach the sink (or a sub-process's exit) at once, by bounded exploration.

    When the bound is hit first we assume the sink can: the empty final marking is exact either way, the
    sink only a convenience. Markings are tuples of counts here: this runs for every concurrent model.
    The transitions tried from a marking are those its marked places feed, in the order of the places.
    """
    net = builder.net
    index = {place: i for i, place in enumerate(net.places)}
    pre = [tuple(index[p] for p in net.preset(t)) for t in net.transitions]
    post = [tuple(index[p] for p in net.postset(t)) for t in net.transitions]
    consumers: list[list[int]] = [[] for _ in net.places]
    for t, places in enumerate(pre):
        for i in places:
            consumers[i].append(t)
    watched = {index[place]: sub for sub, place in builder.collectors.items()}
    sink = index[builder.sink] if builder.sink is not None else None
    start: dict[int, int] = {}
    for place, count in initial.items():
        start[index[place]] = start.get(index[place], 0) + count
    seen = {_sparse(start)}
    queue = deque(seen)
    vanish, absorb = False, set()
    while queue:
        marking = dict(queue.popleft())  # the marked places, in increasing order
        if sink is not None and marking.get(sink, 0) >= 2:
            vanish = True
        absorb.update(sub for i, sub in watched.items() if marking.get(i, 0) >= 2)
        candidates = {t for i in marking for t in consumers[i]}
        for t in candidates:
            if all(i in marking for i in pre[t]):
                after = dict(marking)
                for i in pre[t]:
                    after[i] = after.get(i, 0) - 1
                for i in post[t]:
                    after[i] = after.get(i, 0) + 1
                key = _sparse(after)
                if key not in seen:
                    if len(seen) >= END_CHECK_LIMIT:
                        return True, frozenset(absorb)
                    seen.add(key)
                    queue.append(key)
    return vanish, frozenset(absorb)


def _sparse(counts: dict[int, int]) -> tuple[tuple[int, int], ...]:
    """A marking as (place index, tokens) for its marked places, in increasing order of place: a few
    pairs rather than a count for each of hundreds of places."""
    return tuple(sorted(item for item in counts.items() if item[1]))
