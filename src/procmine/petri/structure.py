"""What the translation reads off one BPMN process before building anything: who contains whom, which
sequence flows enter and leave each node, the boundary events of each activity, link catch events, and
the inclusive splits paired with their joins. Read once, never changed while the net is built."""

from __future__ import annotations

from dataclasses import dataclass, field

from procmine.model.bpmn import BpmnModel, Node, Process, SequenceFlow
from procmine.petri.inclusive import pair_joins


@dataclass(frozen=True)
class FlowRemark:
    """A sequence flow the translation leaves out or translates as drawn, and why."""

    flow: SequenceFlow
    message: str


@dataclass
class ProcessGraph:
    model: BpmnModel
    process: Process
    children: dict[str | None, list[Node]] = field(default_factory=dict)  # parent id (None: top) -> nodes
    incoming: dict[str, list[str]] = field(default_factory=dict)  # node id -> sequence flow ids
    outgoing: dict[str, list[str]] = field(default_factory=dict)
    boundaries: dict[str, list[Node]] = field(default_factory=dict)  # activity id -> its boundary events
    link_catches: dict[str, Node] = field(default_factory=dict)  # "parent|link name" -> catch event
    remarks: list[FlowRemark] = field(default_factory=list)
    usable: list[SequenceFlow] = field(default_factory=list)  # flows that get a place, in document order
    or_pairs: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)  # join -> (split, flows)
    paired_splits: set[str] = field(default_factory=set)

    @classmethod
    def read(cls, model: BpmnModel, process: Process) -> ProcessGraph:
        graph = cls(model, process)
        for node in model.nodes_of(process):
            graph.children.setdefault(node.parent_id, []).append(node)
            if node.type == "boundaryEvent" and node.attached_to:
                graph.boundaries.setdefault(node.attached_to, []).append(node)
            if is_link_catch(node):
                graph.link_catches.setdefault(f"{node.parent_id}|{node.link_name}", node)
        for flow in model.flows_of(process):
            graph._add_flow(flow)
        graph.or_pairs = pair_joins(model, graph.outgoing, graph.incoming)
        graph.paired_splits = {split for split, _ in graph.or_pairs.values()}
        return graph

    def _add_flow(self, flow: SequenceFlow) -> None:
        source = self.model.nodes.get(flow.source_id)
        target = self.model.nodes.get(flow.target_id)
        if source is None or target is None:
            missing = flow.source_id if source is None else flow.target_id
            message = f'sequence flow refers to "{missing}", which is no flow node; flow left out'
            self.remarks.append(FlowRemark(flow, message))
            return
        if source.type == "endEvent" or target.type in ("startEvent", "boundaryEvent"):
            wrong = "leave an end event" if source.type == "endEvent" else f"enter a {target.type}"
            self.remarks.append(FlowRemark(flow, f"sequence flow may not {wrong}; left out"))
            return
        if source.parent_id != target.parent_id:
            message = "sequence flow crosses a sub-process border; translated as drawn"
            self.remarks.append(FlowRemark(flow, message))
        self.usable.append(flow)
        self.outgoing.setdefault(source.id, []).append(flow.id)
        self.incoming.setdefault(target.id, []).append(flow.id)

    def conditional(self, node: Node) -> bool:
        """Several outgoing flows of which some carry a condition: an implicit inclusive split."""
        flows = self.outgoing.get(node.id, [])
        return len(flows) > 1 and any(
            self.model.flows[f].condition is not None and f != node.default_flow for f in flows
        )

    def link_catch_for(self, throw: Node) -> Node | None:
        return self.link_catches.get(f"{throw.parent_id}|{throw.link_name}")

    def has_link_throw(self, catch: Node) -> bool:
        return any(
            n.type == "intermediateThrowEvent"
            and n.link_name == catch.link_name
            and n.parent_id == catch.parent_id
            for n in self.model.nodes_of(self.process)
        )


def is_link_catch(node: Node) -> bool:
    return node.type == "intermediateCatchEvent" and "linkEventDefinition" in node.event_definitions
