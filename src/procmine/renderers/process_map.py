"""map.svg: the directly-follows process map, drawn from a report's dfg, activities and start/end data.

Boxes are activities (with their number of events); arcs are handovers. Three views (``mode``): the
frequency map (arcs labelled with how often they occur, thicker and darker blue the more often), the
performance map (arcs labelled with their median wait, thicker and redder the longer cases wait) and the
combined map of ``procmine discover`` (both labels; thickness by count, colour by wait).
Graphviz's ``dot`` lays the map out when it is installed; otherwise procmine's own layered layout
draws it (and says so on stderr), so the map exists on every machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import Any

from procmine import progress
from procmine.model.bpmn import BpmnModel, Node, Process, SequenceFlow
from procmine.renderers.svg import duration, num, text
from procmine.renderers.svg.layout import layered

MAX_ARCS = 400  # beyond this many handovers the map keeps the most frequent ones (and says so)
NO_DOT_WARNING = "Graphviz's dot not found: drawing the map with procmine's simple layout"
START, END = "\0start", "\0end"
MODES = ("frequency", "performance", "combined")


def render_map(data: dict[str, Any], mode: str = "combined") -> str:
    """The process map of a report (``Report.to_dict()``) as a complete SVG document.

    ``frequency``: arcs labelled and drawn thicker by how often they occur; ``performance``: arcs labelled,
    drawn thicker and redder by their median wait; ``combined`` (discover's map.svg): count and median
    wait on each arc, thickness by count, colour by wait."""
    return render_maps(data, (mode,))[mode]


def render_maps(data: dict[str, Any], modes: tuple[str, ...]) -> dict[str, str]:
    """One map per mode, laid out by the same engine: a missing (or failing) ``dot`` is said once."""
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        raise ValueError(f"unknown map mode {unknown[0]!r} (modes: {', '.join(MODES)})")
    arcs = list(data.get("dfg") or [])
    shown = sorted(arcs, key=lambda a: (-a["count"], a["source"], a["target"]))[:MAX_ARCS]
    caption = (
        f"showing the {len(shown):,} most frequent of {len(arcs):,} handovers"
        if len(shown) < len(arcs)
        else ""
    )
    dot = shutil.which("dot")
    if not dot:
        progress.warn(NO_DOT_WARNING)
    out = {}
    for mode in modes:
        graph = _Graph(data, shown, mode)
        if dot:
            try:
                out[mode] = _with_dot(dot, graph, caption)
                continue
            except (OSError, subprocess.SubprocessError) as exc:
                progress.warn(f"Graphviz's dot failed ({exc}); drawing the map with procmine's simple layout")
                dot = None
        out[mode] = _with_own_layout(graph, caption)
    return out


class _Graph:
    """Nodes and arcs of the map with how each arc is drawn in the chosen mode, shared by both layouts."""

    def __init__(self, data: dict[str, Any], arcs: list[dict[str, Any]], mode: str):
        self.mode = mode
        self.activities = {a["activity"]: a["events"] for a in data.get("activities") or []}
        self.starts = dict(data.get("start_activities") or {})
        self.ends = dict(data.get("end_activities") or {})
        self.arcs = [
            (a["source"], a["target"], a["count"], (a.get("wait_seconds") or {}).get("median")) for a in arcs
        ]
        self.arcs += [(START, t, n, None) for t, n in sorted(self.starts.items())]
        self.arcs += [(s, END, n, None) for s, n in sorted(self.ends.items())]
        most = max((n for *_, n, _ in self.arcs), default=1) or 1
        longest = max((w for *_, w in self.arcs if w), default=0.0) or 1.0
        share = {(s, t): n / most for s, t, n, _ in self.arcs}
        heat = {(s, t): (w or 0.0) / longest for s, t, _, w in self.arcs}
        self.weight = heat if mode == "performance" else share
        self.colour = {
            key: _colour(share[key], FREQUENCY_COLOURS) if mode == "frequency" else _colour(heat[key])
            for key in share
        }

    def label(self, source: str, target: str, count: int, wait: float | None) -> str:
        if source == START or target == END:
            return "" if self.mode == "performance" else f"{count:,}"
        if self.mode == "frequency":
            return f"{count:,}"
        if self.mode == "performance":
            return duration(wait) if wait is not None else ""
        return f"{count:,} · {duration(wait)}"

    def pen(self, source: str, target: str) -> float:
        return _pen(self.weight[(source, target)])


WAIT_COLOURS = ((150, 150, 150), (170, 20, 20))  # grey (no wait) to dark red (the longest median wait)
FREQUENCY_COLOURS = ((150, 160, 175), (31, 78, 140))  # grey-blue (rare) to dark blue (the most frequent)


def _colour(heat: float, scale: tuple[tuple[int, int, int], tuple[int, int, int]] = WAIT_COLOURS) -> str:
    low, high = scale
    r, g, b = (round(lo + (hi - lo) * heat) for lo, hi in zip(low, high, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def _pen(weight: float) -> float:
    return round(1 + 5 * weight, 1)


def _dot_quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _with_dot(dot: str, graph: _Graph, caption: str) -> str:
    ids = {name: f"a{i}" for i, name in enumerate(sorted(graph.activities))}
    ids[START], ids[END] = "start", "end"
    lines = [
        "digraph map {",
        '  graph [rankdir=LR, fontname="Helvetica", fontsize=10, nodesep=0.35, ranksep=0.5'
        + (f", label={_dot_quote(caption)}, labelloc=b" if caption else "")
        + "];",
        '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", color="#4a6fa5", '
        'fontname="Helvetica", '
        "fontsize=10];",
        '  edge [fontname="Helvetica", fontsize=9, arrowsize=0.7];',
        '  start [shape=circle, label="", width=0.3, fillcolor="#7fbf7f", color="#3d8b3d"];',
        '  end [shape=doublecircle, label="", width=0.25, fillcolor="#e08080", color="#a33"];',
    ]
    for name in sorted(graph.activities):
        lines.append(f"  {ids[name]} [label={_dot_quote(f'{name} ({graph.activities[name]:,})')}];")
    for s, t, n, w in graph.arcs:
        if s not in ids or t not in ids:
            continue
        colour = graph.colour[(s, t)]
        style = "dashed" if s == START or t == END else "solid"
        lines.append(
            f"  {ids[s]} -> {ids[t]} [label={_dot_quote(graph.label(s, t, n, w))}, "
            f'penwidth={graph.pen(s, t)}, color="{colour}", fontcolor="{colour}", style={style}];'
        )
    lines.append("}")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    done = subprocess.run(
        [dot, "-Tsvg"],
        input="\n".join(lines).encode("utf-8"),
        capture_output=True,
        timeout=300,
        check=True,
        env=env,
    )
    return done.stdout.decode("utf-8")


def _with_own_layout(graph: _Graph, caption: str) -> str:
    model = BpmnModel(path="map", processes=[Process(id="map")])
    process = model.processes[0]
    ids = {name: f"a{i}" for i, name in enumerate(sorted(graph.activities))}
    ids[START], ids[END] = "start", "end"
    names = {v: k for k, v in ids.items()}
    for name, node_id in ids.items():
        kind = "startEvent" if name == START else "endEvent" if name == END else "task"
        model.nodes[node_id] = Node(
            id=node_id, type=kind, name=None if kind != "task" else name, process_id="map"
        )
        process.node_ids.append(node_id)
    loops = []
    for i, (s, t, _n, _w) in enumerate(graph.arcs):
        if s not in ids or t not in ids:
            continue
        if s == t:
            loops.append(i)
            continue
        flow = SequenceFlow(f"f{i}", ids[s], ids[t], process_id="map")
        model.flows[flow.id] = flow
        process.flow_ids.append(flow.id)
    geo = layered(model)
    width = max((b.x + b.width for b in geo.nodes.values()), default=100) + 60
    height = (
        max([b.y + b.height for b in geo.nodes.values()] + [y for p in geo.flows.values() for _, y in p]) + 60
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(width)}" height="{num(height)}" '
        f'viewBox="0 0 {num(width)} {num(height)}" font-family="Helvetica, Arial, sans-serif" '
        'font-size="10">',
        "<defs>",
        '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" '
        'markerWidth="9" markerHeight="9" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker>',
        "</defs>",
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    for i, (s, t, n, w) in enumerate(graph.arcs):
        points = geo.flows.get(f"f{i}")
        if not points:
            continue
        colour = graph.colour[(s, t)]
        dash = ' stroke-dasharray="4 3"' if s == START or t == END else ""
        path = " ".join(f"{num(x)},{num(y)}" for x, y in points)
        (mx, my) = _middle(points)
        out.append(
            f'<g class="arc"><title>{text(_plain(s))} → {text(_plain(t))}</title>'
            f'<polyline points="{path}" fill="none" stroke="{colour}" '
            f'stroke-width="{graph.pen(s, t)}"'
            f'{dash} marker-end="url(#arrow)"/>'
            f'<text x="{num(mx + 3)}" y="{num(my - 4)}" fill="{colour}">'
            f"{text(graph.label(s, t, n, w))}</text></g>"
        )
    for i in loops:
        s, t, n, w = graph.arcs[i]
        b = geo.nodes[ids[s]]
        x, y = b.x + b.width * 0.75, b.y
        colour = graph.colour[(s, t)]
        out.append(
            f'<g class="arc"><title>{text(s)} → {text(t)}</title>'
            f'<path d="M{num(x - 12)},{num(y)} C{num(x - 12)},{num(y - 28)} {num(x + 12)},{num(y - 28)} '
            f'{num(x + 12)},{num(y)}" fill="none" stroke="{colour}" '
            f'stroke-width="{graph.pen(s, t)}" '
            f'marker-end="url(#arrow)"/><text x="{num(x + 14)}" y="{num(y - 18)}" fill="{colour}">'
            f"{text(graph.label(s, t, n, w))}</text></g>"
        )
    for node_id, b in geo.nodes.items():
        name = names[node_id]
        if name in (START, END):
            fill = "#7fbf7f" if name == START else "#e08080"
            out.append(
                f'<circle class="{node_id}" cx="{num(b.x + b.width / 2)}" cy="{num(b.y + b.height / 2)}" '
                f'r="{num(b.width / 2)}" fill="{fill}" stroke="#555"/>'
            )
            continue
        short = name if len(name) <= 20 else name[:19] + "…"
        out.append(
            f'<g class="activity"><title>{text(name)}</title>'
            f'<rect x="{num(b.x)}" y="{num(b.y)}" width="{num(b.width)}" height="{num(b.height)}" rx="8" '
            f'fill="#eef3fb" stroke="#4a6fa5"/>'
            f'<text x="{num(b.x + b.width / 2)}" y="{num(b.y + b.height / 2 - 2)}" text-anchor="middle">'
            f"{text(short)}</text>"
            f'<text x="{num(b.x + b.width / 2)}" y="{num(b.y + b.height / 2 + 12)}" text-anchor="middle" '
            f'fill="#555">{graph.activities[name]:,}</text></g>'
        )
    if caption:
        out.append(f'<text x="20" y="{num(height - 15)}" fill="#555">{text(caption)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _plain(name: str) -> str:
    return {START: "start", END: "end"}.get(name, name)


def _middle(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The middle of the longest segment: where a label has room."""
    best = max(
        range(len(points) - 1),
        key=lambda i: abs(points[i + 1][0] - points[i][0]) + abs(points[i + 1][1] - points[i][1]),
    )
    (x1, y1), (x2, y2) = points[best], points[best + 1]
    return (x1 + x2) / 2, (y1 + y2) / 2
