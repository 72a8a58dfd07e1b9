"""Boundary events and event sub-processes: leaving or joining an activity while it runs.

A Petri-net transition is atomic, so "while the activity runs" means "while its token waits in one of its
places": the entry place of a task, every place inside a flattened sub-process.

- Interrupting: a silent transition takes the token from any of those places to the boundary event's
  outgoing flows; the activity does not complete. On a sub-process with parallel branches the other
  branches' tokens are not removed (plain nets cannot): named in a warning.
- Non-interrupting: the boundary path starts alongside the activity, at most once per activation (a timer
  cycle firing repeatedly is approximated by once). For a sub-process an *armed* place, put there on entry,
  turns into *fired* when the boundary event occurs; leaving the sub-process takes whichever is there.
- Event sub-processes are handled like a boundary event on their enclosing scope: they may start
  whenever that scope holds a token (warning: approximation); a non-interrupting one at most once (an
  armed token placed when the scope starts, which a silent *disarm* may drop so the scope can end).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product
from typing import TYPE_CHECKING, Protocol

from procmine.model.bpmn import BpmnModel, Node, Process
from procmine.petri.net import PetriNet, Place, Transition
from procmine.petri.scope import Scope

if TYPE_CHECKING:
    from procmine.petri.structure import ProcessGraph


@dataclass
class Hosts:
    """What boundary events and event sub-processes attach to, recorded while the activities are built."""

    tasks: dict[str, Transition] = field(default_factory=dict)  # task id -> its labelled transition
    task_places: dict[str, list[Place]] = field(default_factory=dict)  # task id -> places it can start from
    inner_places: dict[str, tuple[list[Place], bool]] = field(default_factory=dict)  # sub-process -> places,
    # and whether its branches can run at the same time
    flags: dict[str, list[tuple[Place, Place]]] = field(default_factory=dict)  # sub-process -> (armed, fired)
    flag_places: set[Place] = field(default_factory=set)
    done: set[str] = field(default_factory=set)  # boundary events translated


class Writer(Protocol):
    """What this module needs from the net builder (``procmine.petri.builder.Builder``)."""

    model: BpmnModel
    process: Process
    graph: ProcessGraph
    hosts: Hosts
    net: PetriNet

    @property
    def scope(self) -> Scope: ...

    def warn(self, node: Node | None, message: str) -> None: ...

    def place(self, name: str, element_id: str | None = None) -> Place: ...

    def silent(
        self, name: str, element_id: str | None, kind: str, inputs: list, outputs: list
    ) -> Transition: ...

    def outputs(self, node: Node) -> list[Place]: ...

    def translate_scope(self, scope: Scope, nodes: list[Node]) -> None: ...


def non_interrupting(builder: Writer, host: Node) -> list[Node]:
    return [
        n
        for n in builder.graph.boundaries.get(host.id, [])
        if not n.cancel_activity and "compensateEventDefinition" not in n.event_definitions
    ]


def arm_flags(builder: Writer, host: Node) -> list[Place]:
    """The armed places a sub-process puts on entry, one per non-interrupting boundary event."""
    pairs = []
    for event in non_interrupting(builder, host):
        armed = builder.place(f"armed:{event.id}", event.id)
        fired = builder.place(f"fired:{event.id}", event.id)
        builder.hosts.flag_places.update((armed, fired))
        pairs.append((armed, fired))
    builder.hosts.flags[host.id] = pairs
    return [armed for armed, _ in pairs]


def flag_variants(builder: Writer, host_id: str) -> list[list[Place]]:
    """Every way the flags of a sub-process can be when it is left: armed or fired, per boundary event."""
    return [list(v) for v in product(*builder.hosts.flags.get(host_id, []))] or [[]]


def close_flags(builder: Writer, host: Node, exit_place: Place) -> Place:
    """The place the sub-process is left from once its flags are taken back (``exit_place`` if none)."""
    if not builder.hosts.flags.get(host.id):
        return exit_place
    closed = builder.place(f"closed:{host.id}", host.id)
    for n, variant in enumerate(flag_variants(builder, host.id), 1):
        builder.silent(f"close:{host.id}:{n}", host.id, "exit", [exit_place, *variant], [closed])
    return closed


def add_boundary(builder: Writer, event: Node) -> None:
    host = builder.model.nodes.get(event.attached_to or "")
    if host is None or host.process_id != builder.process.id:
        builder.warn(
            event, f'attached to "{event.attached_to}", which is no activity of this process; left out'
        )
        return
    if "compensateEventDefinition" in event.event_definitions:
        builder.warn(event, "compensation boundary event: compensation is not translated")
        return
    outs = builder.outputs(event)
    builder.scope.concurrent |= len(builder.graph.outgoing.get(event.id, [])) > 1
    if host.id in builder.hosts.inner_places:
        places, inner_concurrent = builder.hosts.inner_places[host.id]
        places = [p for p in places if p not in builder.hosts.flag_places]
        if event.cancel_activity:
            if inner_concurrent:
                builder.warn(
                    event,
                    "interrupting boundary event on a sub-process with parallel branches: the other branches "
                    "are not cancelled in the net (approximation)",
                )
            variants = flag_variants(builder, host.id)
            for n, place in enumerate(places, 1):
                for m, variant in enumerate(variants, 1):
                    builder.silent(
                        f"boundary:{event.id}:{n}:{m}", event.id, "boundary", [place, *variant], outs
                    )
        else:
            armed, fired = next(
                pair for pair in builder.hosts.flags[host.id] if pair[0].element_id == event.id
            )
            for n, place in enumerate(places, 1):
                builder.silent(
                    f"boundary:{event.id}:{n}", event.id, "boundary", [place, armed], [place, fired, *outs]
                )
            builder.scope.concurrent = True
    elif host.id in builder.hosts.tasks:
        _on_task(builder, event, host, outs)
    else:
        builder.warn(event, "the activity it is attached to is not translated; left out")


def _on_task(builder: Writer, event: Node, host: Node, outs: list[Place]) -> None:
    places = builder.hosts.task_places[host.id]
    if event.cancel_activity:
        for n, place in enumerate(places, 1):
            builder.silent(f"boundary:{event.id}:{n}", event.id, "boundary", [place], outs)
        return
    task = builder.hosts.tasks[host.id]
    if len(places) == 1:  # first non-interrupting event: the task may also run after it has fired
        again = builder.place(f"again:{host.id}", host.id)
        places.append(again)
        builder.net.connect(
            [again],
            builder.net.add_transition(host.id, task.label, host.id, "task"),
            builder.net.postset(task),
        )
    builder.silent(f"boundary:{event.id}", event.id, "boundary", [places[0]], [places[1], *outs])
    builder.scope.concurrent = True


def add_event_sub_process(builder: Writer, node: Node) -> None:
    enclosing = builder.scope
    triggers = [p for p in enclosing.places if p not in builder.hosts.flag_places]
    inner = Scope(owner=node, end=enclosing.end)
    builder.translate_scope(inner, builder.graph.children.get(node.id, []))
    starts = [n for n in builder.graph.children.get(node.id, []) if n.type == "startEvent"]
    interrupting = any(n.is_interrupting for n in starts) if starts else True
    if not inner.alternatives:
        builder.warn(node, "event sub-process has no start event; left out")
        return
    builder.warn(
        node,
        "event sub-process: translated as able to start at any point while its parent runs, "
        + ("cancelling it (approximation)" if interrupting else "alongside it, at most once (approximation)"),
    )
    if interrupting:
        for n, place in enumerate(triggers, 1):
            for m, alternative in enumerate(inner.alternatives, 1):
                builder.silent(f"trigger:{node.id}:{n}:{m}", node.id, "boundary", [place], alternative)
    else:
        armed = builder.place(f"armed:{node.id}", node.id)
        builder.hosts.flag_places.add(armed)
        enclosing.alternatives = [[*alternative, armed] for alternative in enclosing.alternatives]
        builder.silent(f"disarm:{node.id}", node.id, "boundary", [armed], [])  # it may never start
        for n, place in enumerate(triggers, 1):
            for m, alternative in enumerate(inner.alternatives, 1):
                builder.silent(
                    f"trigger:{node.id}:{n}:{m}", node.id, "boundary", [place, armed], [place, *alternative]
                )
    enclosing.concurrent |= not interrupting or inner.concurrent
