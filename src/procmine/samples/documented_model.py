"""The documented complaint-handling process as BPMN 2.0 XML, laid out for bpmn.io / Camunda Modeler.

This is the process as the organisation *wrote it down*: it has no "Call customer back", and it still
demands the confirmation letter. The model is built from the tables below rather than kept as a hand-edited
file, so every node has a shape, every flow has waypoints that meet its shapes, and the task names are
the very constants the simulation logs.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from procmine.samples.process import (
    BACK_OFFICE,
    CLASSIFY,
    CLOSE,
    CRM,
    CUSTOMER_SERVICE,
    INVESTIGATE,
    LETTER,
    PROPOSE,
    REGISTER,
    SPECIALIST,
    SURVEY,
)

Box = tuple[int, int, int, int]  # x, y, width, height


@dataclass(frozen=True)
class Element:
    id: str
    tag: str  # BPMN local name
    name: str | None
    lane: str
    bounds: Box
    label: Box | None = None  # external label (events, gateways)


@dataclass(frozen=True)
class Flow:
    id: str
    source: str
    target: str
    waypoints: tuple[tuple[int, int], ...]
    name: str | None = None
    condition: str | None = None
    label: Box | None = None


PROCESS_ID = "Process_ComplaintHandling"
POOL = ("Participant_ComplaintHandling", "Complaint handling", (150, 60, 1680, 640))
LANES = (
    ("Lane_CustomerService", CUSTOMER_SERVICE, (180, 60, 1650, 260)),
    ("Lane_Specialist", SPECIALIST, (180, 320, 1650, 150)),
    ("Lane_BackOffice", BACK_OFFICE, (180, 470, 1650, 230)),
)

ELEMENTS = (
    Element(
        "StartEvent_Received",
        "startEvent",
        "Complaint received",
        CUSTOMER_SERVICE,
        (222, 172, 36, 36),
        (200, 215, 80, 27),
    ),
    Element("Activity_Register", "userTask", REGISTER, CUSTOMER_SERVICE, (300, 150, 100, 80)),
    Element("Activity_Classify", "userTask", CLASSIFY, CUSTOMER_SERVICE, (450, 150, 100, 80)),
    Element(
        "Gateway_Complex",
        "exclusiveGateway",
        "Complex complaint?",
        CUSTOMER_SERVICE,
        (600, 165, 50, 50),
        (580, 128, 90, 27),
    ),
    Element("Activity_Investigate", "userTask", INVESTIGATE, SPECIALIST, (680, 355, 100, 80)),
    Element("Gateway_BeforeProposal", "exclusiveGateway", None, CUSTOMER_SERVICE, (810, 165, 50, 50)),
    Element("Activity_Propose", "userTask", PROPOSE, CUSTOMER_SERVICE, (890, 150, 100, 80)),
    Element(
        "Gateway_Accepts",
        "exclusiveGateway",
        "Customer accepts?",
        CUSTOMER_SERVICE,
        (1040, 165, 50, 50),
        (1020, 222, 90, 27),
    ),
    Element("Gateway_BackOfficeSplit", "parallelGateway", None, BACK_OFFICE, (1145, 555, 50, 50)),
    Element("Activity_Letter", "sendTask", LETTER, BACK_OFFICE, (1240, 490, 100, 80)),
    Element("Activity_UpdateCrm", "userTask", CRM, BACK_OFFICE, (1240, 600, 100, 80)),
    Element("Gateway_BackOfficeJoin", "parallelGateway", None, BACK_OFFICE, (1385, 555, 50, 50)),
    Element("Activity_Close", "userTask", CLOSE, CUSTOMER_SERVICE, (1450, 150, 100, 80)),
    Element("Activity_Survey", "sendTask", SURVEY, CUSTOMER_SERVICE, (1600, 150, 100, 80)),
    Element(
        "EndEvent_Closed",
        "endEvent",
        "Complaint closed",
        CUSTOMER_SERVICE,
        (1752, 172, 36, 36),
        (1730, 215, 80, 27),
    ),
)

FLOWS = (
    Flow("Flow_Received_Register", "StartEvent_Received", "Activity_Register", ((258, 190), (300, 190))),
    Flow("Flow_Register_Classify", "Activity_Register", "Activity_Classify", ((400, 190), (450, 190))),
    Flow("Flow_Classify_Complex", "Activity_Classify", "Gateway_Complex", ((550, 190), (600, 190))),
    Flow(
        "Flow_Complex_Investigate",
        "Gateway_Complex",
        "Activity_Investigate",
        ((625, 215), (625, 395), (680, 395)),
        "yes",
        "${complex}",
        (632, 262, 18, 14),
    ),
    Flow(
        "Flow_Complex_No",
        "Gateway_Complex",
        "Gateway_BeforeProposal",
        ((650, 190), (810, 190)),
        "no",
        None,
        (722, 172, 14, 14),
    ),
    Flow(
        "Flow_Investigate_Proposal",
        "Activity_Investigate",
        "Gateway_BeforeProposal",
        ((780, 395), (835, 395), (835, 215)),
    ),
    Flow(
        "Flow_BeforeProposal_Propose", "Gateway_BeforeProposal", "Activity_Propose", ((860, 190), (890, 190))
    ),
    Flow("Flow_Propose_Accepts", "Activity_Propose", "Gateway_Accepts", ((990, 190), (1040, 190))),
    Flow(
        "Flow_Accepts_No",
        "Gateway_Accepts",
        "Gateway_BeforeProposal",
        ((1065, 165), (1065, 100), (835, 100), (835, 165)),
        "no",
        "${!accepted}",
        (1072, 122, 14, 14),
    ),
    Flow(
        "Flow_Accepts_Yes",
        "Gateway_Accepts",
        "Gateway_BackOfficeSplit",
        ((1090, 190), (1120, 190), (1120, 580), (1145, 580)),
        "yes",
        None,
        (1093, 172, 18, 14),
    ),
    Flow(
        "Flow_Split_Letter",
        "Gateway_BackOfficeSplit",
        "Activity_Letter",
        ((1170, 555), (1170, 530), (1240, 530)),
    ),
    Flow(
        "Flow_Split_Crm",
        "Gateway_BackOfficeSplit",
        "Activity_UpdateCrm",
        ((1170, 605), (1170, 640), (1240, 640)),
    ),
    Flow(
        "Flow_Letter_Join",
        "Activity_Letter",
        "Gateway_BackOfficeJoin",
        ((1340, 530), (1410, 530), (1410, 555)),
    ),
    Flow(
        "Flow_Crm_Join",
        "Activity_UpdateCrm",
        "Gateway_BackOfficeJoin",
        ((1340, 640), (1410, 640), (1410, 605)),
    ),
    Flow(
        "Flow_Join_Close", "Gateway_BackOfficeJoin", "Activity_Close", ((1435, 580), (1500, 580), (1500, 230))
    ),
    Flow("Flow_Close_Survey", "Activity_Close", "Activity_Survey", ((1550, 190), (1600, 190))),
    Flow("Flow_Survey_Closed", "Activity_Survey", "EndEvent_Closed", ((1700, 190), (1752, 190))),
)

# Diverging exclusive gateways: the flow taken when no condition holds.
DEFAULT_FLOWS = {"Gateway_Complex": "Flow_Complex_No", "Gateway_Accepts": "Flow_Accepts_Yes"}

HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
    ' xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"'
    ' xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"'
    ' xmlns:di="http://www.omg.org/spec/DD/20100524/DI"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' id="Definitions_ComplaintHandling" targetNamespace="http://bpmn.io/schema/bpmn"'
    ' exporter="procmine sample" exporterVersion="1">\n'
)


def documented_bpmn() -> str:
    """The documented model as BPMN 2.0 XML text (deterministic)."""
    lines = [HEADER.rstrip("\n")]
    pool_id, pool_name, _pool_bounds = POOL
    lines += [
        '  <bpmn:collaboration id="Collaboration_ComplaintHandling">',
        f"    <bpmn:participant id={quoteattr(pool_id)} name={quoteattr(pool_name)}"
        f" processRef={quoteattr(PROCESS_ID)} />",
        "  </bpmn:collaboration>",
        f'  <bpmn:process id={quoteattr(PROCESS_ID)} name={quoteattr(pool_name)} isExecutable="false">',
        '    <bpmn:laneSet id="LaneSet_ComplaintHandling">',
    ]
    for lane_id, lane_name, _ in LANES:
        lines.append(f"      <bpmn:lane id={quoteattr(lane_id)} name={quoteattr(lane_name)}>")
        lines += [
            f"        <bpmn:flowNodeRef>{el.id}</bpmn:flowNodeRef>" for el in ELEMENTS if el.lane == lane_name
        ]
        lines.append("      </bpmn:lane>")
    lines.append("    </bpmn:laneSet>")
    for el in ELEMENTS:
        lines += _element_xml(el)
    for flow in FLOWS:
        lines += _flow_xml(flow)
    lines.append("  </bpmn:process>")
    lines += _diagram_xml()
    lines.append("</bpmn:definitions>")
    return "\n".join(lines) + "\n"


def _element_xml(el: Element) -> list[str]:
    attrs = f"id={quoteattr(el.id)}"
    if el.name:
        attrs += f" name={quoteattr(el.name)}"
    if el.id in DEFAULT_FLOWS:
        attrs += f" default={quoteattr(DEFAULT_FLOWS[el.id])}"
    incoming = [f.id for f in FLOWS if f.target == el.id]
    outgoing = [f.id for f in FLOWS if f.source == el.id]
    if el.tag.endswith("Gateway"):
        direction = "Diverging" if len(outgoing) > 1 else "Converging"
        attrs += f' gatewayDirection="{direction}"'
    lines = [f"    <bpmn:{el.tag} {attrs}>"]
    lines += [f"      <bpmn:incoming>{flow_id}</bpmn:incoming>" for flow_id in incoming]
    lines += [f"      <bpmn:outgoing>{flow_id}</bpmn:outgoing>" for flow_id in outgoing]
    lines.append(f"    </bpmn:{el.tag}>")
    return lines


def _flow_xml(flow: Flow) -> list[str]:
    attrs = f"id={quoteattr(flow.id)}"
    if flow.name:
        attrs += f" name={quoteattr(flow.name)}"
    attrs += f" sourceRef={quoteattr(flow.source)} targetRef={quoteattr(flow.target)}"
    if flow.condition is None:
        return [f"    <bpmn:sequenceFlow {attrs} />"]
    return [
        f"    <bpmn:sequenceFlow {attrs}>",
        '      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">'
        f"{flow.condition}</bpmn:conditionExpression>",
        "    </bpmn:sequenceFlow>",
    ]


def _bounds(box: Box, indent: str) -> str:
    x, y, w, h = box
    return f'{indent}<dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}" />'


def _diagram_xml() -> list[str]:
    pool_id, _, pool_bounds = POOL
    lines = [
        '  <bpmndi:BPMNDiagram id="BPMNDiagram_ComplaintHandling">',
        '    <bpmndi:BPMNPlane id="BPMNPlane_ComplaintHandling"'
        ' bpmnElement="Collaboration_ComplaintHandling">',
    ]
    shapes = [(pool_id, pool_bounds, ' isHorizontal="true"', None)]
    shapes += [(lane_id, box, ' isHorizontal="true"', None) for lane_id, _, box in LANES]
    for el in ELEMENTS:
        marker = ' isMarkerVisible="true"' if el.tag == "exclusiveGateway" else ""
        shapes.append((el.id, el.bounds, marker, el.label))
    for element_id, box, extra, label in shapes:
        lines.append(f'      <bpmndi:BPMNShape id="{element_id}_di" bpmnElement="{element_id}"{extra}>')
        lines.append(_bounds(box, "        "))
        if label is not None:
            lines += [
                "        <bpmndi:BPMNLabel>",
                _bounds(label, "          "),
                "        </bpmndi:BPMNLabel>",
            ]
        lines.append("      </bpmndi:BPMNShape>")
    for flow in FLOWS:
        lines.append(f'      <bpmndi:BPMNEdge id="{flow.id}_di" bpmnElement="{flow.id}">')
        lines += [f'        <di:waypoint x="{x}" y="{y}" />' for x, y in flow.waypoints]
        if flow.label is not None:
            lines += [
                "        <bpmndi:BPMNLabel>",
                _bounds(flow.label, "          "),
                "        </bpmndi:BPMNLabel>",
            ]
        lines.append("      </bpmndi:BPMNEdge>")
    lines += ["    </bpmndi:BPMNPlane>", "  </bpmndi:BPMNDiagram>"]
    return lines
