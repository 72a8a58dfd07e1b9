"""map.svg: the process map of a report's ``map`` section, laid out by Graphviz's dot.

Boxes are activities (with their number of events, darker the more frequent); arcs are handovers, from a
start circle at the left to an end circle at the right. Three views (``mode``): ``frequency`` (arcs
labelled with how often they occur, thicker and darker blue the more often), ``performance`` (arcs
labelled with their median wait, thicker and redder the longer cases wait) and ``combined`` (discover's
map.svg: both labels, thickness by count, colour by wait). Labels are wrapped, never cut; the caption says
what share of the log the map draws.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from procmine.renderers.svg import num, text
from procmine.renderers.svg.dot_layout import Box, Link, Placement, Scene, layout
from procmine.renderers.svg.textsize import FONT_FAMILY, LINE_HEIGHT, text_width, wrap
from procmine.sections.map import MapPath, MapSection
from procmine.timefmt import duration

MODES = ("frequency", "performance", "combined")
NAME_SIZE, COUNT_SIZE, ARC_SIZE, CAPTION_SIZE = 12.0, 12.0, 12.0, 12.0
BOX_TEXT_WIDTH = 90.0  # activity names wrap at this width (narrow boxes keep a left-to-right map short)
PAD_X, PAD_Y, MARGIN, EVENT_SIZE = 10.0, 6.0, 12.0, 22.0
WAIT_COLOURS = ((150, 150, 150), (170, 20, 20))  # grey (no wait) to dark red (the longest median wait)
FREQUENCY_COLOURS = ((150, 160, 175), (31, 78, 140))  # grey-blue (rare) to dark blue (the most frequent)
BOX_COLOURS = ((238, 243, 251), (58, 103, 166))  # the fill of the rarest and of the most frequent activity
START_ID, END_ID = "start", "end"
MIN_HANDOVERS, MIN_CASE_SHARE = 5, 0.01  # an arc's wait colours it when it has this many handovers
# The HTML report: a map fits its page at a legible size when, scaled to the content width of a 1200 px
# wide page, its smallest text is still MIN_TEXT px. It runs left to right, as discover's map; when the
# default map is too wide for that, the report offers the most detailed smaller maps that fit (left to
# right) and, last, the default map drawn top to bottom (the page has room downwards, not sideways).
REPORT_WIDTH = 1136.0
MIN_TEXT = 10.0
REPORT_MODES = ("frequency", "performance")
REPORT_LEVELS = ((18, 30), (14, 24), (12, 20), (10, 16), (8, 12), (6, 9))  # (activities, paths) tried
MAX_SMALLER_LEVELS = 1  # smaller left-to-right maps offered beside the default
RANK_GAP, NEIGHBOUR_GAP = 16.0, 16.0  # pixels between ranks and between neighbours in a rank


def render_map(section: MapSection | dict[str, Any], mode: str = "combined", rankdir: str = "LR") -> str:
    """The process map of a ``map`` section (or its dict) as a complete SVG document."""
    if mode not in MODES:
        raise ValueError(f"unknown map mode {mode!r} (modes: {', '.join(MODES)})")
    if isinstance(section, dict):
        section = MapSection.from_dict(section)
    return _Map(section, mode).svg(rankdir)


def render_maps(section: MapSection, modes: tuple[str, ...], rankdir: str = "LR") -> dict[str, str]:
    return {mode: render_map(section, mode, rankdir) for mode in modes}


@dataclass(frozen=True)
class MapLevel:
    """One level of detail of the report's map: its name, what it shows, its SVG per view."""

    name: str
    caption: str
    svgs: dict[str, str]


def fits_page(svg: str) -> bool:
    """Whether the map, scaled to the report's width, keeps its smallest text legible."""
    width = float(svg.split('width="', 1)[1].split('"', 1)[0])
    return width * MIN_TEXT / min(NAME_SIZE, COUNT_SIZE, ARC_SIZE, CAPTION_SIZE) <= REPORT_WIDTH


def report_maps(default: MapSection, smaller: Callable[[int, int], MapSection]) -> list[MapLevel]:
    """The report's map: the default map, left to right, when it fits the page; otherwise up to
    ``MAX_SMALLER_LEVELS`` of the ``REPORT_LEVELS`` that fit left to right (``smaller(activities, paths)``
    builds one), most detailed first, then the default map top to bottom (or, should even that be too
    wide, the smallest level top to bottom)."""
    level = _level(default, "LR")
    if _fits(level):
        return [level]
    levels: list[MapLevel] = []
    for activities, paths in REPORT_LEVELS:
        if activities < default.activities_shown and len(levels) < MAX_SMALLER_LEVELS:
            level = _level(smaller(activities, paths), "LR")
            if _fits(level):
                levels.append(level)
    upright = _level(default, "TB")
    if not _fits(upright):
        smallest = REPORT_LEVELS[-1]
        upright = _level(smaller(*smallest) if smallest[0] < default.activities_shown else default, "TB")
    return [*levels, upright]


