"""The audit report as ONE self-contained HTML file: ``render(report, extras) -> str``.

Built from the report's typed sections (``Report.published()``: the figures the JSON states) plus
``HtmlExtras`` for what the JSON does not hold (the documented model and what to paint on it, the
discovered map, library versions). Every function here reads fields and formats them; nothing computes.
jinja2 runs with autoescape and StrictUndefined: every string from a log or a model is escaped, and a
template that asks for a field the view-model lacks fails loudly in the tests instead of printing nothing.
No CDN, no external request: styles and the diagram are inline, maps are data-URI images, the
frequency/performance toggle of the map is pure CSS.
"""

from __future__ import annotations

import base64
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

from procmine import __version__
from procmine.findings import Report
from procmine.renderers import html_charts as report_charts
from procmine.renderers import html_comparison as comparison
from procmine.renderers import html_operations as operations
from procmine.renderers.html_view import (
    HtmlExtras,
    MapLevelView,
    ReportView,
    Table,
    VariantView,
    finding_view,
    fmt,
    fold_findings,
    table,
    tiles,
)
from procmine.sections import (
    ConformanceSection,
    CustomerSection,
    PerformanceSection,
    PeriodsSection,
    VariantsSection,
)
from procmine.sections.customer import Satisfaction
from procmine.sections.log import LogSection, ReadingCost
from procmine.sections.model import DocumentedModel, ModelBlock
from procmine.sections.waits import WaitsSection
from procmine.timefmt import duration

LIMITS = {"findings": 200, "variants": 20, "handovers": 25, "segments": 15, "tasks": 200, "rows": 25}

