"""The typed view-model of the HTML audit report: what the template shows, built from the typed sections.

The template reads only these objects (datasette's rule: the data handed to a template is typed and its
fields are documented), so a missing section shows as "not computed" instead of a template error. Strings
stay plain here; the template escapes them. Only SVG drawn by procmine (which escapes its own labels) and
base64 data URIs are ``Markup``. Long tables are cut to ``limits`` rows and say how many were left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from procmine import catalogue
from procmine.findings import severity_counts_text
from procmine.renderers import html_evidence
from procmine.renderers.html_comparison import ReportChange, findings_detail, findings_tone, tile_change
from procmine.renderers.shares import ratio_text, share_text
from procmine.sections.comparison import FigureChange
from procmine.sections.conformance import ConformanceSection
from procmine.sections.performance import PerformanceSection
from procmine.sections.periods import MetricChange, PeriodChange, PeriodRow, PeriodsSection
from procmine.timefmt import duration

if TYPE_CHECKING:
    from procmine.findings import Finding, Report
    from procmine.model.bpmn import BpmnModel
    from procmine.renderers.process_map import MapLevel
    from procmine.sections.diagram import Reality

# Scorecard metrics in the periods section: (key, label, formatter, better when "higher"/"lower").
PERIOD_METRICS = {
    "cases": ("cases", "higher"),
    "mean_fitness": ("ratio", "higher"),
    "conforming_share": ("pct", "higher"),
    "throughput_median": ("duration", "lower"),
    "sla_breach_rate": ("pct", "lower"),
}


def fmt(value: Any, kind: str) -> str:
    """A figure as the report prints it; ``–`` when it was not computed."""
    if value is None or value != value:
        return "–"
    if kind == "duration":
        return duration(float(value))
    if kind == "pct":  # 3 of 10,357 cases is not "0.0%", nor 1,615 of 1,617 "100%" (``shares``)
        return share_text(float(value), 1 if abs(float(value)) < 0.1 else 0)
    if kind == "ratio":
        return ratio_text(float(value))
    if kind in ("cases", "int"):
        return f"{int(value):,}"
    if kind == "p":
        return "< 0.001" if float(value) < 0.001 else f"{float(value):.3f}"
    if isinstance(value, float):
        return f"{value:,.4g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value).replace("_", " ") if isinstance(value, str) and value.isidentifier() else str(value)


def metric_kind(name: str) -> str:
    """How to print a finding's metric, from its name (durations in seconds, shares 0..1)."""
    lowered = name.lower()
    if lowered == "p_value":
        return "p"
    timed = any(w in lowered for w in ("wait", "time", "throughput", "duration", "delay", "seconds"))
    counted = any(w in lowered for w in ("share", "rate", "handovers", "count"))
    if lowered == "target" or (timed and not counted):
        return "duration"
    if any(w in lowered for w in ("share", "rate", "ratio", "fitness")) or lowered.endswith("_pct"):
        return "pct" if "fitness" not in lowered else "ratio"
    return "plain"


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    detail: str = ""  # e.g. "2026-Q3: 1,012"
    change: str = ""  # e.g. "+1.4 % vs 2026-Q2"
    tone: str = ""  # "good", "bad" or "" (neutral / unknown)


@dataclass(frozen=True)
class FindingView:
    code: str
    kind: str
    title: str
    severity: str
    message: str
    where: str
    evidence: list[tuple[str, str]]
    advice: str
    status: str = ""  # with audit --previous: "new" or "also in the previous report"


@dataclass(frozen=True)
class FindingGroup:
    """Findings of one kind past the first few, folded under one line: "Order violation C004: 112 more"."""

    title: str
    code: str
    severity: str  # of the group's most important finding
    items: list[FindingView]


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list[str]]
    total: int  # rows before the limit
    numeric: list[bool] = field(default_factory=list)  # right-align these columns

    @property
    def hidden(self) -> int:
        return max(self.total - len(self.rows), 0)


@dataclass(frozen=True)
class VariantView:
    rank: int
    cases: str
    share: str
    steps: list[tuple[str, int]]  # (activity, colour index)


@dataclass(frozen=True)
class HtmlExtras:
    """What the HTML needs beyond the plain serialisation, given by the audit pipeline.

    ``model``: the documented model, drawn from its layout with ``overlay`` painted on it (the report's
    figures joined to its element ids by ``analyses.overlay``);
    ``maps``: the discovered process map, one ``MapLevel`` per level of detail (a map too wide for the
    page at a legible size gets several), each with its SVG text per view ("frequency", "performance"),
    embedded as images so that nothing inside them can run; ``versions``: library versions for the method
    section; ``notes``: remarks for the method section (fallbacks taken).
    """

    model: BpmnModel | None = None
    overlay: Reality | None = None
    maps: list[MapLevel] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MapLevelView:
    """One level of detail of the map in the report: its name and each view as a data URI."""

    name: str
    caption: str
    uris: dict[str, Markup]


