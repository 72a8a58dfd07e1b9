"""Small hand-rolled inline-SVG charts for the HTML report: bars, histogram, line (trend), coverage curve.

Hand-rolled rather than matplotlib: a few hundred bytes per chart, no heavy import, crisp when printed,
and every label goes through one escaping function. Charts scale to their container (``viewBox`` with
``width=100%``), use one accent colour and carry a ``<title>`` for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from procmine.renderers.svg import attr, num, text
from procmine.renderers.svg.textsize import text_width

ACCENT = "#2f6db5"
MUTED = "#8a94a6"
GRID = "#e3e7ee"
PALETTE = ("#2f6db5", "#d9822b", "#2e9e6b", "#b33a6e", "#7a5cc2", "#c4a000")

Formatter = Callable[[float], str]
Unit = Callable[[float], float]  # the unit (in the values' own terms) a label writes a value in


def _open(width: float, height: float, title: str, cls: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class={attr("chart " + cls)} '
        f'viewBox="0 0 {num(width)} {num(height)}" width="100%" role="img" '
        f'preserveAspectRatio="xMinYMin meet" font-family="system-ui, sans-serif" font-size="11">',
        f"<title>{text(title)}</title>",
    ]


MAX_STEPS = (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)  # an axis's top: at most a fifth of it left empty
TICK_STEPS = (1, 2, 2.5, 5, 10)  # between labels


def _nice_max(value: float, unit: Unit | None = None, steps: tuple[float, ...] = MAX_STEPS) -> float:
    """A round axis maximum at or above ``value`` (``steps`` times a power of ten), round in the unit the
    labels are written in when ``unit`` says which (``timefmt.duration_unit``: 600 d, not 578.7 d)."""
    if value <= 0:
        return 1.0
    scale = float(unit(value)) if unit else 1.0
    base = 10.0 ** math.floor(math.log10(value / scale))
    return scale * next(s * base for s in steps if s * base >= value / scale * (1 - 1e-12))


def _nice_ticks(low: float, high: float, unit: Unit | None = None) -> list[float]:
    """Between two and six round values from ``low`` to ``high`` (multiples of 1, 2, 2.5 or 5 times a power
    of ten, in the labels' unit): an axis reads 0, 100 d, 200 d, 300 d, 400 d, not 0, 211.2 d, 422.3 d."""
    span = high - low
    if span <= 0:
        return [low]
    step = _nice_max(span / 5, unit, TICK_STEPS)
    first = math.ceil(low / step - 1e-9) * step
    return [first + k * step for k in range(int((high - first) / step + 1e-9) + 1)]


def empty_chart(message: str, width: float = 560, height: float = 60) -> str:
    out = _open(width, height, message, "empty")
    out.append(f'<text x="{num(width / 2)}" y="{num(height / 2)}" text-anchor="middle" fill="{MUTED}">')
    out.append(f"{text(message)}</text></svg>")
    return "".join(out)


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    format_value: Formatter = lambda v: f"{v:,.0f}",
    width: float = 560,
    bar_height: float = 18,
    label_width: float = 200,
    highlight: int = 0,
) -> str:
    """Horizontal bars, one per item, labelled on the left and valued on the right.

    ``highlight`` colours the first N bars in the accent colour and the rest muted (e.g. the top bottleneck).
    """
    if not items:
        return empty_chart(f"{title}: no data")
    gap = 6
    height = len(items) * (bar_height + gap) + gap
    top = max((v for _, v in items), default=0) or 1
    plot = width - label_width - 70
    out = _open(width, height, title, "bars")
    for i, (label, value) in enumerate(items):
        y = gap + i * (bar_height + gap)
        w = max(1.0, plot * max(value, 0) / top)
        short = label if len(label) <= 32 else label[:31] + "…"
        colour = ACCENT if highlight == 0 or i < highlight else MUTED
        out.append(
            f'<text x="{num(label_width - 6)}" y="{num(y + bar_height * 0.7)}" text-anchor="end">'
            f"<title>{text(label)}</title>{text(short)}</text>"
            f'<rect x="{num(label_width)}" y="{num(y)}" width="{num(w)}" height="{num(bar_height)}" '
            f'rx="2" fill="{colour}"/>'
            f'<text x="{num(label_width + w + 5)}" y="{num(y + bar_height * 0.7)}">'
            f"{text(format_value(value))}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def histogram(
    bins: Sequence[tuple[float, float, int]],
    *,
    title: str,
    format_edge: Formatter = lambda v: f"{v:g}",
    width: float = 560,
    height: float = 200,
    marker: tuple[float, str] | None = None,
    unit: Unit | None = None,
) -> str:
    """Vertical bars over consecutive ``(low, high, count)`` bins; ``marker`` draws a labelled vertical line
    at a value on the same scale (e.g. the SLA target); the x axis is labelled at round values (in the unit
    ``unit`` gives for a value, when the labels are durations)."""
    if not bins or sum(c for _, _, c in bins) == 0:
        return empty_chart(f"{title}: no data")
    left, bottom, right, top_pad = 44, 34, 10, 16
    plot_w, plot_h = width - left - right, height - bottom - top_pad
    top = _nice_max(max(c for _, _, c in bins))
    lo, hi = bins[0][0], bins[-1][1]
    span = (hi - lo) or 1
    out = _open(width, height, title, "histogram")
    out += _gridlines(left, width - right, top_pad, plot_h, lambda frac: f"{top * frac:,.0f}")
    for low, high, count in bins:
        x = left + plot_w * (low - lo) / span
        w = max(1.0, plot_w * (high - low) / span - 1)
        h = plot_h * count / top
        out.append(
            f'<rect x="{num(x)}" y="{num(top_pad + plot_h - h)}" width="{num(w)}" height="{num(h)}" '
            f'fill="{ACCENT}"><title>{text(format_edge(low))} – {text(format_edge(high))}: '
            f"{count:,}</title></rect>"
        )
    for value in _nice_ticks(lo, hi, unit):
        x = left + plot_w * (value - lo) / span
        anchor = "start" if x < left + 20 else "end" if x > left + plot_w - 20 else "middle"
        out.append(
            f'<text x="{num(x)}" y="{num(height - bottom + 16)}" text-anchor="{anchor}" fill="{MUTED}">'
            f"{text(format_edge(value))}</text>"
        )
    if marker is not None and lo <= marker[0] <= hi:
        x = left + plot_w * (marker[0] - lo) / span
        out.append(
            f'<line x1="{num(x)}" x2="{num(x)}" y1="{top_pad - 6}" y2="{num(top_pad + plot_h)}" '
            f'stroke="#c0392b" stroke-dasharray="4 3"/>'
            f'<text x="{num(x + 4)}" y="{top_pad - 4}" fill="#c0392b">{text(marker[1])}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _gridlines(
    left: float, right: float, top_pad: float, plot_h: float, label: Callable[[float], str]
) -> list[str]:
    """Horizontal lines at the bottom, the middle and the top of a plot, labelled at the left."""
    out = []
    for frac in (0, 0.5, 1):
        y = top_pad + plot_h * (1 - frac)
        out.append(
            f'<line x1="{num(left)}" x2="{num(right)}" y1="{num(y)}" y2="{num(y)}" stroke="{GRID}"/>'
            f'<text x="{num(left - 4)}" y="{num(y + 4)}" text-anchor="end" fill="{MUTED}">'
            f"{text(label(frac))}</text>"
        )
    return out