DIRECTLY_FOLLOWS_NOTE = (
    "Here a wait runs from whichever event came just before in the case. The waits above start when the step "
    "could begin, after its predecessor in the documented model, so the same pair of steps can show other "
    "figures in the two tables."
)


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("procmine", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(report: Report, extras: HtmlExtras | None = None) -> str:
    """``report`` as published (``Report.published()``): the renderers' registry passes it so."""
    view = build_view(report, extras or HtmlExtras())
    return _environment().get_template("report.html.j2").render(view=view)


def render_data(data: dict[str, Any], extras: HtmlExtras | None = None) -> str:
    """Render from the plain serialisation (what ``--format json`` prints)."""
    return render(Report.from_dict(data), extras)


def build_view(report: Report, extras: HtmlExtras) -> ReportView:
    log, model = report.log, report.model
    perf = report.section(PerformanceSection)
    customer = report.section(CustomerSection)
    periods = report.section(PeriodsSection)
    waits = report.section(WaitsSection)
    variants, variants_total = _variants(report.section(VariantsSection))
    quality = log.quality if log else None
    shown = [finding_view(f, comparison.status_of(report, f)) for f in report.findings[: LIMITS["findings"]]]
    in_full, folded = fold_findings(shown)
    diagram, diagram_width = _diagram(extras)
    return ReportView(
        title=f"Process audit: {_process_name(log, model)}",
        subtitle=_subtitle(log, model),
        version=__version__,
        tiles=tiles(report),
        findings=in_full,
        findings_folded=folded,
        resolved=comparison.resolved(report),
        findings_hidden=max(len(report.findings) - LIMITS["findings"], 0),
        by_severity=report.count_by_severity(),
        diagram=diagram,
        diagram_width=diagram_width,
        model_tasks=_tasks(report.section(ConformanceSection)),
        maps=[
            MapLevelView(level.name, level.caption, {k: _data_uri(v) for k, v in level.svgs.items()})
            for level in extras.maps
        ],
        variants=variants,
        variants_total=variants_total,
        coverage_svg=report_charts.coverage(report.section(VariantsSection), variants_total),
        bottleneck_svg=report_charts.bottleneck_chart(waits),
        waits_summary=waits.summary if waits else "",
        handovers_note=DIRECTLY_FOLLOWS_NOTE if waits and waits.basis == "documented model" else "",
        waits=operations.waits(waits, LIMITS["handovers"]),
        waits_on_others=operations.waits_on_others(waits, LIMITS["rows"]),
        handovers=operations.handovers(perf, LIMITS["handovers"]),
        throughput_svg=report_charts.throughput_chart(periods, perf),
        trend_svg=report_charts.trend_chart(periods),
        quarters=_quarters(periods),
        rework=operations.rework(perf, LIMITS["rows"]),
        activity_times=operations.activity_times(perf),
        workload=operations.workload(perf),
        queue=operations.queue(perf),
        touchpoints=operations.touchpoints(customer),
        sla=_sla(perf),
        segments=_segments(customer),
        segments_note=operations.segment_note(customer),
        satisfaction=_satisfaction(customer.satisfaction if customer else None),
        satisfaction_table=_comparisons(customer.satisfaction if customer else None),
        quality=_quality(log),
        dropped=_dropped(quality),
        columns=[(k, str(v)) for k, v in log.columns.to_dict().items() if v] if log else [],
        parameters=[(_flag(k), _plain(v)) for k, v in report.parameters.items()],
        versions=[("procmine", __version__), *sorted(extras.versions.items())],
        notes=[*extras.notes, *((quality.notes or []) if quality else [])],
        model_warnings=_model_warnings(model),
    )


def _dropped(quality: ReadingCost | None) -> Table | None:
    """The rows the reader left out, by reason."""
    if not quality:
        return None
    rows = [[reason.replace("_", " "), f"{count:,}"] for reason, count in quality.dropped.items()]
    return table(["reason", "rows"], rows, 50, [False, True])


def _process_name(log: LogSection | None, model: ModelBlock | None) -> str:
    name = model.process_name if isinstance(model, DocumentedModel) else None
    if isinstance(model, DocumentedModel) and name == model.process_id:  # unnamed: the id says nothing
        name = None
    return name or _stem(model.path if model else None) or _stem(log.path if log else None) or "process"


def _diagram(extras: HtmlExtras) -> tuple[Markup | None, int | None]:
    """The documented model's diagram, and its width when it is wider than the page (None otherwise)."""
    if extras.model is None:
        return None, None
    from procmine.renderers.svg.bpmn_diagram import drawing

    drawn = drawing(extras.model, extras.overlay)
    return Markup(drawn.svg), round(drawn.width) if drawn.wide else None


def _stem(path: str | None) -> str:
    if not path:
        return ""
    name = str(path).replace("\\", "/").rsplit("/", 1)[-1]
    return name.split(".", 1)[0]


# Parameters whose command-line option is not their name with dashes.
_FLAGS = {"pseudonymize_keyed": "--pseudonymize-key given"}


def _flag(name: str) -> str:
    """A run parameter under the name a reader types on the command line (``--time-budget``)."""
    return _FLAGS.get(name, "--" + name.replace("_", "-"))


def _plain(value: Any) -> str:
    """A run parameter as a reader reads it: "yes"/"no", not Python's True/False; an option left empty
    (no SLA target at all) is "–", not "case=–, activities=–"."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value) or "–"
    if isinstance(value, dict):
        given = {k: v for k, v in value.items() if v not in (None, "", [], {}, ())}
        return ", ".join(f"{k}={_plain(v)}" for k, v in given.items()) or "–"
    return "–" if value is None else str(value)


def _subtitle(log: LogSection | None, model: ModelBlock | None) -> str:
    parts = []
    if model and model.path:
        parts.append(f"documented model {model.path}")
    if log and log.path:
        parts.append(f"event log {log.path}")
    return " against ".join(parts)


def _data_uri(svg: str) -> Markup:
    return Markup("data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii"))


def _variants(section: VariantsSection | None) -> tuple[list[VariantView], int]:
    if section is None:
        return [], 0
    colours: dict[str, int] = {}
    out = []
    for v in section.top[: LIMITS["variants"]]:
        steps = []
        for activity in v.activities:
            colours.setdefault(activity, len(colours) % 10)
            steps.append((activity, colours[activity]))
        out.append(VariantView(v.rank, fmt(v.cases, "int"), fmt(v.share, "pct"), steps))
    return out, section.total


def _tasks(conf: ConformanceSection | None) -> Table | None:
    if conf is None or not conf.tasks:
        return None
    body = [
        [
            r.task,
            r.activity or "(not in log)",
            fmt(r.cases_executed, "int"),
            fmt(r.skip_share, "pct"),
            fmt(r.cases_out_of_order, "int"),  # as `procmine check` lists them
            (r.last_seen or "–")[:10],
        ]
        for r in conf.tasks
    ]
    return table(
        ["documented task", "log activity", "cases executed", "skipped", "cases out of order", "last seen"],
        body,
        LIMITS["tasks"],
        [False, False, True, True, True, False],
    )


def _quarters(periods: PeriodsSection | None) -> Table | None:
    if periods is None or not periods.quarters:
        return None
    body = [
        [
            r.period + (" (partial)" if r.partial else ""),
            fmt(r.cases, "int"),
            duration(r.throughput_median),
            duration(r.throughput_p90),
            fmt(r.sla_breach_rate, "pct"),
            fmt(r.mean_fitness, "ratio"),
            fmt(r.conforming_share, "pct"),
        ]
        for r in periods.quarters
    ]
    cols = [
        "quarter",
        "cases",
        "median throughput",
        "p90 throughput",
        "SLA breaches",
        "fitness",
        "conforming",
    ]
    return table(cols, body, 100, [False, *[True] * 6])


def _sla(perf: PerformanceSection | None) -> list[tuple[str, str]]:
    if perf is None or perf.sla is None or perf.sla.case is None:
        return []
    case = perf.sla.case
    return [
        ("target", duration(case.target)),
        ("cases over target", f"{fmt(case.breaches, 'int')} of {fmt(case.cases, 'int')}"),
        ("breach rate", fmt(case.breach_rate, "pct")),
        ("tolerated", fmt(perf.sla.max_breach_rate, "pct")),
    ]


def _segments(customer: CustomerSection | None) -> list[tuple[str, Table]]:
    out = []
    by_column = customer.segments.by_column if customer else {}
    for column, rows in by_column.items():
        body = [
            [
                r.value,
                fmt(r.cases, "int"),
                fmt(r.share, "pct"),
                duration(r.median_throughput),
                fmt(r.sla_breach_rate, "pct"),
                fmt(r.deviating_share, "pct"),
                fmt(r.satisfaction_mean, "plain"),
            ]
            for r in rows
        ]
        cols = ["value", "cases", "share", "median throughput", "SLA breaches", "deviating", "satisfaction"]
        out.append((column, table(cols, body, LIMITS["segments"], [False, *[True] * 6])))
    return out


def _satisfaction(sat: Satisfaction | None) -> list[tuple[str, str]]:
    if sat is None:
        return []
    out = [
        ("score column", sat.column),
        ("scale", sat.scale),
        ("scored cases", fmt(sat.n, "int")),
        ("mean score", fmt(sat.mean, "plain")),
        ("minimum group size compared", fmt(sat.min_sample, "int")),
    ]
    if sat.nps is not None:
        promoters, detractors = fmt(sat.nps.promoters, "pct"), fmt(sat.nps.detractors, "pct")
        out.append(("NPS", f"{fmt(sat.nps.score, 'plain')} ({promoters} promoters, {detractors} detractors)"))
    return out


def _comparisons(sat: Satisfaction | None) -> Table | None:
    if sat is None or not sat.comparisons:
        return None
    body = [
        [
            r.group,
            f"{fmt(r.mean, 'plain')} (n={fmt(r.n, 'int')})",
            r.against or "other cases",
            f"{fmt(r.rest_mean, 'plain')} (n={fmt(r.rest_n, 'int')})",
            "lower" if r.gap_found else "no clear gap",
        ]
        for r in sat.comparisons
    ]
    cols = ["group", "mean score", "compared with", "their mean score", "result"]
    return table(cols, body, LIMITS["rows"])


def _quality(log: LogSection | None) -> list[tuple[str, str]]:
    if log is None:
        return []
    q = log.quality
    out = [
        ("log file", f"{log.path} ({log.format})"),
        ("rows read", fmt(q.rows_read, "int")),
        ("rows used", fmt(q.rows_used, "int")),
        ("rows dropped", fmt(q.rows_dropped, "int")),
        ("cases", fmt(log.cases, "int")),
        ("events", fmt(log.events, "int")),
        ("activities", fmt(log.activities, "int")),
    ]
    flags = {
        "lifecycle pairs": q.lifecycle_pairs,
        "out of order cases": q.out_of_order_cases,
        "future events": q.future_events,
        "single event cases": q.single_event_cases,
    }
    out += [(label, fmt(count, "int")) for label, count in flags.items() if count]
    if q.set_aside:
        kinds = ", ".join(f"{fmt(n, 'int')} {word}" for word, n in q.set_aside.items())
        out.append(("other lifecycle transitions, set aside (not executions, not dropped)", kinds))
    if q.timezone:
        out.append(("timestamps without offset read as", q.timezone))
    return out


def _model_warnings(model: ModelBlock | None) -> Table | None:
    if not isinstance(model, DocumentedModel) or not model.warnings:
        return None
    body = [[w.element_id, w.element_type, fmt(w.line, "int"), w.message] for w in model.warnings]
    return table(["element", "type", "line", "warning"], body, LIMITS["rows"], [False, False, True, False])
