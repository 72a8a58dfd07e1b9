"""Room between flows that dot lays side by side: a laid-out process is stretched across the main line in
the gaps between shapes where the tracks of flows running along it lie closer than ``SPACING``.

Graphviz's orthogonal router spaces the tracks of a channel by the height of the channel's first cell, and
that cell is often the thin slice between the main line's tasks and a shape of the next row: BPIC 2012's
model had seven long flows 1.6 pixels apart over 4,000 pixels above its main line, which bpmn.io draws as
one thick line. In a gap (a band across the whole picture that no shape reaches into), two neighbouring
tracks closer than ``SPACING`` are moved apart to ``SPACING``: everything below moves down by what they
lacked, what lies between them in proportion. That map keeps order, so nothing crosses that did not
cross, every flow stays orthogonal, and shapes only move (their size and the flows' ends on their
outlines kept).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from procmine.model.bpmn import Bounds

SPACING = 8.0  # pixels between neighbouring tracks that run side by side (bpmn.io draws 1.5-pixel lines)
EDGE = 1.0  # a point this near a shape's edge belongs to the shape (dot's ends are rounded)

Point = tuple[float, float]


def make_room(nodes: dict[str, Bounds], flows: dict[str, list[Point]]) -> float:
    """Stretch the shapes and routes of one laid-out process in place, top to bottom; returns the height
    added."""
    plan = [step for low, high in _gaps(list(nodes.values())) for step in _steps(low, high, flows.values())]
    if not plan:
        return 0.0

    def moved(y: float) -> float:
        out = y
        for low, high, added in plan:
            if y >= high:
                out += added
            elif y > low:
                out += added * (y - low) / (high - low)
        return round(out, 1)

    for node_id, b in nodes.items():
        nodes[node_id] = Bounds(b.x, moved(b.y), b.width, b.height)
    for flow_id, points in flows.items():
        flows[flow_id] = [(x, moved(y)) for x, y in points]
    return round(sum(added for _, _, added in plan), 1)


def _gaps(shapes: list[Bounds]) -> list[tuple[float, float]]:
    """The bands, top to bottom, that no shape reaches into."""
    gaps: list[tuple[float, float]] = []
    reach: float | None = None
    for top, bottom in sorted((b.y, b.y + b.height) for b in shapes):
        if reach is not None and top - EDGE > reach + EDGE:
            gaps.append((reach + EDGE, top - EDGE))
        reach = bottom if reach is None else max(reach, bottom)
    return gaps


def _steps(low: float, high: float, routes: Iterable[list[Point]]) -> list[tuple[float, float, float]]:
    """Where the band from ``low`` to ``high`` must grow: between two neighbouring horizontal tracks closer
    than ``SPACING`` whose segments run side by side, by what they lack (from, to, added)."""
    tracks: dict[float, list[tuple[float, float]]] = {}
    for points in routes:
        for a, b in pairwise(points):
            if a[1] == b[1] and a[0] != b[0] and low < a[1] < high:
                tracks.setdefault(a[1], []).append((min(a[0], b[0]), max(a[0], b[0])))
    ys = sorted(tracks)
    return [
        (y, after, SPACING - (after - y))
        for y, after in pairwise(ys)
        if after - y < SPACING and _side_by_side(tracks[y], tracks[after])
    ]


def _side_by_side(one: list[tuple[float, float]], other: list[tuple[float, float]]) -> bool:
    return any(min(a[1], b[1]) - max(a[0], b[0]) > 1.0 for a in one for b in other)
