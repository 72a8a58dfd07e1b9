"""The audit report's charts: which figures of which section each one draws, as inline SVG.

Like the rest of the HTML view, these read the report's typed sections and compute nothing; the drawing
itself is ``renderers.svg.charts``.
"""

from __future__ import annotations

from markupsafe import Markup

from procmine.renderers.html_view import fmt
from procmine.renderers.svg import charts
from procmine.sections import PerformanceSection, PeriodsSection, VariantsSection
from procmine.sections.waits import WaitsSection
from procmine.timefmt import duration, duration_unit


def coverage(section: VariantsSection | None, total: int) -> Markup | None:
    if section is None or not section.coverage_curve:
        return None
    points = [(p.variants, p.cases_share) for p in section.coverage_curve]
    reach = section.variants_to_cover.get("80")  # exact; the curve's points are a sample
    return Markup(
        charts.coverage_curve(points, title="Variant coverage", total_variants=total or None, reach=reach)
    )


def _share(value: float) -> str:
    return fmt(value, "pct")


def bottleneck_chart(waits: WaitsSection | None) -> Markup | None:
    """The longest waits by total: internal queues first (in colour), then the other waits (grey). Each bar
    is labelled with its share of all case time, not its sum of days ("22,737.8 d" is a figure nobody can
    picture; the table below gives the time per affected case)."""
    rows = waits.handovers[:10] if waits else []
    if not rows:
        return None
    queues = [r for r in rows if r.kind == "queue"]
    others = [r for r in rows if r.kind != "queue"]
    items = [(f"{r.source} → {r.target}", float(r.share_of_case_time or 0.0)) for r in queues + others]
    if not queues:
        title = "Share of all case time spent waiting (no wait shows queueing)"
        return Markup(charts.bar_chart(items, title=title, format_value=_share))
    title = "Share of all case time spent waiting: internal queues in colour, waits on others in grey"
    return Markup(charts.bar_chart(items, title=title, format_value=_share, highlight=len(queues)))


def throughput_chart(periods: PeriodsSection | None, perf: PerformanceSection | None) -> Markup | None:
    bins = [(b.low, b.high, b.count) for b in periods.throughput_histogram] if periods else []
    if not bins:
        return None
    case = perf.sla.case if perf and perf.sla else None
    marker = (float(case.target), f"SLA {duration(case.target)}") if case else None
    return Markup(
        charts.histogram(
            bins, title="Case throughput time", format_edge=duration, marker=marker, unit=duration_unit
        )
    )


def trend_chart(periods: PeriodsSection | None) -> Markup | None:
    """Throughput time per month (per quarter when there are no months). A period the export covers only in
    part, or with fewer cases than a period needs to be compared, is a hollow point off the line: the
    first and last months of an export hold a biased sliver of cases (at the end, mostly the long ones)."""
    if periods is None:
        return None
    rows, period = (periods.months, "month") if periods.months else (periods.quarters, "quarter")
    if len(rows) < 2:
        return None
    labels = [r.period for r in rows]
    series = {"median throughput": [r.throughput_median for r in rows]}
    series["p90 throughput"] = [r.throughput_p90 for r in rows]
    few = [r.cases < periods.min_cases for r in rows]
    hollow = [r.partial or f for r, f in zip(rows, few, strict=True)]
    notes = [_trend_note(r.cases, r.partial, f) for r, f in zip(rows, few, strict=True)]
    chart = charts.line_chart(
        labels,
        series,
        title=f"Throughput time per {period}",
        format_value=duration,
        unit=duration_unit,
        hollow=hollow,
        notes=notes,
    )
    return Markup(chart) + _trend_caption(period, hollow, periods.min_cases)


def _trend_note(cases: int, partial: bool, few: bool) -> str:
    reasons = ["covered in part"] if partial else []
    reasons += ["too few to compare"] if few else []
    return f"{cases:,} cases" + "".join(f", {r}" for r in reasons)


def _trend_caption(period: str, hollow: list[bool], min_cases: int) -> Markup:
    """What the chart plots, and why some points are hollow (only when some are)."""
    text = f"Cases count in the {period} in which they ended."
    if any(hollow):
        text += (
            f" Hollow points are not joined to the line: a {period} the export covers only in part (its first"
            f" and last), or with fewer than {min_cases} cases, holds too few cases, or too skewed a set,"
            " to read a trend from."
        )
    return Markup('<p class="more">{}</p>').format(text)
