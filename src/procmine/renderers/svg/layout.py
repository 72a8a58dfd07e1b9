"""Where each BPMN shape goes: the model's own layout (DI) when it has one, Graphviz's dot otherwise.

Without DI (discovered models, generated files), each process is laid out left to right by dot with
orthogonal flows, in its own band (pool), bands stacked top to bottom. Shapes have BPMN's usual sizes;
a task grows to hold its name. Boundary events sit on the lower edge of their activity; flows leaving one
are laid out as leaving the activity, then start at the event.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from procmine.model.bpmn import Bounds, BpmnModel, Node, Process
from procmine.renderers.svg.dot_layout import Box, Link, Scene, layout
from procmine.renderers.svg.room import make_room
from procmine.renderers.svg.spine import SPINE_WEIGHT, spine
from procmine.renderers.svg.textsize import text_width, wrap

TASK_SIZE = (100.0, 80.0)
TASK_MAX_WIDTH = 180.0
TASK_FONT = 12.0  # bpmn.io's label size: tasks grow until their name fits in lines of this size
TASK_PADDING = 7.0  # bpmn.io's room between a task's border and its name, on each side
EVENT_SIZE = (36.0, 36.0)
GATEWAY_SIZE = (50.0, 50.0)
MARGIN = 40.0
POOL_HEADER = 30.0  # room for the pool's name at the left of its band
# dot's orthogonal routing takes seconds past a hundred-odd flows (0.3 s of CPU at 149, 1.5 s at 209, 3.4 s
# at 242: the BPIC 2020 models; a minute at 800: the flower model of a 400-activity log). Larger processes
# get dot's routes made orthogonal by procmine, which run through tasks and gateways. Up to 250 covers the
# inductive miner's models of the BPIC 2020 logs, which a modeller would otherwise have to redraw.
ORTHO_FLOW_LIMIT = 250


@dataclass
class Geometry:
    """Shapes and routes to draw, in diagram coordinates. ``auto`` tells whether procmine laid it out."""

    nodes: dict[str, Bounds] = field(default_factory=dict)
    flows: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    pools: dict[str, Bounds] = field(default_factory=dict)  # process id -> pool bounds
    lanes: dict[str, Bounds] = field(default_factory=dict)  # lane id -> lane bounds
    auto: bool = False


def geometry(model: BpmnModel) -> Geometry:
    """The model's DI when every node of every process has a shape; otherwise dot's layout."""
    nodes = [n for p in model.processes for n in model.nodes_of(p)]
    if model.has_di and nodes and all(n.bounds is not None for n in nodes):
        return _from_di(model)
    return auto_layout(model)


def _from_di(model: BpmnModel) -> Geometry:
    geo = Geometry()
    for process in model.processes:
        if process.bounds is not None:
            geo.pools[process.id] = process.bounds
        for lane in process.lanes:
            if lane.bounds is not None:
                geo.lanes[lane.id] = lane.bounds
        for node in model.nodes_of(process):
            if node.bounds is not None:
                geo.nodes[node.id] = node.bounds
        for flow in model.flows_of(process):
            if len(flow.waypoints) >= 2:
                geo.flows[flow.id] = list(flow.waypoints)
            elif flow.source_id in geo.nodes and flow.target_id in geo.nodes:
                geo.flows[flow.id] = _straight(geo.nodes[flow.source_id], geo.nodes[flow.target_id])
    return geo


def shape_size(node: Node) -> tuple[float, float]:
    """BPMN's usual sizes; a task is widened (up to ``TASK_MAX_WIDTH``), then heightened, to hold its name
    in at most three lines with every word whole: bpmn.io breaks lines only at spaces and hyphens, and cuts
    a word wider than the box where it overflows (``A_PREACCEP`` / ``TED`` in a 100-pixel task)."""
    if node.is_event:
        return EVENT_SIZE
    if node.is_gateway:
        return GATEWAY_SIZE
    width, height = TASK_SIZE
    label = node.label or ""
    widest_word = max((text_width(word, TASK_FONT) for word in label.split()), default=0.0)
    for candidate in (width, 130.0, 150.0, TASK_MAX_WIDTH):
        lines = wrap(label, candidate - 2 * TASK_PADDING, TASK_FONT)
        if len(lines) <= 3 and widest_word <= candidate - 2 * TASK_PADDING:
            return candidate, height
    return TASK_MAX_WIDTH, max(height, len(lines) * TASK_FONT * 1.25 + 20)


def auto_layout(model: BpmnModel) -> Geometry:
    geo = Geometry(auto=True)
    top = MARGIN
    for process in model.processes:
        bottom = _layout_process(model, process, geo, top)
        if bottom > top:
            right = max(b.x + b.width for b in geo.nodes.values())
            geo.pools[process.id] = Bounds(MARGIN / 2, top - MARGIN / 2, right, bottom - top + MARGIN)
            top = bottom + MARGIN * 1.5
    return geo


def _layout_process(model: BpmnModel, process: Process, geo: Geometry, top: float) -> float:
    """Lay out one process below ``top`` with dot; returns the lowest y used."""
    nodes = [n for n in model.nodes_of(process) if n.type != "boundaryEvent"]
    if not nodes:
        return top
    known = {n.id for n in nodes}
    flows = model.flows_of(process)
    ortho = len(flows) <= ORTHO_FLOW_LIMIT
    scene = Scene(rankdir="LR", splines="ortho" if ortho else "spline", nodesep=30.0, ranksep=40.0)
    links = [
        Link(flow.id, source, flow.target_id)
        for flow in flows
        if (source := _host(model, flow.source_id)) in known
        and flow.target_id in known
        and source != flow.target_id
    ]
    scene.first = [n.id for n in nodes if n.type == "startEvent" and n.parent_id is None]
    scene.last = [n.id for n in nodes if n.type == "endEvent" and n.parent_id is None]
    straight = spine(links, scene.first, scene.last)
    on_spine = {link.id for link in straight}
    in_line = {node for link in straight for node in (link.source, link.target)}
    for node in nodes:
        shape = "circle" if node.is_event else "diamond" if node.is_gateway else "box"
        group = "spine" if node.id in in_line else None
        scene.boxes.append(Box(node.id, *shape_size(node), shape=shape, group=group))
    scene.links = [replace(link, weight=SPINE_WEIGHT) if link.id in on_spine else link for link in links]
    placed = layout(scene)
    dx, dy = MARGIN + POOL_HEADER, top
    for node_id, b in placed.boxes.items():
        geo.nodes[node_id] = Bounds(round(b.x + dx, 1), round(b.y + dy, 1), round(b.width), round(b.height))
    _place_boundary_events(model, process, geo)
    for flow in flows:
        points = placed.curves.get(flow.id)
        if not points:
            continue
        route = _orthogonal([(x + dx, y + dy) for x, y in points], placed.tips.get(flow.id), dx, dy)
        if not ortho:
            route = _manhattan(route)
        source = model.nodes.get(flow.source_id)
        if source is not None and source.type == "boundaryEvent" and flow.source_id in geo.nodes:
            route = _from_boundary(geo.nodes[flow.source_id], route)
        geo.flows[flow.id] = route
    added = 0.0
    if ortho:  # dot's orthogonal tracks can lie 1-2 pixels apart: room.py spreads them
        own = {n.id: geo.nodes[n.id] for n in model.nodes_of(process) if n.id in geo.nodes}
        routes = {f.id: geo.flows[f.id] for f in flows if f.id in geo.flows}
        added = make_room(own, routes)
        geo.nodes.update(own)
        geo.flows.update(routes)
    return top + placed.height + added


def _orthogonal(
    controls: list[tuple[float, float]], tip: tuple[float, float] | None, dx: float, dy: float
) -> list[tuple[float, float]]:
    """dot's ortho routes come as Bézier segments with collinear control points: keep their corners."""
    points = [controls[0], *controls[3::3]]
    if tip is not None:
        points.append((tip[0] + dx, tip[1] + dy))
    route = [(round(x, 1), round(y, 1)) for x, y in points]
    out = [route[0]]
    for p in route[1:]:
        if p != out[-1]:
            out.append(p)
    return out


