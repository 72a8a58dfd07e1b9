"""Read the diagram-interchange (DI) part of a BPMN file: shapes' bounds, edges' waypoints, isExpanded.

DI is optional (many generated models have none) and tools disagree on details, so everything here is
best effort: a shape that points at nothing, or has no usable numbers, is skipped.
"""

from __future__ import annotations

from lxml import etree

from procmine.model.bpmn import Bounds, BpmnModel


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _ref(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value.rsplit(":", 1)[-1] if ":" in value else value


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _bounds(shape: etree._Element) -> Bounds | None:
    for child in shape:
        if _local(child) == "Bounds":
            numbers = [_number(child.get(k)) for k in ("x", "y", "width", "height")]
            if all(n is not None for n in numbers):
                return Bounds(*numbers)  # type: ignore[arg-type]
    return None


def _waypoints(edge: etree._Element) -> list[tuple[float, float]]:
    points = []
    for child in edge:
        if _local(child) == "waypoint":
            x, y = _number(child.get("x")), _number(child.get("y"))
            if x is not None and y is not None:
                points.append((x, y))
    return points


def read_diagram(root: etree._Element, model: BpmnModel) -> None:
    """Attach the layout (first shape or edge per element) to the model's nodes, flows, lanes and pools."""
    lanes = {lane.id: lane for process in model.processes for lane in process.lanes}
    pools = {p.participant_id: p for p in model.processes if p.participant_id}
    message_flows = {f.id: f for f in model.message_flows}
    for diagram in root:
        if _local(diagram) != "BPMNDiagram":
            continue
        model.has_di = True
        for element in diagram.iter():
            local = _local(element)
            target = _ref(element.get("bpmnElement"))
            if not target:
                continue
            if local == "BPMNShape":
                bounds = _bounds(element)
                node = model.nodes.get(target)
                if node is not None:
                    if node.bounds is None:
                        node.bounds = bounds
                    expanded = element.get("isExpanded")
                    if expanded is not None and node.is_expanded is None:
                        node.is_expanded = expanded.strip().lower() == "true"
                elif target in lanes and lanes[target].bounds is None:
                    lanes[target].bounds = bounds
                elif target in pools and pools[target].bounds is None:
                    pools[target].bounds = bounds
            elif local == "BPMNEdge":
                flow = model.flows.get(target) or message_flows.get(target)
                if flow is not None and not flow.waypoints:
                    flow.waypoints = _waypoints(element)
