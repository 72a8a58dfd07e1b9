"""The documented BPMN model drawn as inline SVG, with what the log says painted on it.

- tasks are filled by the share of cases that skipped them (white: never skipped, red: often skipped);
- outdated tasks (not executed lately, or never) are drawn dashed and grey with a badge saying since when;
- undocumented activities appear as dashed orange boxes next to the task they usually follow;
- handovers (sequence flows) carry the median waiting time between the tasks they connect; the worst
  bottlenecks are drawn red and thicker.

Shapes come from the model's own layout (DI) or from Graphviz's dot (``layout.auto_layout``) when it has
none. Every task is one ``<g class="task" data-element-id=...>`` element, so tests and readers can find it.
All labels are escaped.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from itertools import pairwise

from procmine.model.bpmn import Bounds, BpmnModel, Node
from procmine.renderers.shares import share_text
from procmine.renderers.svg import attr, num, text
from procmine.renderers.svg.frame import FONT_SIZE, PAGE_WIDTH, frame
from procmine.renderers.svg.layout import Geometry, geometry
from procmine.renderers.svg.textsize import fit
from procmine.sections.diagram import Handover, Reality, TaskPaint, UndocumentedActivity
from procmine.timefmt import duration

SKIP_RED = (214, 96, 77)
UNDOCUMENTED = "#d9822b"
BOTTLENECK = "#c0392b"
FLOW = "#59606b"

__all__ = ["Handover", "Reality", "TaskPaint", "UndocumentedActivity", "draw", "drawing", "skip_colour"]


def skip_colour(share: float | None) -> str:
    """White for never skipped, deepening to red at 50 % skipped or more; light grey without data."""
    if share is None:
        return "#eef0f3"
    t = max(0.0, min(share / 0.5, 1.0))
    r, g, b = (round(255 + (c - 255) * t) for c in SKIP_RED)
    return f"#{r:02x}{g:02x}{b:02x}"


@dataclass(frozen=True)
class Drawing:
    """The diagram's SVG and its natural width in pixels (wider than the page: the report's wide frame)."""

    svg: str
    width: float

    @property
    def wide(self) -> bool:
        return self.width > PAGE_WIDTH


def draw(model: BpmnModel, reality: Reality | None = None, *, dom_id: str = "bpmn") -> str:
    return drawing(model, reality, dom_id=dom_id).svg


def drawing(model: BpmnModel, reality: Reality | None = None, *, dom_id: str = "bpmn") -> Drawing:
    reality = reality or Reality()
    geo = geometry(model)
    parts: list[str] = []
    boxes = _Extent()
    for process in model.processes:
        pool = geo.pools.get(process.id)
        if pool is not None:
            parts.append(_container(pool, process.display_name, "pool", vertical=True))
            boxes.add(pool)
        for lane in process.lanes:
            if lane.id in geo.lanes:
                parts.append(_container(geo.lanes[lane.id], lane.name or "", "lane", vertical=True))
                boxes.add(geo.lanes[lane.id])
    labels = _flow_labels(model, geo, reality.handovers)
    for flow_id, points in geo.flows.items():
        label = labels.get(flow_id)
        hot = label is not None and label.bottleneck
        colour, width = (BOTTLENECK, 2.5) if hot else (FLOW, 1.2)
        path = " ".join(f"{'M' if i == 0 else 'L'}{num(x)} {num(y)}" for i, (x, y) in enumerate(points))
        marker = f"{dom_id}-arrow-hot" if hot else f"{dom_id}-arrow"
        parts.append(
            f'<path class="flow" data-flow-id={attr(flow_id)} d="{path}" fill="none" stroke="{colour}" '
            f'stroke-width="{width}" marker-end="url(#{marker})"/>'
        )
        for x, y in points:
            boxes.add(Bounds(x, y, 0, 0))
    nodes = sorted(
        (model.nodes[i] for i in geo.nodes if i in model.nodes), key=lambda n: n.type == "boundaryEvent"
    )
    for node in nodes:
        bounds = geo.nodes[node.id]
        boxes.add(bounds)
        parts.append(_node(node, bounds, reality.tasks.get(node.id)))
    for flow_id, label in sorted(labels.items()):
        parts.append(_wait_label(geo.flows[flow_id], label, boxes))
    parts.extend(_undocumented(reality.undocumented, geo, boxes, dom_id))
    head = f"<title>{text(_title(model, geo))}</title>{_defs(dom_id)}"
    extent = boxes.padded(16)
    return Drawing(frame(head, "".join(parts), extent, dom_id), extent[2] - extent[0])


def _title(model: BpmnModel, geo: Geometry) -> str:
    name = ", ".join(p.display_name for p in model.processes) or model.path
    return f"Documented process {name}" + (
        " (laid out by procmine: the model has no layout)" if geo.auto else ""
    )


def _defs(dom_id: str) -> str:
    def arrow(name: str, colour: str) -> str:
        return (
            f'<marker id="{name}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
            f'orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="{colour}"/></marker>'
        )

    return (
        f"<defs>{arrow(dom_id + '-arrow', FLOW)}{arrow(dom_id + '-arrow-hot', BOTTLENECK)}"
        f"{arrow(dom_id + '-arrow-new', UNDOCUMENTED)}</defs>"
    )


class _Extent:
    def __init__(self) -> None:
        self.x0 = self.y0 = float("inf")
        self.x1 = self.y1 = float("-inf")

    def add(self, b: Bounds) -> None:
        self.x0, self.y0 = min(self.x0, b.x), min(self.y0, b.y)
        self.x1, self.y1 = max(self.x1, b.x + b.width), max(self.y1, b.y + b.height)

    def padded(self, pad: float) -> tuple[float, float, float, float]:
        if self.x0 == float("inf"):
            return (0, 0, 200, 60)
        return (self.x0 - pad, self.y0 - pad, self.x1 + pad, self.y1 + pad)


def _text_block(lines: list[str], cx: float, cy: float, line_height: float = 13, cls: str = "") -> str:
    first = cy - (len(lines) - 1) * line_height / 2 + 4
    klass = f" class={attr(cls)}" if cls else ""
    return "".join(
        f'<text{klass} x="{num(cx)}" y="{num(first + i * line_height)}" text-anchor="middle">{text(s)}</text>'
        for i, s in enumerate(lines)
    )


def _container(b: Bounds, name: str, cls: str, vertical: bool) -> str:
    out = (
        f'<rect class="{cls}" x="{num(b.x)}" y="{num(b.y)}" width="{num(b.width)}" height="{num(b.height)}" '
    )
    out += 'fill="none" stroke="#b8bfca"/>'
    if name and vertical:
        cx, cy = b.x + 12, b.y + b.height / 2
        out += (
            f'<text x="{num(cx)}" y="{num(cy)}" text-anchor="middle" fill="#4b5261" '
            f'transform="rotate(-90 {num(cx)} {num(cy)})">{text(fit(name, b.height - 8, FONT_SIZE, 1)[0])}'
            "</text>"
        )
    return out


def _node(node: Node, b: Bounds, paint: TaskPaint | None) -> str:
    cx, cy = b.x + b.width / 2, b.y + b.height / 2
    ident = f"data-element-id={attr(node.id)} data-type={attr(node.type)}"
    if node.is_event:
        r = min(b.width, b.height) / 2
        stroke = 3 if node.type == "endEvent" else 1.5
        inner = (
            f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(r - 3)}" fill="none" stroke="#333"/>'
            if node.type in ("intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent")
            else ""
        )
        dash = ' stroke-dasharray="4 2"' if node.type == "boundaryEvent" and not node.cancel_activity else ""
        return (
            f'<g class="event" {ident}><title>{text(node.label or node.type)}</title>'
            f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(r)}" fill="#fff" stroke="#333" '
            f'stroke-width="{stroke}"{dash}/>{inner}{_below(node.label, b)}</g>'
        )
    if node.is_gateway:
        corners = ((cx, b.y), (b.x + b.width, cy), (cx, b.y + b.height), (b.x, cy))
        diamond = " ".join(f"{num(x)},{num(y)}" for x, y in corners)
        return (
            f'<g class="gateway" {ident}><title>{text(node.label or node.type)}</title>'
            f'<polygon points="{diamond}" fill="#fff" stroke="#333" stroke-width="1.2"/>'
            f"{_gateway_marker(node.type, cx, cy, min(b.width, b.height))}{_below(node.label, b)}</g>"
        )
    return _activity(node, b, paint, ident)


def _below(label: str, b: Bounds) -> str:
    if not label:
        return ""
    lines = fit(label, max(b.width * 2.4, 90), FONT_SIZE, 2)
    return _text_block(lines, b.x + b.width / 2, b.y + b.height + 16)


def _gateway_marker(kind: str, cx: float, cy: float, size: float) -> str:
    d = size * 0.2
    line = 'stroke="#333" stroke-width="3"'
    if kind == "exclusiveGateway":
        return (
            f'<path d="M{num(cx - d)} {num(cy - d)} L{num(cx + d)} {num(cy + d)} '
            f'M{num(cx + d)} {num(cy - d)} L{num(cx - d)} {num(cy + d)}" {line}/>'
        )
    if kind == "parallelGateway":
        return (
            f'<path d="M{num(cx)} {num(cy - d)} L{num(cx)} {num(cy + d)} '
            f'M{num(cx - d)} {num(cy)} L{num(cx + d)} {num(cy)}" {line}/>'
        )
    if kind == "inclusiveGateway":
        ring = f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(d)}" fill="none" stroke="#333"'
        return ring + ' stroke-width="2.5"/>'
    if kind == "eventBasedGateway":
        return f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(d)}" fill="none" stroke="#333"/>'
    return f'<text x="{num(cx)}" y="{num(cy + 5)}" text-anchor="middle" font-size="16">*</text>'


def _activity(node: Node, b: Bounds, paint: TaskPaint | None, ident: str) -> str:
    paint = paint or TaskPaint()
    is_task = node.is_task
    cls = "task" if is_task else "activity"
    tip = [node.label or node.type]
    if paint.skip_share is not None:
        tip.append(f"skipped in {share_text(paint.skip_share)} of cases")
    if paint.executed_cases is not None:
        tip.append(f"executed in {paint.executed_cases:,} cases")
    if paint.outdated:
        tip.append(paint.outdated)
        cls += " outdated"
    fill = "#f4f4f4" if paint.outdated else skip_colour(paint.skip_share) if is_task else "#fff"
    stroke = ' stroke="#8a94a6" stroke-dasharray="5 3"' if paint.outdated else ' stroke="#333"'
    out = [
        f'<g class="{cls}" {ident}><title>{text(" — ".join(tip))}</title>',
        f'<rect x="{num(b.x)}" y="{num(b.y)}" width="{num(b.width)}" height="{num(b.height)}" rx="8" '
        f'fill="{fill}"{stroke} stroke-width="1.4"/>',
    ]
    lines = fit(node.label, b.width - 10, FONT_SIZE, 3)
    out.append(_text_block(lines, b.x + b.width / 2, b.y + b.height / 2 - (5 if paint.skip_share else 0)))
    if paint.skip_share:
        skipped = share_text(paint.skip_share)
        out.append(
            f'<text class="skip" x="{num(b.x + b.width / 2)}" y="{num(b.y + b.height - 6)}" '
            f'text-anchor="middle" font-size="10" fill="#5a1d12">skipped {skipped}</text>'
        )
    if paint.outdated:
        out.append(
            f'<rect x="{num(b.x + 4)}" y="{num(b.y - 9)}" width="62" height="16" rx="3" fill="#4b5261"/>'
            f'<text x="{num(b.x + 35)}" y="{num(b.y + 3)}" text-anchor="middle" font-size="10" fill="#fff" '
            f'font-weight="bold">OUTDATED</text>'
        )
    if node.loop:
        out.append(
            f'<text x="{num(b.x + b.width / 2)}" y="{num(b.y + b.height - 3)}" text-anchor="middle" '
            f'font-size="10">{"↻" if node.loop == "standard" else "≡"}</text>'
        )
    out.append("</g>")
    return "".join(out)


@dataclass(frozen=True)
class _FlowLabel:
    text: str
    tip: str
    bottleneck: bool


def _flow_labels(model: BpmnModel, geo: Geometry, handovers: list[Handover]) -> dict[str, _FlowLabel]:
    """Put each handover's wait on the flow of its path that carries the fewest other handovers."""
    paths: dict[tuple[str, str], list[str]] = {}
    for h in handovers:
        path = _path(model, h.source_id, h.target_id)
        if path:
            paths[(h.source_id, h.target_id)] = [f for f in path if f in geo.flows]
    load: dict[str, int] = {}
    for flows in paths.values():
        for f in flows:
            load[f] = load.get(f, 0) + 1
    labels: dict[str, _FlowLabel] = {}
    for h in sorted(handovers, key=lambda h: (not h.bottleneck, -h.count, h.source_id, h.target_id)):
        free = [f for f in paths.get((h.source_id, h.target_id), []) if f not in labels]
        if not free:
            continue
        best = min(free, key=lambda f: (load[f], -free.index(f)))  # ties: the flow nearest the target
        src, tgt = model.nodes[h.source_id].label, model.nodes[h.target_id].label
        tip = f"{src} → {tgt}: median wait {duration(h.median_wait)} over {h.count:,} handovers"
        labels[best] = _FlowLabel(duration(h.median_wait), tip, h.bottleneck)
    return labels