@dataclass
class ReportView:
    title: str
    subtitle: str
    version: str
    tiles: list[Tile]
    findings: list[FindingView]  # the most important, in full
    findings_folded: list[FindingGroup]  # the others by kind, when there are many
    findings_hidden: int
    by_severity: dict[str, int]
    diagram: Markup | None
    diagram_width: int | None  # its natural width when wider than the page (shrunk or scrolled), else None
    model_tasks: Table | None
    maps: list[MapLevelView]  # levels of detail, left to right first; the last may be top to bottom
    variants: list[VariantView]
    variants_total: int
    coverage_svg: Markup | None
    bottleneck_svg: Markup | None
    waits_summary: str
    handovers_note: str  # how the directly-follows waits differ from the waits above them, when they do
    waits: Table | None
    waits_on_others: list[str]
    handovers: Table | None
    throughput_svg: Markup | None
    trend_svg: Markup | None
    quarters: Table | None
    rework: Table | None
    activity_times: Table | None
    workload: Table | None
    queue: list[tuple[str, str]]
    touchpoints: list[tuple[str, str]]
    sla: list[tuple[str, str]]
    segments: list[tuple[str, Table]]
    segments_note: str
    satisfaction: list[tuple[str, str]]
    satisfaction_table: Table | None
    quality: list[tuple[str, str]]
    dropped: Table | None
    columns: list[tuple[str, str]]
    parameters: list[tuple[str, str]]
    versions: list[tuple[str, str]]
    notes: list[str]
    resolved: list[str]  # with audit --previous: the findings of the earlier report that are gone
    model_warnings: Table | None


def finding_view(f: Finding, status: str = "") -> FindingView:
    loc = f.location
    where = []
    if loc.activity:
        where.append(f"activity '{loc.activity}'")
    if loc.source and loc.target:
        where.append(f"handover '{loc.source}' → '{loc.target}'")
    if loc.element_id:
        where.append(f"element {loc.element_id}" + (f" (line {loc.line})" if loc.line else ""))
    elif loc.line:
        where.append(f"line {loc.line}")
    if loc.file:
        where.append(loc.file)
    evidence = html_evidence.evidence(f.kind, f.metrics)
    return FindingView(
        code=f.code,
        kind=f.kind,
        title=catalogue.title(f.kind),
        severity=f.severity.value,
        message=f.message,
        where=" · ".join(where),
        evidence=evidence[:12],
        advice=f.advice or catalogue.default_advice(f.kind),
        status=status,
    )


ALL_IN_FULL = 15  # up to this many findings are all shown in full
IN_FULL = 10  # with more, the most important this many, and the others folded by kind


def fold_findings(views: list[FindingView]) -> tuple[list[FindingView], list[FindingGroup]]:
    """The findings shown in full and the rest folded by kind, each group where its first finding ranks
    (a model far from reality gives 190 findings, 122 of them order violations: a wall of cards)."""
    if len(views) <= ALL_IN_FULL:
        return views, []
    groups: dict[str, list[FindingView]] = {}
    for view in views[IN_FULL:]:
        groups.setdefault(view.kind, []).append(view)
    folded = [FindingGroup(kind[0].title, kind[0].code, kind[0].severity, kind) for kind in groups.values()]
    return views[:IN_FULL], folded


def table(columns: list[str], rows: list[list[Any]], limit: int, numeric: list[bool] | None = None) -> Table:
    return Table(
        columns=columns,
        rows=[[str(c) for c in r] for r in rows[:limit]],
        total=len(rows),
        numeric=numeric or [False] * len(columns),
    )