def _manhattan(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Right angles between the points of a spline: horizontal, vertical at the middle, horizontal."""
    out = [points[0]]
    for x, y in points[1:]:
        px, py = out[-1]
        if abs(x - px) > 0.5 and abs(y - py) > 0.5:
            mid = round((px + x) / 2, 1)
            out += [(mid, py), (mid, y)]
        out.append((x, y))
    return out


def _from_boundary(event: Bounds, route: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A flow leaving a boundary event: down from the event, then along to where dot's route ends."""
    x, y = event.x + event.width / 2, event.y + event.height
    end = route[-1]
    return [(x, y), (x, end[1]), end] if abs(end[1] - y) > 1 else [(x, y), end]


def _host(model: BpmnModel, node_id: str) -> str:
    """Flows leaving a boundary event are laid out as leaving the activity it is attached to."""
    node = model.nodes.get(node_id)
    return node.attached_to if node is not None and node.attached_to else node_id


def _place_boundary_events(model: BpmnModel, process: Process, geo: Geometry) -> None:
    on: dict[str, int] = defaultdict(int)
    for node in model.nodes_of(process):
        host = geo.nodes.get(node.attached_to or "")
        if node.type == "boundaryEvent" and host is not None:
            w, h = EVENT_SIZE
            k = on[node.attached_to or ""]
            on[node.attached_to or ""] += 1
            geo.nodes[node.id] = Bounds(
                host.x + host.width - w - 4 - k * (w + 4), host.y + host.height - h / 2, w, h
            )


def _straight(s: Bounds, t: Bounds) -> list[tuple[float, float]]:
    return [(s.x + s.width / 2, s.y + s.height / 2), (t.x + t.width / 2, t.y + t.height / 2)]
