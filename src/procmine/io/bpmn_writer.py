"""Writing a BpmnModel as BPMN 2.0 XML with diagram interchange (DI), for bpmn.io and Camunda Modeler.

Every node must carry its ``bounds`` and every flow its ``waypoints`` (the caller lays the model out); the
writer refuses a model without them, because a BPMN file without DI opens as an empty canvas in most
modelling tools. Names are written exactly as given (ElementTree escapes markup); characters XML 1.0 cannot
hold at all (control characters) become spaces. Element and attribute order is fixed, so the same model
always gives the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from procmine.model.bpmn import BpmnModel, Node

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
DI_NS = "http://www.omg.org/spec/DD/20100524/DI"
NAMESPACES = {"bpmn": BPMN_NS, "bpmndi": BPMNDI_NS, "dc": DC_NS, "di": DI_NS}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def write_bpmn(model: BpmnModel, exporter: str = "procmine", exporter_version: str = "") -> str:
    """The model as BPMN 2.0 XML text (UTF-8 declaration included)."""
    _check_layout(model)
    for prefix, uri in NAMESPACES.items():
        ET.register_namespace(prefix, uri)
    root = ET.Element(
        _q("bpmn", "definitions"),
        {
            "id": "Definitions_procmine",
            "targetNamespace": "http://procmine.dev/bpmn",
            "exporter": exporter,
            "exporterVersion": exporter_version,
        },
    )
    for process in model.processes:
        attrs = {"id": process.id, "isExecutable": "false"}
        if process.name:
            attrs["name"] = _clean(process.name)
        el = ET.SubElement(root, _q("bpmn", "process"), attrs)
        for node in model.nodes_of(process):
            _node_element(el, node)
        for flow in model.flows_of(process):
            ET.SubElement(
                el,
                _q("bpmn", "sequenceFlow"),
                {"id": flow.id, "sourceRef": flow.source_id, "targetRef": flow.target_id},
            )
    for process in model.processes:
        diagram = ET.SubElement(root, _q("bpmndi", "BPMNDiagram"), {"id": f"Diagram_{process.id}"})
        plane = ET.SubElement(
            diagram, _q("bpmndi", "BPMNPlane"), {"id": f"Plane_{process.id}", "bpmnElement": process.id}
        )
        for node in model.nodes_of(process):
            attrs = {"id": f"{node.id}_di", "bpmnElement": node.id}
            if node.type == "exclusiveGateway":
                attrs["isMarkerVisible"] = "true"
            shape = ET.SubElement(plane, _q("bpmndi", "BPMNShape"), attrs)
            b = node.bounds
            assert b is not None  # checked above
            ET.SubElement(
                shape,
                _q("dc", "Bounds"),
                {"x": _num(b.x), "y": _num(b.y), "width": _num(b.width), "height": _num(b.height)},
            )
        for flow in model.flows_of(process):
            edge = ET.SubElement(
                plane, _q("bpmndi", "BPMNEdge"), {"id": f"{flow.id}_di", "bpmnElement": flow.id}
            )
            for x, y in flow.waypoints:
                ET.SubElement(edge, _q("di", "waypoint"), {"x": _num(x), "y": _num(y)})
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _node_element(parent: ET.Element, node: Node) -> None:
    attrs = {"id": node.id}
    if node.name:
        attrs["name"] = _clean(node.name)
    if node.gateway_direction in ("Diverging", "Converging", "Mixed"):
        attrs["gatewayDirection"] = node.gateway_direction
    el = ET.SubElement(parent, _q("bpmn", node.type), attrs)
    for flow_id in node.incoming:
        ET.SubElement(el, _q("bpmn", "incoming")).text = flow_id
    for flow_id in node.outgoing:
        ET.SubElement(el, _q("bpmn", "outgoing")).text = flow_id


def _check_layout(model: BpmnModel) -> None:
    for process in model.processes:
        missing = [n.id for n in model.nodes_of(process) if n.bounds is None]
        missing += [f.id for f in model.flows_of(process) if len(f.waypoints) < 2]
        if missing:
            raise ValueError(f"BPMN elements without layout: {', '.join(missing[:5])}")


def _q(prefix: str, tag: str) -> str:
    return f"{{{NAMESPACES[prefix]}}}{tag}"


def _clean(text: str) -> str:
    return _NOT_XML.sub(" ", text)


def _num(value: float) -> str:
    r = round(float(value), 1)
    return str(int(r)) if r == int(r) else str(r)
