"""Where each BPMN shape goes: the model's own layout (DI) when it has one, a layered layout otherwise.

The layered layout is a small Sugiyama-style pass in pure Python (no Graphviz needed): break cycles by a
depth-first search, put each node on the layer of its longest path from a start, order each layer by the
barycentre of its neighbours (a few sweeps), then place layers left to right and route flows orthogonally.
Every process gets its own band; nodes of expanded sub-processes are laid out as part of their process.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from procmine.model.bpmn import Bounds, BpmnModel, Node, Process

TASK_SIZE = (110.0, 64.0)
EVENT_SIZE = (36.0, 36.0)
GATEWAY_SIZE = (50.0, 50.0)
LAYER_GAP = 60.0
ROW_HEIGHT = 110.0
MARGIN = 40.0


@dataclass
class Geometry:
    """Shapes and routes to draw, in diagram coordinates. ``auto`` tells whether procmine laid it out."""

    nodes: dict[str, Bounds] = field(default_factory=dict)
    flows: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    pools: dict[str, Bounds] = field(default_factory=dict)  # process id -> pool bounds
    lanes: dict[str, Bounds] = field(default_factory=dict)  # lane id -> lane bounds
    auto: bool = False


def geometry(model: BpmnModel) -> Geometry:
    """The model's DI when every node of every process has a shape; otherwise a layered layout."""
    nodes = [n for p in model.processes for n in model.nodes_of(p)]
    if model.has_di and nodes and all(n.bounds is not None for n in nodes):
        return _from_di(model)
    return layered(model)


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


def _size(node: Node) -> tuple[float, float]:
    if node.is_event:
        return EVENT_SIZE
    if node.is_gateway:
        return GATEWAY_SIZE
    return TASK_SIZE


def layered(model: BpmnModel) -> Geometry:
    geo = Geometry(auto=True)
    top = MARGIN
    for process in model.processes:
        bottom = _layout_process(model, process, geo, top)
        if bottom > top:
            geo.pools[process.id] = Bounds(
                MARGIN / 2, top - MARGIN / 2, _right(geo) + MARGIN, bottom - top + MARGIN
            )
            top = bottom + MARGIN * 1.5
    return geo


def _right(geo: Geometry) -> float:
    return max((b.x + b.width for b in geo.nodes.values()), default=0.0) - MARGIN / 2


def _layout_process(model: BpmnModel, process: Process, geo: Geometry, top: float) -> float:
    """Lay out one process below ``top``; returns the lowest y used.

    A flow that spans several layers gets a placeholder in each layer it crosses, so it runs in a free row
    instead of through the shapes in between; flows that close a loop run along the bottom of the band.
    """
    ids = [n.id for n in model.nodes_of(process) if n.type != "boundaryEvent"]
    if not ids:
        return top
    known = set(ids)
    succ: dict[str, list[str]] = defaultdict(list)
    pred: dict[str, list[str]] = defaultdict(list)
    edges: list[tuple[str, str, str]] = []
    for flow in model.flows_of(process):
        source = _host(model, flow.source_id)
        if source in known and flow.target_id in known and source != flow.target_id:
            succ[source].append(flow.target_id)
            pred[flow.target_id].append(source)
            edges.append((flow.id, source, flow.target_id))
    order, back = _dfs_order(ids, succ, pred)
    layer = _longest_path_layers(order, succ, back)
    chains: dict[str, list[str]] = {}
    for flow_id, u, v in edges:
        if (u, v) in back or layer[v] - layer[u] <= 1:
            continue
        chain = [f"\0{flow_id}:{k}" for k in range(layer[u] + 1, layer[v])]
        for k, dummy in enumerate(chain):
            layer[dummy] = layer[u] + 1 + k
        for a, b in pairwise([u, *chain, v]):
            succ[a].append(b)
            pred[b].append(a)
        chains[flow_id] = chain
    rows = _order_layers(layer, succ, pred, back)
    x = MARGIN + 30  # room for the pool's name
    columns: dict[int, tuple[float, float]] = {}
    dummy_at: dict[str, tuple[float, float]] = {}
    for k in sorted(rows):
        members = rows[k]
        widest = max((_size(model.nodes[i])[0] for i in members if i in model.nodes), default=20.0)
        columns[k] = (x, x + widest)
        for pos, node_id in enumerate(members):
            cy = top + ROW_HEIGHT * pos + ROW_HEIGHT / 2
            if node_id not in model.nodes:
                dummy_at[node_id] = (x, cy)
                continue
            w, h = _size(model.nodes[node_id])
            geo.nodes[node_id] = Bounds(x + (widest - w) / 2, cy - h / 2, w, h)
        x += widest + LAYER_GAP
    _place_boundary_events(model, process, geo)
    bottom = max(b.y + b.height for b in geo.nodes.values() if b.y >= top)
    loops = 0
    for flow in model.flows_of(process):
        s, t = geo.nodes.get(flow.source_id), geo.nodes.get(flow.target_id)
        if s is None or t is None:
            continue
        if t.x <= s.x:  # closes a loop: along the bottom of the band
            loops += 1
            below = bottom + 14 * loops
            sx, tx = s.x + s.width / 2, t.x + t.width / 2
            geo.flows[flow.id] = [(sx, s.y + s.height), (sx, below), (tx, below), (tx, t.y + t.height)]
            continue
        points = [(s.x + s.width, s.y + s.height / 2)]
        for dummy in chains.get(flow.id, []):
            left, cy = dummy_at[dummy]
            points += _jump(points[-1], (left, cy))
            points.append((columns[layer[dummy]][1], cy))
        points += _jump(points[-1], (t.x, t.y + t.height / 2))
        geo.flows[flow.id] = points
    return bottom + 14 * loops