def _path(model: BpmnModel, source_id: str, target_id: str) -> list[str] | None:
    """The shortest chain of sequence flows from one task to another through gateways and events only."""
    source = model.nodes.get(source_id)
    if source is None or target_id not in model.nodes:
        return None
    queue: deque[tuple[str, list[str]]] = deque([(source_id, [])])
    seen = {source_id}
    while queue:
        node_id, chain = queue.popleft()
        for flow_id in model.nodes[node_id].outgoing if node_id in model.nodes else []:
            flow = model.flows.get(flow_id)
            if flow is None:
                continue
            if flow.target_id == target_id:
                return [*chain, flow_id]
            nxt = model.nodes.get(flow.target_id)
            if (
                nxt is not None
                and not nxt.is_task
                and flow.target_id not in seen
                and nxt.type
                not in (
                    "subProcess",
                    "callActivity",
                )
            ):
                seen.add(flow.target_id)
                queue.append((flow.target_id, [*chain, flow_id]))
    return None


def _wait_label(points: list[tuple[float, float]], label: _FlowLabel, boxes: _Extent) -> str:
    (x1, y1), (x2, y2) = max(pairwise(points), key=lambda s: abs(s[0][0] - s[1][0]) + abs(s[0][1] - s[1][1]))
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    w = 8 + 6.2 * len(label.text)
    colour = BOTTLENECK if label.bottleneck else "#2f6db5"
    weight = ' font-weight="bold"' if label.bottleneck else ""
    boxes.add(Bounds(cx - w / 2, cy - 8, w, 16))
    return (
        f'<g class="wait{" bottleneck" if label.bottleneck else ""}"><title>{text(label.tip)}</title>'
        f'<rect x="{num(cx - w / 2)}" y="{num(cy - 8)}" width="{num(w)}" height="16" rx="8" fill="#fff" '
        f'stroke="{colour}"/><text x="{num(cx)}" y="{num(cy + 4)}" text-anchor="middle" fill="{colour}"'
        f"{weight}>{text(label.text)}</text></g>"
    )


