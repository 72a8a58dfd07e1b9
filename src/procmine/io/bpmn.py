"""Read BPMN 2.0 XML files, as real modelling tools export them, into a ``BpmnModel``.

Elements are matched on their namespace URI, never on a prefix, so ``bpmn:``, ``bpmn2:``, ``semantic:``
and the default namespace all read the same. Vendor extensions (Camunda, Signavio, Trisotech, ...) live
in other namespaces and are skipped. Problems a modeller should fix (duplicate ids, flows pointing at
nothing) are kept in the model for lint to report; only files that are not BPMN at all raise ``InputError``.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from procmine.errors import InputError
from procmine.io.bpmn_di import read_diagram
from procmine.io.safe_xml import parse_xml
from procmine.model.bpmn import (
    FLOW_NODE_TYPES,
    SUBPROCESS_TYPES,
    BpmnModel,
    Lane,
    MessageFlow,
    Node,
    Process,
    SequenceFlow,
)

BPMN_MODEL_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
# Pre-final namespaces some older tools still write; their element names are the same.
BPMN_MODEL_NAMESPACES = frozenset(
    {
        BPMN_MODEL_NS,
        "http://www.omg.org/spec/BPMN/20100501/MODEL",
        "http://schema.omg.org/spec/BPMN/2.0",
    }
)
_LOOPS = {"standardLoopCharacteristics": "standard"}


def read_bpmn(path: str | Path, *, max_bytes: int | None = None) -> BpmnModel:
    """Read the BPMN file at ``path``; raises InputError naming the cause when it is not a usable model."""
    root = parse_xml(path, max_bytes=max_bytes)
    namespace, local = _qname(root)
    if local != "definitions" or namespace not in BPMN_MODEL_NAMESPACES:
        if namespace in BPMN_MODEL_NAMESPACES:
            cause = (
                f"a BPMN fragment, not a whole model: the root element is <{local}>, expected <definitions>"
            )
        else:
            shown = f"<{local}> in namespace {namespace}" if namespace else f"<{local}> in no namespace"
            cause = (
                f"not a BPMN 2.0 document: the root element is {shown}, expected <definitions> in "
                f"namespace {BPMN_MODEL_NS}"
            )
        raise InputError(path, cause)
    reader = _Reader(str(path), root)
    model = reader.read()
    if not model.processes:
        raise InputError(path, _no_process_cause(root))
    return model


def _no_process_cause(root: etree._Element) -> str:
    imports = [e.get("location") for e in _children(root, "import") if e.get("location")]
    if imports:
        return f"no <process> element (processes are imported from other files: {', '.join(imports)})"
    return "no <process> element: nothing to check"


def _qname(element: etree._Element) -> tuple[str | None, str]:
    if not isinstance(element.tag, str):
        return None, ""
    q = etree.QName(element)
    return q.namespace, q.localname


def _is_bpmn(element: etree._Element) -> bool:
    return isinstance(element.tag, str) and etree.QName(element).namespace in BPMN_MODEL_NAMESPACES


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _children(element: etree._Element, local: str | None = None) -> list[etree._Element]:
    return [c for c in element if _is_bpmn(c) and (local is None or _local(c) == local)]


def _ref(value: str | None) -> str | None:
    """An id reference with any QName prefix removed (``tns:Task_1`` -> ``Task_1``); ids never hold colons."""
    if value is None:
        return None
    value = value.strip()
    return value.rsplit(":", 1)[-1] if ":" in value else value


def _text(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    return "".join(element.itertext()).strip()


def _name(element: etree._Element) -> str | None:
    name = element.get("name")
    return name if name is not None else None


class _Reader:
    """One pass over the semantic part, one over the diagram part, then cross-references."""

    def __init__(self, path: str, root: etree._Element):
        self.root = root
        self.model = BpmnModel(
            path=path, exporter=root.get("exporter"), exporter_version=root.get("exporterVersion")
        )
        self.seen_ids: dict[str, int | None] = {}
        self.definitions: dict[str, str] = {}  # id of a top-level eventDefinition -> its type
        self.lane_depth: dict[int, int] = {}  # id(lane) -> nesting depth, so the innermost lane wins

    def read(self) -> BpmnModel:
        self._collect_ids()
        participants: dict[str, tuple[str, str | None]] = {}
        for child in _children(self.root):
            local = _local(child)
            if local.endswith("EventDefinition") and child.get("id"):
                self.definitions[child.get("id")] = local
            elif local == "collaboration":
                participants.update(self._read_collaboration(child))
        for child in _children(self.root, "process"):
            self._read_process(child)
        for process in self.model.processes:
            if process.id in participants:
                process.participant_id, process.participant_name = participants[process.id]
        self._link_flows()
        read_diagram(self.root, self.model)
        return self.model

    def _collect_ids(self) -> None:
        """Every id in BPMN and DI elements; repeats are recorded (id, line) for lint, never fatal."""
        for element in self.root.iter():
            if not isinstance(element.tag, str):
                continue
            element_id = element.get("id")
            if element_id is None:
                continue
            namespace = etree.QName(element).namespace or ""
            if namespace not in BPMN_MODEL_NAMESPACES and "BPMN/20100524/DI" not in namespace:
                continue  # vendor extensions may reuse ids of their own
            if element_id in self.seen_ids:
                self.model.duplicate_ids.append((element_id, element.sourceline))
            else:
                self.seen_ids[element_id] = element.sourceline
        self.model.id_lines = self.seen_ids

    def _read_collaboration(self, element: etree._Element) -> dict[str, tuple[str, str | None]]:
        participants = {}
        for participant in _children(element, "participant"):
            process_ref = _ref(participant.get("processRef"))
            if process_ref:
                participants[process_ref] = (participant.get("id") or "", _name(participant))
        for flow in _children(element, "messageFlow"):
            self.model.message_flows.append(
                MessageFlow(
                    id=flow.get("id") or "",
                    source_id=_ref(flow.get("sourceRef")) or "",
                    target_id=_ref(flow.get("targetRef")) or "",
                    name=_name(flow),
                    line=flow.sourceline,
                )
            )
        return participants

    def _read_process(self, element: etree._Element) -> None:
        process = Process(id=element.get("id") or "", name=_name(element), line=element.sourceline)
        self.model.processes.append(process)
        self._read_container(element, process, parent_id=None)
        self._assign_lanes(process)

    def _read_container(self, element: etree._Element, process: Process, parent_id: str | None) -> None:
        for child in _children(element):
            local = _local(child)
            if local in FLOW_NODE_TYPES:
                node = self._read_node(child, local, process, parent_id)
                if node is not None and local in SUBPROCESS_TYPES:
                    self._read_container(child, process, parent_id=node.id)
            elif local == "sequenceFlow":
                self._read_flow(child, process)
            elif local == "laneSet":
                self._read_lane_set(child, process, depth=0)

    def _read_node(
        self, element: etree._Element, local: str, process: Process, parent_id: str | None
    ) -> Node | None:
        node_id = element.get("id")
        if not node_id or node_id in self.model.nodes:
            return None  # a missing or repeated id: recorded as duplicate, the first element wins
        node = Node(
            id=node_id,
            type=local,
            name=_name(element),
            line=element.sourceline,
            process_id=process.id,
            parent_id=parent_id,
            attached_to=_ref(element.get("attachedToRef")),
            cancel_activity=element.get("cancelActivity", "true").strip().lower() != "false",
            default_flow=_ref(element.get("default")),
            gateway_direction=element.get("gatewayDirection"),
            triggered_by_event=element.get("triggeredByEvent", "false").strip().lower() == "true",
            called_element=_ref(element.get("calledElement")),
            is_interrupting=element.get("isInterrupting", "true").strip().lower() != "false",
            is_for_compensation=element.get("isForCompensation", "false").strip().lower() == "true",
        )
        for child in _children(element):
            child_local = _local(child)
            if child_local == "linkEventDefinition":  # paired by name; tools leave it empty or wrap it
                node.link_definition_name = _name(child)
                node.link_name = " ".join((_name(child) or node.name or child.get("id") or "").split())
            elif child_local in _LOOPS:
                node.loop = _LOOPS[child_local]
            elif child_local == "multiInstanceLoopCharacteristics":
                sequential = child.get("isSequential", "false").strip().lower() == "true"
                node.loop = "sequential" if sequential else "parallel"
        node.event_definitions = self._event_definitions(element)
        self.model.nodes[node_id] = node
        process.node_ids.append(node_id)
        return node

    def _event_definitions(self, element: etree._Element) -> tuple[str, ...]:
        """The types of an event's definitions: its own, then the top-level ones it refers to.

        Some tools (Bonita) also refer to the event's own definition by id; that is the same definition
        again, not a second one.
        """
        own = [child for child in _children(element) if _local(child).endswith("EventDefinition")]
        own_ids = {child.get("id") for child in own if child.get("id")}
        refs = [_ref(_text(child)) for child in _children(element, "eventDefinitionRef")]
        return tuple(_local(child) for child in own) + tuple(
            self.definitions.get(ref or "", "eventDefinitionRef") for ref in refs if ref not in own_ids
        )

    def _read_flow(self, element: etree._Element, process: Process) -> None:
        flow_id = element.get("id")
        if not flow_id or flow_id in self.model.flows:
            return
        condition = next(iter(_children(element, "conditionExpression")), None)
        flow = SequenceFlow(
            id=flow_id,
            source_id=_ref(element.get("sourceRef")) or "",
            target_id=_ref(element.get("targetRef")) or "",
            name=_name(element),
            line=element.sourceline,
            process_id=process.id,
            condition=_text(condition),
        )
        self.model.flows[flow_id] = flow
        process.flow_ids.append(flow_id)

    def _read_lane_set(self, element: etree._Element, process: Process, depth: int) -> None:
        for lane_element in _children(element, "lane"):
            lane = Lane(
                id=lane_element.get("id") or "",
                name=_name(lane_element),
                process_id=process.id,
                line=lane_element.sourceline,
                node_ids=[r for r in (_ref(_text(e)) for e in _children(lane_element, "flowNodeRef")) if r],
            )
            self.lane_depth[id(lane)] = depth
            process.lanes.append(lane)
            for child_set in _children(lane_element, "childLaneSet"):
                self._read_lane_set(child_set, process, depth + 1)

    def _assign_lanes(self, process: Process) -> None:
        depth_of: dict[str, int] = {}
        for lane in process.lanes:
            depth = self.lane_depth.get(id(lane), 0)
            for node_id in lane.node_ids:
                node = self.model.nodes.get(node_id)
                if node is not None and depth >= depth_of.get(node_id, -1):
                    node.lane = lane.name if lane.name is not None and lane.name.strip() else lane.id
                    depth_of[node_id] = depth

    def _link_flows(self) -> None:
        """incoming/outgoing come from the flows: tools leave stale <incoming>/<outgoing> children."""
        for flow in self.model.flows.values():
            source = self.model.nodes.get(flow.source_id)
            target = self.model.nodes.get(flow.target_id)
            if source is not None:
                source.outgoing.append(flow.id)
            if target is not None:
                target.incoming.append(flow.id)