def _jump(a: tuple[float, float], b: tuple[float, float]) -> list[tuple[float, float]]:
    """From ``a`` to ``b`` with right angles, turning in the gap just before ``b``'s column."""
    if abs(a[1] - b[1]) < 0.5:
        return [b]
    mid = max(a[0], b[0] - LAYER_GAP / 2)
    return [(mid, a[1]), (mid, b[1]), b]


def _host(model: BpmnModel, node_id: str) -> str:
    """Flows leaving a boundary event are laid out as leaving the activity it is attached to."""
    node = model.nodes.get(node_id)
    return node.attached_to if node is not None and node.attached_to else node_id


def _dfs_order(ids: list[str], succ: dict, pred: dict) -> tuple[list[str], set[tuple[str, str]]]:
    """Nodes in depth-first order from the starts, and the back edges that close cycles."""
    starts = [i for i in ids if not pred[i]] + [i for i in ids if pred[i]]
    state: dict[str, int] = {}
    order: list[str] = []
    back: set[tuple[str, str]] = set()
    for root in starts:
        if root in state:
            continue
        stack = [(root, iter(succ[root]))]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                order.append(node)
                stack.pop()
            elif state.get(child) == 1:
                back.add((node, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(succ[child])))
    order.reverse()  # reverse post-order: a topological order of the graph without back edges
    return order, back


def _longest_path_layers(order: list[str], succ: dict, back: set) -> dict[str, int]:
    layer = dict.fromkeys(order, 0)
    for node in order:
        for child in succ[node]:
            if (node, child) not in back:
                layer[child] = max(layer[child], layer[node] + 1)
    return layer


def _order_layers(layer: dict[str, int], succ: dict, pred: dict, back: set) -> dict[int, list[str]]:
    rows: dict[int, list[str]] = defaultdict(list)
    for node in layer:  # dict order is the topological order: a stable first guess
        rows[layer[node]].append(node)
    for sweep in range(4):
        forward = sweep % 2 == 0
        for k in sorted(rows, reverse=not forward):
            neighbours = pred if forward else succ
            position = {n: i for r in rows.values() for i, n in enumerate(r)}

            def barycentre(node: str, nb: dict = neighbours, pos: dict = position) -> float:
                near = [
                    pos[m] for m in nb[node] if m in pos and (m, node) not in back and (node, m) not in back
                ]
                return sum(near) / len(near) if near else pos[node]

            rows[k].sort(key=barycentre)
    return rows


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