def _undocumented(items: list[UndocumentedActivity], geo: Geometry, boxes: _Extent, dom_id: str) -> list[str]:
    """Dashed orange boxes next to the task each undocumented activity usually follows."""
    taken = list(geo.nodes.values())
    for points in geo.flows.values():  # keep the boxes off the flows too
        for (x1, y1), (x2, y2) in pairwise(points):
            taken.append(Bounds(min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1)))
    out: list[str] = []
    w, h = 110.0, 56.0
    stray_x = boxes.x0 if boxes.x0 != float("inf") else 0.0
    for item in items:
        anchor = geo.nodes.get(item.after_id or "")
        if anchor is not None:
            spot = _free_spot(anchor, w, h, taken)
        else:  # where it happens is unknown: line them up below the diagram
            spot = Bounds(stray_x, (boxes.y1 if boxes.y1 != float("-inf") else 0) + 30, w, h)
            stray_x += w + 20
        taken.append(spot)
        boxes.add(spot)
        share = f"{share_text(item.share)} of cases" if item.share is not None else "undocumented"
        tip = f"{item.activity}: undocumented, happens in {share}" + ("" if anchor else " (position unknown)")
        out.append(
            f'<g class="undocumented" data-activity={attr(item.activity)}><title>{text(tip)}</title>'
            f'<rect x="{num(spot.x)}" y="{num(spot.y)}" width="{num(w)}" height="{num(h)}" rx="8" '
            f'fill="#fff4e8" stroke="{UNDOCUMENTED}" stroke-width="1.6" stroke-dasharray="6 3"/>'
            f"{_text_block(fit(item.activity, w - 10, FONT_SIZE, 2), spot.x + w / 2, spot.y + h / 2 - 6)}"
            f'<text x="{num(spot.x + w / 2)}" y="{num(spot.y + h - 7)}" text-anchor="middle" font-size="10" '
            f'fill="{UNDOCUMENTED}">+ {text(share)}</text>'
        )
        if anchor is not None:
            out.append(_connector(anchor, spot, dom_id))
        out.append("</g>")
    return out