def tiles(report: Report) -> list[Tile]:
    """The scorecard: each figure over the whole log, and the latest period against the previous one."""
    log = report.log
    figures = overall_figures(report)
    periods = report.section(PeriodsSection)
    change = tile_change(report) or (periods.change if periods else None)
    quarters = periods.quarters if periods else []
    by = report.count_by_severity()
    span = f"{(log.first_timestamp or '')[:10]} – {(log.last_timestamp or '')[:10]}" if log else "–"
    return [
        Tile("Period covered", span, _quarter_count(quarters)),
        _tile("Cases", figures["cases"], "cases", change, periods),
        _tile("Fitness", figures["fitness"], "mean_fitness", change, periods, value_kind="ratio"),
        _tile("Conforming cases", figures["conforming_share"], "conforming_share", change, periods),
        Tile(
            "Findings",
            f"{sum(by.values()):,}",
            severity_counts_text(by, " · "),
            findings_detail(report),
            tone=findings_tone(report),
        ),
        _tile("Median throughput", figures["throughput_median"], "throughput_median", change, periods),
        _tile("SLA breach rate", figures["sla_breach_rate"], "sla_breach_rate", change, periods),
    ]


def overall_figures(report: Report) -> dict[str, float | None]:
    """The scorecard's figures over the whole log, read off the sections."""
    conf = report.section(ConformanceSection)
    perf = report.section(PerformanceSection)
    case_sla = perf.sla.case if perf and perf.sla else None
    return {
        "cases": report.log.cases if report.log else None,
        "fitness": conf.fitness if conf else None,
        "conforming_share": conf.fitting_share if conf else None,
        "throughput_median": perf.throughput.median if perf and perf.throughput else None,
        "sla_breach_rate": case_sla.breach_rate if case_sla else None,
    }


def _tile(
    label: str,
    overall: float | None,
    metric: str,
    change: PeriodChange | ReportChange | None,
    periods: PeriodsSection | None,
    value_kind: str = "",
) -> Tile:
    kind, better = PERIOD_METRICS[metric]
    quarters = periods.quarters if periods else []
    value = fmt(overall, value_kind or kind)
    diff = _figure(change, metric)
    if overall is None:
        return Tile(label, value, "", "not measured" if metric != "sla_breach_rate" else "no target (--sla)")
    if change is None or diff is None:
        last = next((q for q in reversed(quarters) if not q.partial), None)
        figure = getattr(last, metric) if last else None
        detail = f"{last.period}: {fmt(figure, kind)}" if last and figure is not None else ""
        return Tile(label, value, detail, (periods.no_change if periods else None) or "")  # the JSON's reason
    now = f"{change.period}: {fmt(diff.current, kind)}"
    if isinstance(diff, MetricChange) and diff.p_value is None:  # too few cases: no difference claimed
        return Tile(label, value, now, f"not compared with {change.previous}: {diff.test}")
    delta, rel = diff.delta or 0.0, diff.relative
    if kind in ("pct", "ratio"):
        amount = f"{delta * 100:+.1f} pts" if kind == "pct" else f"{delta:+.3f}"
    else:
        amount = f"{rel:+.1%}" if rel is not None else f"{delta:+,.0f}"
    arrow = "▲" if delta > 0 else "▼" if delta < 0 else "="
    text = f"{arrow} {amount} vs {change.previous}"
    if not any(c in "123456789" for c in amount):  # rounds to nothing: "-0.000" would read as a change
        text = f"no change vs {change.previous}"
    if isinstance(diff, FigureChange):  # against a previous report: the headline is this report's figure
        if diff.p_value is None:  # no sample to test: no colour, which would claim a real change
            return Tile(label, value, "", f"{text}; not tested")
        now = f"n = {diff.current_n or 0:,} cases; {diff.previous_n or 0:,} before"
    p = fmt(diff.p_value, "p")
    if not diff.significant:
        return Tile(label, value, now, f"{text}: not significant (p {_p_words(p)})")
    return Tile(label, value, now, f"{text} (p {_p_words(p)})", _tone(delta, metric, better))


def _figure(change: PeriodChange | ReportChange | None, metric: str) -> MetricChange | FigureChange | None:
    if isinstance(change, ReportChange):
        return change.figures.get(metric)
    return getattr(change, metric) if change is not None else None


def _quarter_count(quarters: list[PeriodRow]) -> str:
    """Under the period covered: how many quarters, and that dates and quarters are in UTC (a log written at
    +02:00 from 1 October shows 30 September)."""
    if not quarters:
        return "dates in UTC"
    partial = sum(1 for q in quarters if q.partial)
    text = f"{len(quarters)} quarter{'s' if len(quarters) != 1 else ''} in UTC"
    return text + (f" ({partial} partial: shown, not compared)" if partial else "")


def _p_words(p: str) -> str:
    return p if p.startswith("<") else f"= {p}"


def _tone(delta: float, metric: str, better: str) -> str:
    if delta == 0 or metric == "cases":
        return ""
    return "good" if (delta > 0) == (better == "higher") else "bad"
