"""A diagram wider than a page, cut between its shapes into strips stacked top to bottom (the body drawn
once, shown again by ``<use>``), so that at full size each strip fits the report's page."""

from __future__ import annotations

import math
from itertools import pairwise

from procmine.model.bpmn import Bounds
from procmine.renderers.svg import attr, num
from procmine.renderers.svg.textsize import FONT_FAMILY

# Diagrams wider than this are cut into strips stacked top to bottom: at full size each fits the report's
# page (1136 px of content on a 1200 px window) with its 10-11 px labels legible.
STRIP_WIDTH = 1100.0
STRIP_GAP = 28.0
FONT_SIZE = 11  # of the diagram's labels, which textsize measures in FONT_FAMILY
_FONT = f'font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}"'


def frame(head: str, body: str, extent: tuple[float, ...], shapes: list[Bounds], dom_id: str) -> str:
    """The diagram as one ``<svg>``; one wider than ``STRIP_WIDTH`` is cut between shapes into strips
    stacked top to bottom (the body drawn once, shown again by ``<use>``), so it fits a page at full size."""
    x0, y0, x1, y1 = extent
    width, height = x1 - x0, y1 - y0
    cuts = _cuts(x0, x1, shapes)
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" class="bpmn-diagram" id={id} viewBox="{box}" '
        'width="{w}" height="{h}" role="img" ' + _FONT + ">"
    )
    if len(cuts) == 2:
        box = f"{num(x0)} {num(y0)} {num(width)} {num(height)}"
        return svg.format(id=attr(dom_id), box=box, w=num(width), h=num(height)) + head + body + "</svg>"
    strip = max(b - a for a, b in pairwise(cuts))
    total = (len(cuts) - 1) * (height + STRIP_GAP) - STRIP_GAP
    box = f"0 0 {num(strip)} {num(total)}"
    out = [svg.format(id=attr(dom_id), box=box, w=num(strip), h=num(total)), head]
    for k, (a, b) in enumerate(pairwise(cuts)):
        top = k * (height + STRIP_GAP)
        inner = f'<g id="{dom_id}-body">{body}</g>' if k == 0 else f'<use href="#{dom_id}-body"/>'
        if k:
            out.append(
                f'<line class="strip-cut" x1="0" x2="{num(strip)}" y1="{num(top - STRIP_GAP / 2)}" '
                f'y2="{num(top - STRIP_GAP / 2)}" stroke="#b8bfca" stroke-dasharray="6 4"/>'
                f'<text x="{num(strip - 4)}" y="{num(top - STRIP_GAP / 2 - 4)}" text-anchor="end" '
                f'font-size="10" fill="#6b7280">continued below</text>'
            )
        out.append(
            f'<svg class="strip" x="0" y="{num(top)}" width="{num(b - a)}" height="{num(height)}" '
            f'viewBox="{num(a)} {num(y0)} {num(b - a)} {num(height)}">{inner}</svg>'
        )
    return "".join(out) + "</svg>"


def _cuts(x0: float, x1: float, shapes: list[Bounds]) -> list[float]:
    """Where to cut ``[x0, x1]`` into strips at most about ``STRIP_WIDTH`` wide: in a gap between shapes
    near each even share of the width when there is one."""
    count = math.ceil((x1 - x0) / STRIP_WIDTH)
    if count <= 1:
        return [x0, x1]
    spans = sorted((b.x - 8, b.x + b.width + 8) for b in shapes)
    cuts = [x0]
    for k in range(1, count):
        ideal = x0 + (x1 - x0) * k / count
        free = [x for x in _gaps(spans) if cuts[-1] + STRIP_WIDTH / 3 < x < cuts[-1] + STRIP_WIDTH]
        cuts.append(min(free, key=lambda x: abs(x - ideal)) if free else min(ideal, cuts[-1] + STRIP_WIDTH))
    return [*cuts, x1]


def _gaps(spans: list[tuple[float, float]]) -> list[float]:
    """The middles of the free x ranges between horizontal spans of shapes."""
    out = []
    reach = float("-inf")
    for a, b in spans:
        if a > reach and reach != float("-inf"):
            out.append((reach + a) / 2)
        reach = max(reach, b)
    return out