def line_chart(
    labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    title: str,
    format_value: Formatter = lambda v: f"{v:,.0f}",
    width: float = 560,
    height: float = 200,
    unit: Unit | None = None,
    hollow: Sequence[bool] = (),
    notes: Sequence[str] = (),
) -> str:
    """One line per series over the same categorical x axis (periods); None leaves a gap. The y axis ends on
    a round value (in the unit ``unit`` gives, when the values are durations). A period marked in ``hollow``
    is drawn as a hollow point that no line joins (too few cases to read a trend from); ``notes`` adds a
    text to each period's tooltip."""
    values = [v for s in series.values() for v in s if v is not None]
    if not labels or not values:
        return empty_chart(f"{title}: no data")
    left, bottom, right, top_pad = 56, 30, 16, 14
    legend_h = 16 * len(series) if len(series) > 1 else 0
    plot_w, plot_h = width - left - right, height - bottom - top_pad - legend_h
    top = _nice_max(max(values), unit)
    step = plot_w / max(len(labels) - 1, 1)
    out = _open(width, height, title, "line")
    out += _gridlines(left, width - right, top_pad, plot_h, lambda frac: format_value(top * frac))
    every = max(1, math.ceil(len(labels) / 6))
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            anchor = "start" if i == 0 else "end" if i == len(labels) - 1 else "middle"
            out.append(
                f'<text x="{num(left + i * step)}" y="{num(top_pad + plot_h + 16)}" text-anchor="{anchor}" '
                f'fill="{MUTED}">{text(label)}</text>'
            )
    for k, (name, points) in enumerate(series.items()):
        colour = PALETTE[k % len(PALETTE)]
        path: list[str] = []
        for i, v in enumerate(points):
            if v is None:
                path.append("")
                continue
            x, y = left + i * step, top_pad + plot_h * (1 - v / top)
            faint = i < len(hollow) and hollow[i]
            path.append("" if faint else f"{num(x)},{num(y)}")
            fill = f'fill="white" stroke="{colour}" stroke-width="1.5"' if faint else f'fill="{colour}"'
            note = f" ({notes[i]})" if i < len(notes) and notes[i] else ""
            out.append(
                f'<circle cx="{num(x)}" cy="{num(y)}" r="3" {fill}>'
                f"<title>{text(name)} {text(labels[i])}: {text(format_value(v))}{text(note)}</title></circle>"
            )
        for run in " ".join(path).split("  "):
            if run.strip().count(",") > 1:
                out.append(
                    f'<polyline points="{run.strip()}" fill="none" stroke="{colour}" stroke-width="2"/>'
                )
        if legend_h:
            y = height - legend_h + 16 * k + 8
            out.append(
                f'<rect x="{left}" y="{y - 8}" width="10" height="10" fill="{colour}"/>'
                f'<text x="{left + 14}" y="{y + 1}">{text(name)}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def coverage_curve(
    points: Sequence[tuple[int, float]],
    *,
    title: str,
    total_variants: int | None = None,
    width: float = 560,
    height: float = 200,
    mark: float = 0.8,
    reach: int | None = None,
) -> str:
    """Share of cases covered (0..1) by the N most frequent variants, with the N that reaches ``mark``.

    ``points`` are ``(number of variants, cumulative share)``; the x axis is logarithmic when there are many
    variants, so the head of a 50k-variant log stays readable. ``reach``: the exact N for ``mark`` (the
    points are a sample of the curve, so the first sampled point past the mark can be a few variants later).
    """
    pts = sorted((int(n), float(s)) for n, s in points if n > 0)
    if not pts:
        return empty_chart(f"{title}: no data")
    n_max = max(total_variants or 0, pts[-1][0])
    log_x = n_max > 50
    left, bottom, right, top_pad = 44, 30, 14, 14
    plot_w, plot_h = width - left - right, height - bottom - top_pad

    def x_of(n: float) -> float:
        if log_x:
            return left + plot_w * math.log10(max(n, 1)) / math.log10(n_max)
        return left + plot_w * (n - 1) / max(n_max - 1, 1)

    def y_of(share: float) -> float:
        return top_pad + plot_h * (1 - share)

    out = _open(width, height, title, "coverage")
    for frac in (0, 0.5, 0.8, 1):
        out.append(
            f'<line x1="{left}" x2="{num(width - right)}" y1="{num(y_of(frac))}" y2="{num(y_of(frac))}" '
            f'stroke="{GRID}"/><text x="{left - 4}" y="{num(y_of(frac) + 4)}" text-anchor="end" '
            f'fill="{MUTED}">{frac:.0%}</text>'
        )
    ticks = [1, n_max] if not log_x else [10**k for k in range(int(math.log10(n_max)) + 1)] + [n_max]
    for n in sorted(set(ticks)):
        out.append(
            f'<text x="{num(x_of(n))}" y="{num(height - bottom + 16)}" text-anchor="middle" fill="{MUTED}">'
            f"{n:,}</text>"
        )
    line = " ".join(f"{num(x_of(n))},{num(y_of(s))}" for n, s in [(pts[0][0], 0.0), *pts])
    out.append(f'<polyline points="{line}" fill="none" stroke="{ACCENT}" stroke-width="2"/>')
    if reach is None:
        reach = next((n for n, s in pts if s >= mark - 1e-9), None)
    if reach is not None:
        x = x_of(reach)
        out.append(_reach_marker(x, y_of(mark), y_of(0), width - right, reach, mark))
    out.append(
        f'<text x="{num(width - right)}" y="{num(height - 2)}" text-anchor="end" fill="{MUTED}">'
        f"variants, most frequent first{' (log scale)' if log_x else ''}</text></svg>"
    )
    return "".join(out)


def _reach_marker(x: float, y_mark: float, y_zero: float, x_end: float, reach: int, mark: float) -> str:
    """The dashed line, dot and label at the number of variants that covers ``mark`` of the cases. The
    curve rises: right of the dot it runs above the dot, left of it below, so the label goes below and to
    the right when it fits before ``x_end``, else above and to the left, never across the curve."""
    label = f"{reach:,} variants cover {mark:.0%}"
    if x + 6 + text_width(label, 11) <= x_end:
        place = f'x="{num(x + 6)}" y="{num(y_mark + 14)}"'
    else:
        place = f'x="{num(x - 6)}" y="{num(y_mark - 6)}" text-anchor="end"'
    return (
        f'<line x1="{num(x)}" x2="{num(x)}" y1="{num(y_mark)}" y2="{num(y_zero)}" '
        f'stroke="#c0392b" stroke-dasharray="4 3"/><circle cx="{num(x)}" cy="{num(y_mark)}" r="3.5" '
        f'fill="#c0392b"/><text {place} fill="#c0392b">{label}</text>'
    )
