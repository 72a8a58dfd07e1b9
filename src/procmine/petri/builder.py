"""Build the Petri net of one BPMN process, construct by construct (see docs/bpmn-support.md).

One place per sequence flow; each flow node becomes transitions that take a token from its incoming
flows' places and put tokens on its outgoing flows' places. Tasks are labelled transitions, everything
else is silent. Expanded sub-processes are flattened between a silent *enter* and *exit*. Whatever is only
approximated, or left out, is reported as a ``TranslationWarning`` naming the element; nothing is dropped
silently. ``procmine.petri.translate`` drives this and decides how the net ends.
"""

from __future__ import annotations

from dataclasses import dataclass

from procmine.model.bpmn import ACTIVITY_TYPES, SUBPROCESS_TYPES, BpmnModel, Node, Process
from procmine.petri.boundary import Hosts, add_boundary, add_event_sub_process, arm_flags, close_flags
from procmine.petri.inclusive import MAX_INCLUSIVE_BRANCHES, branch_combinations
from procmine.petri.net import PetriNet, Place, Transition
from procmine.petri.scope import Scope
from procmine.petri.structure import ProcessGraph, is_link_catch

CONCURRENT_GATEWAYS = frozenset({"parallelGateway", "inclusiveGateway", "complexGateway"})


@dataclass(frozen=True)
class TranslationWarning:
    """An element procmine could not translate faithfully: named, located and explained."""

    element_id: str
    element_type: str
    line: int | None
    message: str


