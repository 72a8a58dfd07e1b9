"""Graphviz's ``dot`` layout for every picture procmine draws (process maps, BPMN diagrams without DI).

Graphviz comes with the ``pygraphviz`` wheel (it bundles Graphviz itself), so no system install is needed and
every machine runs the same Graphviz. Where that wheel cannot be installed, a ``dot`` program on the PATH does
the same work. procmine measures every label itself and hands Graphviz boxes of fixed size (nodes, and edge
labels as fixed-size HTML cells): Graphviz never measures text with the machine's fonts, so the same graph
gets the same coordinates everywhere. procmine then draws the SVG from those coordinates.

Coordinates come back in SVG orientation: pixels (one Graphviz point each), origin top left, y downwards.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field

from procmine.errors import InputError
from procmine.model.bpmn import Bounds

DOT_TIMEOUT = 300  # seconds a system dot may take (pygraphviz runs in-process)
# dot's crossing reduction, network simplex and spline routing grow much faster than the graph: a map of 400
# activities and 660 arcs takes 90 s with the defaults, 1.3 s with these limits and straight arcs. Larger
# scenes get them; up to BIG_SCENE links dot works at full strength (a tenth of a second for a default map).
# A scene that asks for orthogonal routing always gets full strength: its caller limits its size (layout.py),
# and with these limits dot's ranks climb across the page in steps.
BIG_SCENE = 150
# Past this many nodes even those limits take dot tens of seconds (a 3,000-activity flower model: 10-60 s):
# such a scene gets a plain grid in breadth-first order instead, with straight arcs.
GRID_SCENE = 800
NO_GRAPHVIZ = (
    "drawing needs Graphviz: install the pygraphviz wheel (pip install pygraphviz), "
    "or Graphviz's dot program (graphviz.org/download)"
)


class LayoutUnavailable(InputError):
    """Neither pygraphviz nor a working ``dot`` program is available: one line, exit code 2."""

    def __init__(self, cause: str) -> None:
        super().__init__(None, cause)


@dataclass(frozen=True)
class Box:
    """A node to place: ``shape`` is a Graphviz shape (box, circle, diamond) that edges end on; the nodes of
    one ``group`` are kept in line where dot can."""

    id: str
    width: float
    height: float
    shape: str = "box"
    group: str | None = None


@dataclass(frozen=True)
class Link:
    """An edge; ``label`` is the (width, height) its label needs, ``weight`` pulls its ends into line."""

    id: str
    source: str
    target: str
    label: tuple[float, float] | None = None
    weight: int = 1


@dataclass
class Scene:
    """What to lay out, and how: ``first``/``last`` are pinned to the first and last rank."""

    boxes: list[Box] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    first: list[str] = field(default_factory=list)
    last: list[str] = field(default_factory=list)
    rankdir: str = "LR"
    nodesep: float = 18.0  # pixels between neighbours in a rank
    ranksep: float = 24.0  # pixels between ranks
    splines: str = "spline"  # spline, ortho or polyline


@dataclass
class Placement:
    """Where everything went: node bounds, each edge as cubic Bézier control points (start, then three per
    segment) plus the arrow tip, and the centre of each edge label."""

    width: float
    height: float
    boxes: dict[str, Bounds] = field(default_factory=dict)
    curves: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    tips: dict[str, tuple[float, float]] = field(default_factory=dict)
    labels: dict[str, tuple[float, float]] = field(default_factory=dict)


def layout(scene: Scene) -> Placement:
    """Lay ``scene`` out with dot (pygraphviz in-process; a system ``dot`` when pygraphviz is missing)."""
    if len(scene.boxes) > GRID_SCENE:
        return grid(scene)
    source = to_dot(scene)
    try:
        import pygraphviz
    except ImportError:
        return _parse(_run_system_dot(source))
    graph = pygraphviz.AGraph(string=source)
    return _parse(graph.draw(format="json", prog="dot", args="-q").decode("utf-8"))  # -q: no warnings


def grid(scene: Scene) -> Placement:
    """Boxes in breadth-first order from ``first``, in columns (rows for a top-to-bottom scene) of about
    the square root of their number; arcs straight from the side of one box to the side of the other."""
    succ: dict[str, list[str]] = {}
    for link in scene.links:
        succ.setdefault(link.source, []).append(link.target)
    boxes = {b.id: b for b in scene.boxes}
    order: list[str] = []
    seen: set[str] = set()
    for root in [*scene.first, *boxes]:
        queue = [root]
        while queue:
            node = queue.pop(0)
            if node in seen or node not in boxes:
                continue
            seen.add(node)
            order.append(node)
            queue.extend(succ.get(node, []))
    across = max(1, round(len(order) ** 0.5))
    flip = scene.rankdir == "TB"  # lay out left to right, then turn the picture for top to bottom
    placed = Placement(0.0, 0.0)
    x = 0.0
    for start in range(0, len(order), across):
        column = [boxes[i] for i in order[start : start + across]]
        thick = max((b.height if flip else b.width) for b in column)
        y = 0.0
        for b in column:
            w, h = (b.height, b.width) if flip else (b.width, b.height)
            placed.boxes[b.id] = _turned(Bounds(x + (thick - w) / 2, y, w, h), flip)
            y += h + scene.nodesep
        placed.height = max(placed.height, y)
        x += thick + 2 * scene.ranksep
    placed.width = x
    if flip:
        placed.width, placed.height = placed.height, placed.width
    for link in scene.links:
        a, b = placed.boxes[link.source], placed.boxes[link.target]
        start, end = (a.x + a.width, a.y + a.height / 2), (b.x, b.y + b.height / 2)
        placed.curves[link.id] = [start, start, end, end]
        placed.tips[link.id] = end
        if link.label is not None:
            placed.labels[link.id] = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    return placed


def _turned(b: Bounds, flip: bool) -> Bounds:
    return Bounds(b.y, b.x, b.height, b.width) if flip else b


def engine() -> str:
    """Which Graphviz lays out: ``pygraphviz`` or the path of the system ``dot``."""
    try:
        import pygraphviz  # noqa: F401
    except ImportError:
        return shutil.which("dot") or "none"
    return "pygraphviz"


def _run_system_dot(source: str) -> str:
    dot = shutil.which("dot")
    if dot is None:
        raise LayoutUnavailable(NO_GRAPHVIZ)
    try:
        done = subprocess.run(
            [dot, "-q", "-Tjson"],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=DOT_TIMEOUT,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise LayoutUnavailable(f"Graphviz's dot failed: {exc}") from exc
    return done.stdout.decode("utf-8")


def to_dot(scene: Scene) -> str:
    """The DOT text of ``scene``: fixed sizes everywhere, no text for Graphviz to measure."""
    splines, effort = scene.splines, ""
    if len(scene.links) > BIG_SCENE and splines != "ortho":  # who asks for ortho has bounded the scene
        splines = "line"
        effort = f", mclimit={max(0.01, BIG_SCENE / len(scene.links) / 4):.3f}, nslimit=2, nslimit1=2"
    lines = [
        "digraph procmine {",
        f"  graph [rankdir={scene.rankdir}, nodesep={scene.nodesep / 72:.4f}, "
        f"ranksep={scene.ranksep / 72:.4f}, splines={splines}, margin=0, pad=0{effort}];",
        '  node [fixedsize=true, label="", margin=0];',
        "  edge [arrowsize=0.7];",
    ]
    for box in scene.boxes:
        lines.append(
            f'  "{box.id}" [shape={box.shape}, width={box.width / 72:.4f}, height={box.height / 72:.4f}'
            + (f', group="{box.group}"' if box.group else "")
            + "];"
        )
    for rank, members in (("min", scene.first), ("max", scene.last)):
        if members:
            quoted = " ".join(f'"{m}"' for m in members)
            lines.append(f"  {{rank={rank}; {quoted}}}")
    for link in scene.links:
        attrs = [f'id="{link.id}"']
        if link.label is not None:
            w, h = link.label
            attrs.append(
                'label=<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>'
                f'<TD FIXEDSIZE="TRUE" WIDTH="{max(round(w), 1)}" HEIGHT="{max(round(h), 1)}"></TD>'
                "</TR></TABLE>>"
            )
        if link.weight != 1:
            attrs.append(f"weight={link.weight}")
        lines.append(f'  "{link.source}" -> "{link.target}" [{", ".join(attrs)}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _parse(text: str) -> Placement:
    data = json.loads(text)
    _, _, width, height = (float(v) for v in data["bb"].split(","))

    def point(value: str) -> tuple[float, float]:
        x, y = value.split(",")[:2]
        return round(float(x), 2), round(height - float(y), 2)

    placed = Placement(width=width, height=height)
    names = {}
    for node in data.get("objects", []):
        if "pos" not in node:
            continue  # a subgraph
        names[node["_gvid"]] = node["name"]
        cx, cy = point(node["pos"])
        w, h = float(node["width"]) * 72, float(node["height"]) * 72
        placed.boxes[node["name"]] = Bounds(cx - w / 2, cy - h / 2, w, h)
    for edge in data.get("edges", []):
        key = edge.get("id") or f"{names[edge['tail']]}->{names[edge['head']]}"
        controls: list[tuple[float, float]] = []
        for part in edge.get("pos", "").split():
            if part.startswith("e,"):
                placed.tips[key] = point(part[2:])
            elif not part.startswith("s,"):
                controls.append(point(part))
        placed.curves[key] = controls
        if "lp" in edge:
            placed.labels[key] = point(edge["lp"])
    return placed
