"""A BPMN model as procmine holds it after reading: processes, flow nodes, sequence flows, lanes, layout.

Produced by ``procmine.io.bpmn.read_bpmn``; consumed by the Petri-net translation, lint rules, conformance
checking and the HTML diagram. Element types are the BPMN 2.0 local tag names (``userTask``,
``exclusiveGateway``, ``boundaryEvent``...). Every element keeps its id and the source line it starts on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TASK_TYPES = frozenset(
    {
        "task",
        "userTask",
        "serviceTask",
        "sendTask",
        "receiveTask",
        "manualTask",
        "businessRuleTask",
        "scriptTask",
        "callActivity",
    }
)
SUBPROCESS_TYPES = frozenset({"subProcess", "transaction", "adHocSubProcess"})
ACTIVITY_TYPES = TASK_TYPES | SUBPROCESS_TYPES
GATEWAY_TYPES = frozenset(
    {"exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway"}
)
EVENT_TYPES = frozenset(
    {
        "startEvent",
        "endEvent",
        "intermediateCatchEvent",
        "intermediateThrowEvent",
        "boundaryEvent",
        "implicitThrowEvent",
    }
)
FLOW_NODE_TYPES = ACTIVITY_TYPES | GATEWAY_TYPES | EVENT_TYPES


@dataclass(frozen=True)
class Bounds:
    x: float
    y: float
    width: float
    height: float


@dataclass
class Node:
    """A flow node: activity, gateway or event."""

    id: str
    type: str
    name: str | None = None
    line: int | None = None
    process_id: str = ""
    parent_id: str | None = None  # the enclosing sub-process, None at the top level of the process
    lane: str | None = None  # name of the innermost lane (its id when unnamed)
    incoming: list[str] = field(default_factory=list)  # sequence flow ids
    outgoing: list[str] = field(default_factory=list)
    attached_to: str | None = None  # boundary events: the activity they sit on
    cancel_activity: bool = True  # boundary events: interrupting (True) or not
    event_definitions: tuple[str, ...] = ()  # e.g. ("timerEventDefinition",)
    default_flow: str | None = None  # gateways and activities: the id of the default flow
    loop: str | None = None  # "standard", "parallel" or "sequential" (multi-instance), None when absent
    gateway_direction: str | None = None
    triggered_by_event: bool = False  # event sub-processes
    called_element: str | None = None  # call activities
    is_expanded: bool | None = None  # from DI, for sub-processes
    bounds: Bounds | None = None  # from DI
    is_interrupting: bool = True  # start events of event sub-processes: isInterrupting
    is_for_compensation: bool = False  # activities only run as compensation handlers
    link_name: str | None = None  # link events: the name pairing a throw with its catch
    link_definition_name: str | None = None  # link events: the name as written on the definition (engines
    # pair links by it exactly; link_name is folded and falls back to the event's name for the translation)

    @property
    def label(self) -> str:
        """The name as a reader sees it: line breaks and runs of spaces folded."""
        return " ".join((self.name or "").split())

    @property
    def is_task(self) -> bool:
        return self.type in TASK_TYPES

    @property
    def is_gateway(self) -> bool:
        return self.type in GATEWAY_TYPES

    @property
    def is_event(self) -> bool:
        return self.type in EVENT_TYPES


@dataclass
class SequenceFlow:
    id: str
    source_id: str  # may name no node: a dangling reference, which lint reports
    target_id: str
    name: str | None = None
    line: int | None = None
    process_id: str = ""
    condition: str | None = None  # the conditionExpression text, "" when present but empty
    waypoints: list[tuple[float, float]] = field(default_factory=list)  # from DI


@dataclass
class Lane:
    id: str
    name: str | None
    process_id: str
    line: int | None = None
    node_ids: list[str] = field(default_factory=list)
    bounds: Bounds | None = None


@dataclass
class Process:
    id: str
    name: str | None = None
    line: int | None = None
    participant_id: str | None = None  # the pool showing it, in a collaboration
    participant_name: str | None = None
    node_ids: list[str] = field(default_factory=list)  # every node, nested sub-process content included
    flow_ids: list[str] = field(default_factory=list)
    lanes: list[Lane] = field(default_factory=list)
    bounds: Bounds | None = None  # the pool's shape, from DI

    @property
    def display_name(self) -> str:
        return self.participant_name or self.name or self.id


@dataclass
class MessageFlow:
    id: str
    source_id: str
    target_id: str
    name: str | None = None
    line: int | None = None
    waypoints: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class BpmnModel:
    path: str
    processes: list[Process] = field(default_factory=list)
    nodes: dict[str, Node] = field(default_factory=dict)  # all flow nodes, by id
    flows: dict[str, SequenceFlow] = field(default_factory=dict)  # all sequence flows, by id
    message_flows: list[MessageFlow] = field(default_factory=list)
    duplicate_ids: list[tuple[str, int | None]] = field(default_factory=list)  # (id, line) of repeats
    id_lines: dict[str, int | None] = field(default_factory=dict)  # each id -> the line of its first use
    exporter: str | None = None
    exporter_version: str | None = None
    has_di: bool = False

    def process(self, process_id: str) -> Process:
        return next(p for p in self.processes if p.id == process_id)

    def nodes_of(self, process: Process) -> list[Node]:
        return [self.nodes[i] for i in process.node_ids if i in self.nodes]

    def flows_of(self, process: Process) -> list[SequenceFlow]:
        return [self.flows[i] for i in process.flow_ids if i in self.flows]

    def tasks(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.is_task]