class Builder:
    """Writes the net: the process graph (``structure``) in, places and transitions out. The activities that
    boundary events attach to are recorded in ``hosts`` (``boundary``)."""

    def __init__(self, model: BpmnModel, process: Process, *, sink: bool, absorb: frozenset[str]):
        self.model = model
        self.process = process
        self.graph = ProcessGraph.read(model, process)
        self.net = PetriNet(name=process.id)
        self.warnings: list[TranslationWarning] = []
        self.use_sink = sink
        self.absorb = absorb  # sub-processes whose end may be reached by several branches at once
        self.flow_place: dict[str, Place] = {}
        self.entries: dict[str, Place] = {}
        self.scope_stack: list[Scope] = []
        self.collectors: dict[str, Place] = {}  # sub-process id -> its exit place (for the end check)
        self.sink: Place | None = None
        self.concurrent = False  # anywhere in the process
        self.memos: dict[tuple[str, tuple[str, ...]], Place] = {}
        self.hosts = Hosts()

    # ---- helpers ---------------------------------------------------------------------------------------

    def warn(
        self,
        node: Node | None,
        message: str,
        element_id: str = "",
        element_type: str = "",
        line: int | None = None,
    ) -> None:
        if node is not None:
            element_id, element_type, line = node.id, node.type, node.line
        self.warnings.append(TranslationWarning(element_id, element_type, line, message))

    def place(self, name: str, element_id: str | None = None) -> Place:
        created = self.net.add_place(name, element_id)
        for scope in self.scope_stack:
            scope.places.append(created)
        return created

    def silent(self, name: str, element_id: str | None, kind: str, inputs, outputs) -> Transition:
        return self.net.connect(inputs, self.net.add_transition(name, None, element_id, kind), outputs)

    @property
    def scope(self) -> Scope:
        return self.scope_stack[-1]

    # ---- the whole process -----------------------------------------------------------------------------

    def build(self) -> tuple[list[list[Place]], Place | None]:
        """Translate the process; returns its start alternatives and the sink (None: tokens vanish)."""
        for remark in self.graph.remarks:
            flow = remark.flow
            self.warn(None, remark.message, flow.id, "sequenceFlow", flow.line)
        for flow in self.graph.usable:
            self.flow_place[flow.id] = self.net.add_place(f"flow:{flow.id}", flow.id)
        self.sink = self.net.add_place("sink") if self.use_sink else None
        top = Scope(owner=None, end=self.sink)
        self.translate_scope(top, self.graph.children.get(None, []))
        for node in self.model.nodes_of(self.process):
            if node.type == "boundaryEvent" and node.id not in self.hosts.done:
                self.warn(
                    node, f'attached to "{node.attached_to}", which is no activity of this process; left out'
                )
        return top.alternatives, self.sink

    def translate_scope(self, scope: Scope, nodes: list[Node]) -> None:
        """The nodes of a process or sub-process, then its boundary events and event sub-processes."""
        self.scope_stack.append(scope)
        for place in self.flow_place_in(nodes):
            for enclosing in self.scope_stack:
                enclosing.places.append(place)
        translatable = []
        for node in nodes:
            if node.type == "boundaryEvent" or (node.type in SUBPROCESS_TYPES and node.triggered_by_event):
                continue  # translated with their host / their enclosing scope
            if node.is_for_compensation:
                self.warn(
                    node, "compensation handler: compensation is not translated, it never runs in the net"
                )
                continue
            translatable.append(node)
        starts = [n for n in translatable if n.type == "startEvent"]
        implicit = [
            n
            for n in translatable
            if n.type != "startEvent" and not self.graph.incoming.get(n.id) and not is_link_catch(n)
        ]
        if starts:
            scope.alternatives = [[self.entry(n)] for n in starts]
            for node in implicit:
                self.warn(
                    node, "no incoming sequence flow although the scope has a start event: never reached"
                )
        elif implicit:
            scope.alternatives = [[self.entry(n) for n in implicit]]
            scope.concurrent |= len(implicit) > 1
        for node in translatable:
            self.node(node)
        boundaries = self.graph.boundaries
        attached = [b for n in nodes for b in boundaries.get(n.id, [])]  # wherever the XML put them
        for node in sorted(attached, key=lambda n: n.cancel_activity):
            add_boundary(self, node)  # non-interrupting first: interrupting ones also leave from their places
            self.hosts.done.add(node.id)
        for node in nodes:
            if node.type in SUBPROCESS_TYPES and node.triggered_by_event:
                add_event_sub_process(self, node)
        self.concurrent |= scope.concurrent
        self.scope_stack.pop()

    def flow_place_in(self, nodes: list[Node]) -> list[Place]:
        ids = {n.id for n in nodes}
        return [p for f, p in self.flow_place.items() if self.model.flows[f].target_id in ids]

    # ---- where a node's token waits, and where it goes -----------------------------------------------

    def entry(self, node: Node) -> Place:
        """The place a node takes its token from (an XOR merge of several incoming flows)."""
        if node.id in self.entries:
            return self.entries[node.id]
        flows = self.graph.incoming.get(node.id, [])
        if len(flows) == 1:
            place = self.flow_place[flows[0]]
        else:
            place = self.place(f"{'start' if not flows else 'in'}:{node.id}", node.id)
            for flow in flows:
                self.silent(f"merge:{flow}", node.id, "merge", [self.flow_place[flow]], [place])
        self.entries[node.id] = place
        return place

    def outputs(self, node: Node) -> list[Place]:
        """The places of a node's outgoing flows; none means an implicit end of its scope."""
        flows = self.graph.outgoing.get(node.id, [])
        if flows:
            return [self.flow_place[f] for f in flows]
        return [self.scope.end] if self.scope.end is not None else []

    def leave(self, node: Node, source: Place, kind: str) -> None:
        """Silent step(s) from ``source`` to the node's outgoing flows (all of them, or by condition)."""
        if self.graph.conditional(node):
            self.inclusive_split(node, source)
        else:
            self.silent(f"{kind}:{node.id}", node.id, kind, [source], self.outputs(node))
            self.scope.concurrent |= len(self.graph.outgoing.get(node.id, [])) > 1

    # ---- nodes ----------------------------------------------------------------------------------------

    def node(self, node: Node) -> None:
        if node.type in ACTIVITY_TYPES:
            inner = [n for n in self.graph.children.get(node.id, []) if n.type != "boundaryEvent"]
            if node.type == "adHocSubProcess" and inner:
                self.ad_hoc(node, inner)
            elif node.type in SUBPROCESS_TYPES and inner:
                self.sub_process(node)
            else:
                self.task(node)
        elif node.is_gateway:
            self.gateway(node)
        elif node.type == "startEvent":
            self.silent(f"start:{node.id}", node.id, "start", [self.entry(node)], self.outputs(node))
        elif node.type == "endEvent":
            self.end_event(node)
        else:
            self.intermediate_event(node)

    def task(self, node: Node) -> None:
        label = node.label or None
        if label is None:
            self.warn(node, "activity has no name: translated as a silent step no log event can match")
        inp = self.entry(node)
        self.hosts.task_places[node.id] = [inp]
        if node.loop is None and not self.graph.conditional(node):
            outputs = self.outputs(node)
            self.hosts.tasks[node.id] = self.net.connect(
                [inp], self.net.add_transition(node.id, label, node.id, "task"), outputs
            )
            self.scope.concurrent |= len(self.graph.outgoing.get(node.id, [])) > 1
            return
        done = self.place(f"done:{node.id}", node.id)
        self.hosts.tasks[node.id] = self.net.connect(
            [inp], self.net.add_transition(node.id, label, node.id, "task"), [done]
        )
        if node.loop is not None:
            self.silent(f"repeat:{node.id}", node.id, "loop", [done], [inp])
        self.leave(node, done, "exit")

    def sub_process(self, node: Node) -> None:
        inp = self.entry(node)
        exit_place = self.place(f"exit:{node.id}", node.id)
        self.collectors[node.id] = exit_place
        inner = Scope(owner=node, end=exit_place)
        self.translate_scope(inner, self.graph.children.get(node.id, []))
        if not inner.alternatives:
            self.warn(node, "sub-process has no start: it can never complete in the net")
        armed = arm_flags(self, node)
        for n, places in enumerate(inner.alternatives, 1):
            self.silent(f"enter:{node.id}:{n}", node.id, "enter", [inp], [*places, *armed])
        self.scope.concurrent |= inner.concurrent
        if node.id in self.absorb:
            self.warn(
                node,
                "several branches of this sub-process can end at the same time: the net lets the "
                "extra ones end silently (approximation)",
            )
            self.silent(f"absorb:{node.id}", node.id, "merge", [exit_place], [])
        done = close_flags(self, node, exit_place)
        if node.loop is not None:
            self.silent(f"repeat:{node.id}", node.id, "loop", [done], [inp])
            if node.loop == "parallel":
                self.warn(
                    node,
                    "parallel multi-instance sub-process: instances are translated as repeated "
                    "one after the other, not interleaved",
                )
        self.leave(node, done, "exit")
        self.hosts.inner_places[node.id] = (inner.places, inner.concurrent)

    def ad_hoc(self, node: Node, inner: list[Node]) -> None:
        self.warn(
            node,
            "ad-hoc sub-process: its activities are translated as optional and repeatable, in any "
            "order (inner sequence flows are not used)",
        )
        inp = self.entry(node)
        hub = self.place(f"adhoc:{node.id}", node.id)
        self.silent(f"enter:{node.id}", node.id, "enter", [inp], [hub, *arm_flags(self, node)])
        for child in inner:
            if child.type in ACTIVITY_TYPES:
                label = child.label or None
                self.net.connect([hub], self.net.add_transition(child.id, label, child.id, "task"), [hub])
        self.leave(node, close_flags(self, node, hub), "exit")
        self.hosts.inner_places[node.id] = ([hub], False)

    def gateway(self, node: Node) -> None:
        flows_in = self.graph.incoming.get(node.id, [])
        if node.type == "parallelGateway":
            inputs = [self.flow_place[f] for f in flows_in] if len(flows_in) > 1 else [self.entry(node)]
            self.silent(f"and:{node.id}", node.id, "gateway", inputs, self.outputs(node))
            self.scope.concurrent |= len(self.graph.outgoing.get(node.id, [])) > 1
            return
        if node.type in ("inclusiveGateway", "complexGateway"):
            if node.type == "complexGateway":
                self.warn(node, "complex gateway: translated as an inclusive gateway (any combination)")
            source = self.inclusive_join(node, flows_in) if len(flows_in) > 1 else self.entry(node)
            if len(self.graph.outgoing.get(node.id, [])) > 1:
                self.inclusive_split(node, source)
            else:
                self.silent(f"or:{node.id}", node.id, "gateway", [source], self.outputs(node))
            return
        inp = self.entry(node)  # exclusive and event-based gateways: a choice of one outgoing flow
        flows = self.graph.outgoing.get(node.id, [])
        if not flows:
            self.silent(f"xor:{node.id}", node.id, "gateway", [inp], self.outputs(node))
        for flow in flows:
            self.silent(f"xor:{node.id}:{flow}", node.id, "gateway", [inp], [self.flow_place[flow]])

    def inclusive_join(self, node: Node, flows_in: list[str]) -> Place:
        joined = self.place(f"joined:{node.id}", node.id)
        if node.id in self.graph.or_pairs:
            split_id, mapping = self.graph.or_pairs[node.id]
            split = self.model.nodes[split_id]
            for combination in branch_combinations(self.graph.outgoing[split_id], split.default_flow):
                inputs = [self.flow_place[mapping[f]] for f in combination]
                memo = self.memo(split_id, combination)
                self.silent(
                    f"orjoin:{node.id}:{len(combination)}", node.id, "gateway", [*inputs, memo], [joined]
                )
            return joined
        self.warn(
            node,
            "inclusive join without a matching inclusive split: translated as synchronising any combination "
            "of its incoming branches (BPMN waits only for branches that can still arrive)",
        )
        for combination in branch_combinations(flows_in, None):
            inputs = [self.flow_place[f] for f in combination]
            self.silent(f"orjoin:{node.id}:{len(combination)}", node.id, "gateway", inputs, [joined])
        return joined

    def inclusive_split(self, node: Node, source: Place) -> None:
        flows = self.graph.outgoing.get(node.id, [])
        default = node.default_flow if node.default_flow in flows else None
        if len(flows) - (default is not None) > MAX_INCLUSIVE_BRANCHES:
            self.warn(
                node, f"{len(flows)} inclusive branches: only one branch at a time, or all, are translated"
            )
        paired = node.id in self.graph.paired_splits
        for combination in branch_combinations(flows, default):
            outputs = [self.flow_place[f] for f in combination]
            if paired:
                outputs.append(self.memo(node.id, combination))
            self.silent(f"or:{node.id}:{len(combination)}", node.id, "gateway", [source], outputs)
        self.scope.concurrent = True

    def memo(self, split_id: str, combination: tuple[str, ...]) -> Place:
        """The place recording which branches an inclusive split started, for its join."""
        key = (split_id, combination)
        if key not in self.memos:
            self.memos[key] = self.place(f"started:{split_id}:{'+'.join(combination)}", split_id)
        return self.memos[key]

    def end_event(self, node: Node) -> None:
        if self.graph.outgoing.get(node.id):
            self.warn(node, "end event has outgoing sequence flows; they are not used")
        if "terminateEventDefinition" in node.event_definitions and self.scope.concurrent:
            self.warn(node, "terminate end event: other running branches are not cancelled in the net")
        end = [self.scope.end] if self.scope.end is not None else []
        self.silent(f"end:{node.id}", node.id, "end", [self.entry(node)], end)

    def intermediate_event(self, node: Node) -> None:
        inp = self.entry(node)
        if node.type == "intermediateThrowEvent" and "linkEventDefinition" in node.event_definitions:
            catch = self.graph.link_catch_for(node)
            if catch is None:
                self.warn(
                    node, f'link event "{node.link_name}" has no matching catch link: treated as an end'
                )
                self.silent(f"link:{node.id}", node.id, "link", [inp], self.outputs(node))
            else:
                self.silent(f"link:{node.id}", node.id, "link", [inp], [self.entry(catch)])
            return
        if is_link_catch(node) and not self.graph.has_link_throw(node):
            self.warn(node, f'link event "{node.link_name}" has no matching throw link: never reached')
        self.silent(f"event:{node.id}", node.id, "event", [inp], self.outputs(node))