def _level(section: MapSection, rankdir: str) -> MapLevel:
    name = f"{section.activities_shown} activities"
    if rankdir == "TB":
        name += ", top to bottom"
    return MapLevel(name, section.caption, render_maps(section, REPORT_MODES, rankdir=rankdir))


def _fits(level: MapLevel) -> bool:
    return all(fits_page(svg) for svg in level.svgs.values())


class _Map:
    def __init__(self, section: MapSection, mode: str) -> None:
        self.section, self.mode = section, mode
        self.ids = {a.activity: f"a{i}" for i, a in enumerate(section.activities)}
        self.events = {a.activity: a.events for a in section.activities}
        counts = [p.count for p in section.paths] or [1]
        # a wait seen on a handful of handovers is no pattern: such arcs are labelled, not coloured hot
        self.solid = max(MIN_HANDOVERS, math.ceil(section.cases * MIN_CASE_SHARE))
        waits = [p.wait_median for p in section.paths if p.wait_median and p.count >= self.solid]
        self.most, self.longest = max(counts) or 1, max(waits, default=0.0) or 1.0
        self.busiest = max(self.events.values(), default=1) or 1
        self.names = {a: wrap(a, BOX_TEXT_WIDTH, NAME_SIZE) for a in self.events}

    def node(self, name: str | None, end: bool) -> str:
        return self.ids[name] if name is not None else END_ID if end else START_ID

    def path_id(self, k: int) -> str:
        return f"p{k}"

    def label(self, path: MapPath) -> str:
        if path.source is None or path.target is None:
            return "" if self.mode == "performance" else f"{path.count:,}"
        if self.mode == "frequency":
            return f"{path.count:,}"
        wait = duration(path.wait_median) if path.wait_median is not None else ""
        return wait if self.mode == "performance" else f"{path.count:,} · {wait}"

    def box_size(self, name: str) -> tuple[float, float]:
        lines = self.names[name]
        width = max([text_width(line, NAME_SIZE) for line in lines] + [text_width("0" * 7, COUNT_SIZE)])
        height = len(lines) * NAME_SIZE * LINE_HEIGHT + COUNT_SIZE * LINE_HEIGHT
        return round(width + 2 * PAD_X), round(height + 2 * PAD_Y)

    def scene(self, rankdir: str) -> Scene:
        boxes = [
            Box(START_ID, EVENT_SIZE, EVENT_SIZE, "circle"),
            Box(END_ID, EVENT_SIZE, EVENT_SIZE, "circle"),
        ]
        boxes += [Box(self.ids[a], *self.box_size(a)) for a in self.events]
        links = []
        for k, path in enumerate(self.section.paths):
            label = self.label(path)
            size = (text_width(label, ARC_SIZE) + 4, ARC_SIZE * LINE_HEIGHT) if label else None
            weight = 1 + round(4 * path.count / self.most)
            links.append(
                Link(
                    self.path_id(k), self.node(path.source, False), self.node(path.target, True), size, weight
                )
            )
        return Scene(
            boxes,
            links,
            first=[START_ID],
            last=[END_ID],
            rankdir=rankdir,
            nodesep=NEIGHBOUR_GAP,
            ranksep=RANK_GAP,
        )

    def svg(self, rankdir: str) -> str:
        placed = layout(self.scene(rankdir))
        caption = wrap(self.section.caption, max(placed.width, 420.0), CAPTION_SIZE)
        width = max(placed.width, max(text_width(c, CAPTION_SIZE) for c in caption)) + 2 * MARGIN
        caption_height = len(caption) * CAPTION_SIZE * LINE_HEIGHT
        height = placed.height + 2 * MARGIN + caption_height + 6
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(width)}" height="{num(height)}" '
            f'viewBox="0 0 {num(width)} {num(height)}" font-family="{FONT_FAMILY}" '
            f'font-size="{num(ARC_SIZE)}">',
            f"<title>Process map ({self.mode}): {text(self.section.caption)}</title>",
            '<rect width="100%" height="100%" fill="white"/>',
            f'<g transform="translate({num(MARGIN)},{num(MARGIN)})">',
        ]
        out += [self.arc(k, path, placed) for k, path in enumerate(self.section.paths)]
        out += [self.activity(a, placed) for a in self.events]
        out += [self.terminal(START_ID, placed), self.terminal(END_ID, placed)]
        out.append("</g>")
        top = MARGIN + placed.height + 6 + CAPTION_SIZE
        for i, line in enumerate(caption):
            y = top + i * CAPTION_SIZE * LINE_HEIGHT
            out.append(
                f'<text class="caption" x="{num(MARGIN)}" y="{num(y)}" font-size="{num(CAPTION_SIZE)}" '
                f'fill="#444">{text(line)}</text>'
            )
        out.append("</svg>")
        return "\n".join(out) + "\n"

    def heat(self, path: MapPath) -> float:
        """0 (no wait) to 1 (the longest median wait among arcs with enough handovers)."""
        if path.count < self.solid:
            return 0.0
        return min((path.wait_median or 0.0) / self.longest, 1.0)

    def colour(self, path: MapPath) -> str:
        if self.mode == "frequency":
            return _mix(FREQUENCY_COLOURS, path.count / self.most)
        return _mix(WAIT_COLOURS, self.heat(path))

    def pen(self, path: MapPath) -> float:
        share = self.heat(path) if self.mode == "performance" else path.count / self.most
        return round(1 + 4 * share, 1)

    def arc(self, k: int, path: MapPath, placed: Placement) -> str:
        key = self.path_id(k)
        points, tip = placed.curves.get(key), placed.tips.get(key)
        if not points:
            return ""
        colour, pen = self.colour(path), self.pen(path)
        d = f"M{_pt(points[0])}" + "".join(
            f" C{_pt(points[i])} {_pt(points[i + 1])} {_pt(points[i + 2])}"
            for i in range(1, len(points) - 2, 3)
        )
        gaps = f"{num(4 + 2 * pen)} {num(3 + pen)}"
        dash = f' stroke-dasharray="{gaps}"' if path.source is None or path.target is None else ""
        tip = tip or points[-1]
        source, target = path.source or "start", path.target or "end"
        wait = f", median wait {duration(path.wait_median)}" if path.wait_median is not None else ""
        out = [
            f'<g class="path"><title>{text(source)} → {text(target)}: {path.count:,} times{wait}</title>',
            f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{num(pen)}"{dash}/>',
            _arrowhead(points[-1], tip, colour, pen),
        ]
        label = self.label(path)
        if label and key in placed.labels:
            x, y = placed.labels[key]
            out.append(
                f'<text class="path-label" x="{num(x)}" y="{num(y + ARC_SIZE * 0.35)}" text-anchor="middle" '
                f'fill="{colour}">{text(label)}</text>'
            )
        out.append("</g>")
        return "".join(out)

    def activity(self, name: str, placed: Placement) -> str:
        b = placed.boxes[self.ids[name]]
        share = self.events[name] / self.busiest
        fill = _mix(BOX_COLOURS, share**0.5)
        ink = "#fff" if share**0.5 > 0.55 else "#1d2733"
        lines = self.names[name]
        step = NAME_SIZE * LINE_HEIGHT
        top = b.y + PAD_Y + NAME_SIZE * 0.95
        cx = b.x + b.width / 2
        texts = "".join(
            f'<text class="activity-label" x="{num(cx)}" y="{num(top + i * step)}" text-anchor="middle" '
            f'font-size="{num(NAME_SIZE)}" fill="{ink}">{text(line)}</text>'
            for i, line in enumerate(lines)
        )
        count_y = top + len(lines) * step - NAME_SIZE * 0.1
        return (
            f'<g class="activity"><title>{text(name)}: {self.events[name]:,} events</title>'
            f'<rect x="{num(b.x)}" y="{num(b.y)}" width="{num(b.width)}" height="{num(b.height)}" rx="6" '
            f'fill="{fill}" stroke="#3a5f8f" stroke-width="1"/>{texts}'
            f'<text class="activity-count" x="{num(cx)}" y="{num(count_y)}" text-anchor="middle" '
            f'font-size="{num(COUNT_SIZE)}" fill="{ink}">{self.events[name]:,}</text></g>'
        )

    def terminal(self, node_id: str, placed: Placement) -> str:
        b = placed.boxes[node_id]
        cx, cy, r = b.x + b.width / 2, b.y + b.height / 2, b.width / 2
        if node_id == START_ID:
            shape = (
                f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(r)}" fill="#5cae5c"/><path d="M{num(cx - 3)} '
                f'{num(cy - 5)} L{num(cx + 5)} {num(cy)} L{num(cx - 3)} {num(cy + 5)} z" fill="#fff"/>'
            )
        else:
            shape = (
                f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(r)}" fill="#c0504d"/>'
                f'<rect x="{num(cx - 4)}" y="{num(cy - 4)}" width="8" height="8" fill="#fff"/>'
            )
        return f'<g class="{node_id}"><title>{node_id} of the cases</title>{shape}</g>'


def _pt(p: tuple[float, float]) -> str:
    return f"{num(p[0])},{num(p[1])}"


def _arrowhead(base: tuple[float, float], tip: tuple[float, float], colour: str, pen: float) -> str:
    dx, dy = tip[0] - base[0], tip[1] - base[1]
    length = (dx * dx + dy * dy) ** 0.5 or 1.0
    ux, uy = dx / length, dy / length
    half = 3 + pen / 2
    bx, by = base
    corners = ((tip[0], tip[1]), (bx - uy * half, by + ux * half), (bx + uy * half, by - ux * half))
    return f'<polygon points="{" ".join(_pt(c) for c in corners)}" fill="{colour}"/>'


def _mix(scale: tuple[tuple[int, int, int], tuple[int, int, int]], t: float) -> str:
    low, high = scale
    t = max(0.0, min(t, 1.0))
    r, g, b = (round(lo + (hi - lo) * t) for lo, hi in zip(low, high, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"