def _free_spot(anchor: Bounds, w: float, h: float, taken: list[Bounds]) -> Bounds:
    cx = anchor.x + anchor.width / 2 - w / 2
    for k in range(1, 12):
        for dy in ((anchor.height + 40) * k, -(h + 40) * k):
            spot = Bounds(cx, anchor.y + dy, w, h)
            if not any(_overlap(spot, t, 12) for t in taken):
                return spot
    return Bounds(cx, anchor.y + anchor.height + 40 * 12, w, h)


def _overlap(a: Bounds, b: Bounds, pad: float) -> bool:
    return not (
        a.x + a.width + pad <= b.x
        or b.x + b.width + pad <= a.x
        or a.y + a.height + pad <= b.y
        or b.y + b.height + pad <= a.y
    )


def _connector(anchor: Bounds, spot: Bounds, dom_id: str) -> str:
    x = anchor.x + anchor.width / 2
    if spot.y > anchor.y:
        y1, y2 = anchor.y + anchor.height, spot.y
    else:
        y1, y2 = anchor.y, spot.y + spot.height
    return (
        f'<path d="M{num(x)} {num(y1)} L{num(spot.x + spot.width / 2)} {num(y2)}" fill="none" '
        f'stroke="{UNDOCUMENTED}" stroke-dasharray="4 3" stroke-width="1.4" '
        f'marker-end="url(#{dom_id}-arrow-new)"/>'
    )
