"""The audit report as ONE self-contained HTML file: ``render(report, extras) -> str``.

Built from ``Report.to_dict()`` (the contract every format shares) plus ``HtmlExtras`` for what the plain
serialisation does not hold (the documented model drawn as SVG, the discovered map, library versions).
jinja2 runs with autoescape and StrictUndefined: every string from a log or a model is escaped, and a
template that asks for a field the view-model lacks fails loudly in the tests instead of printing nothing.
No CDN, no external request: styles and the diagram are inline, maps are data-URI images, the
frequency/performance toggle of the map is pure CSS.
"""

from __future__ import annotations

import base64
from functools import cache
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

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
    table,
    tiles,
)
from procmine.renderers.svg import charts
from procmine.timefmt import duration

if TYPE_CHECKING:
    from procmine.findings import Report

LIMITS = {"findings": 200, "variants": 20, "handovers": 25, "segments": 15, "tasks": 200, "rows": 25}


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
    return render_data(report.to_dict(), extras)


def render_data(data: dict[str, Any], extras: HtmlExtras | None = None) -> str:
    """Render from the plain serialisation (what ``--format json`` prints)."""
    view = build_view(data, extras or HtmlExtras())
    return _environment().get_template("report.html.j2").render(view=view)


def build_view(data: dict[str, Any], extras: HtmlExtras) -> ReportView:
    log = data.get("log") or {}
    model = data.get("model") or {}
    findings = data.get("findings") or []
    variants, variants_total = _variants(data.get("variants") or {})
    perf = data.get("performance") or {}
    customer = data.get("customer") or {}
    periods = data.get("periods") or {}
    quality = log.get("quality") or {}
    name = (
        model.get("process_name") or model.get("name") or _stem(model.get("path")) or _stem(log.get("path"))
    ) or "process"
    return ReportView(
        title=f"Process audit: {name}",
        subtitle=_subtitle(log, model),
        version=str(data.get("procmine_version", "")),
        tiles=tiles(data),
        findings=[finding_view(f, comparison.status_of(data, f)) for f in findings[: LIMITS["findings"]]],
        resolved=comparison.resolved(data),
        findings_hidden=max(len(findings) - LIMITS["findings"], 0),
        by_severity=dict((data.get("summary") or {}).get("by_severity") or {}),
        diagram=_diagram(data, extras),
        model_tasks=_tasks(data.get("conformance") or {}),
        maps=[
            MapLevelView(level.name, level.caption, {k: _data_uri(v) for k, v in level.svgs.items()})
            for level in extras.maps
        ],
        variants=variants,
        variants_total=variants_total,
        coverage_svg=_coverage(data.get("variants") or {}, variants_total),
        bottleneck_svg=_bottleneck_chart(data.get("waits") or {}),
        waits_summary=str((data.get("waits") or {}).get("summary") or ""),
        waits=operations.waits(data, LIMITS["handovers"]),
        waits_on_others=operations.waits_on_others(data, LIMITS["rows"]),
        handovers=operations.handovers(perf, data.get("dfg"), LIMITS["handovers"]),
        throughput_svg=_throughput_chart(periods, perf),
        trend_svg=_trend_chart(periods),
        quarters=_quarters(periods),
        rework=operations.rework(perf, LIMITS["rows"]),
        activity_times=operations.activity_times(perf),
        workload=operations.workload(perf),
        queue=operations.queue(perf),
        touchpoints=operations.touchpoints(customer),
        sla=_sla(perf),
        segments=_segments(customer),
        segments_note=operations.segment_note(customer),
        satisfaction=_satisfaction(customer),
        satisfaction_table=_comparisons(customer),
        quality=_quality(log, quality),
        dropped=table(
            ["reason", "rows"],
            [[r.replace("_", " "), f"{n:,}"] for r, n in (quality.get("dropped") or {}).items()],
            50,
            [False, True],
        )
        if quality
        else None,
        columns=[(k, str(v)) for k, v in (log.get("columns") or {}).items() if v],
        parameters=[(k, _plain(v)) for k, v in (data.get("parameters") or {}).items()],
        versions=[("procmine", str(data.get("procmine_version", ""))), *sorted(extras.versions.items())],
        notes=[*extras.notes, *(quality.get("notes") or [])],
        model_warnings=_model_warnings(model),
    )


def _diagram(data: dict[str, Any], extras: HtmlExtras) -> Markup | None:
    if extras.model_diagram:
        return Markup(extras.model_diagram)
    if extras.model is None:
        return None
    from procmine.renderers.svg.bpmn_diagram import draw
    from procmine.renderers.svg.paint import reality

    return Markup(draw(extras.model, reality(data, extras.model)))


def _stem(path: Any) -> str:
    if not path:
        return ""
    name = str(path).replace("\\", "/").rsplit("/", 1)[-1]
    return name.split(".", 1)[0]


def _plain(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value) or "–"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_plain(v)}" for k, v in value.items()) or "–"
    return "–" if value is None else str(value)


def _subtitle(log: dict, model: dict) -> str:
    parts = []
    if model.get("path"):
        parts.append(f"documented model {model['path']}")
    if log.get("path"):
        parts.append(f"event log {log['path']}")
    return " against ".join(parts)


def _data_uri(svg: str) -> Markup:
    return Markup("data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii"))


def _variants(section: dict[str, Any]) -> tuple[list[VariantView], int]:
    top = section.get("top") or section.get("variants") or []
    total = int(section.get("total") or section.get("count") or len(top))
    colours: dict[str, int] = {}
    out = []
    for i, v in enumerate(top[: LIMITS["variants"]], start=1):
        steps = []
        for activity in v.get("activities") or []:
            colours.setdefault(activity, len(colours) % 10)
            steps.append((str(activity), colours[activity]))
        cases = v.get("cases", v.get("count"))
        out.append(VariantView(int(v.get("rank", i)), fmt(cases, "int"), fmt(v.get("share"), "pct"), steps))
    return out, total


def _coverage(section: dict[str, Any], total: int) -> Markup | None:
    points = [
        (int(p["variants"]), float(p.get("cases_share", p.get("share", 0))))
        for p in section.get("coverage_curve") or section.get("coverage") or []
        if "variants" in p
    ]
    if not points:
        return None
    reach = (section.get("variants_to_cover") or {}).get("80")  # exact; the curve's points are a sample
    return Markup(
        charts.coverage_curve(points, title="Variant coverage", total_variants=total or None, reach=reach)
    )


def _tasks(conf: dict[str, Any]) -> Table | None:
    rows = conf.get("tasks") or []
    if not rows:
        return None
    checked = conf.get("cases") or 0
    body = []
    for r in rows:
        share = r.get("skip_share")
        if share is None and r.get("cases_skipped") is not None and checked:
            share = r["cases_skipped"] / checked
        body.append(
            [
                r.get("task") or r.get("name") or ", ".join(r.get("element_ids") or []),
                r.get("activity") or "(not in log)",
                fmt(r.get("cases_executed", r.get("cases")), "int"),
                fmt(share, "pct"),
                (r.get("last_seen") or "–")[:10],
            ]
        )
    return table(
        ["documented task", "log activity", "cases executed", "skipped", "last seen"],
        body,
        LIMITS["tasks"],
        [False, False, True, True, False],
    )


def _bottleneck_chart(waits: dict[str, Any]) -> Markup | None:
    """The longest waits by total: internal queues first (in colour), then the other waits (grey)."""
    rows = (waits.get("handovers") or [])[:10]
    if not rows:
        return None
    queues = [r for r in rows if r["kind"] == "queue"]
    others = [r for r in rows if r["kind"] != "queue"]
    items = [(f"{r['source']} → {r['target']}", float(r["total"])) for r in queues + others]
    if not queues:
        title = "Total waiting time (no wait shows queueing)"
        return Markup(charts.bar_chart(items, title=title, format_value=duration))
    title = "Total waiting time: internal queues in colour, waits on others in grey"
    return Markup(charts.bar_chart(items, title=title, format_value=duration, highlight=len(queues)))


def _throughput_chart(periods: dict[str, Any], perf: dict[str, Any]) -> Markup | None:
    bins = [(b["low"], b["high"], b["count"]) for b in periods.get("throughput_histogram") or []]
    if not bins:
        return None
    sla = ((perf.get("sla") or {}).get("case") or {}).get("target")
    marker = (float(sla), f"SLA {duration(sla)}") if sla else None
    return Markup(charts.histogram(bins, title="Case throughput time", format_edge=duration, marker=marker))


def _trend_chart(periods: dict[str, Any]) -> Markup | None:
    rows = periods.get("months") or periods.get("quarters") or []
    if len(rows) < 2:
        return None
    labels = [r["period"] for r in rows]
    series = {"median throughput": [r.get("throughput_median") for r in rows]}
    series["p90 throughput"] = [r.get("throughput_p90") for r in rows]
    return Markup(charts.line_chart(labels, series, title="Throughput time per month", format_value=duration))


def _quarters(periods: dict[str, Any]) -> Table | None:
    rows = periods.get("quarters") or []
    if not rows:
        return None
    body = [
        [
            r["period"] + (" (partial)" if r.get("partial") else ""),
            fmt(r.get("cases"), "int"),
            duration(r.get("throughput_median")),
            duration(r.get("throughput_p90")),
            fmt(r.get("sla_breach_rate"), "pct"),
            fmt(r.get("mean_fitness"), "ratio"),
            fmt(r.get("conforming_share"), "pct"),
        ]
        for r in rows
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


def _sla(perf: dict[str, Any]) -> list[tuple[str, str]]:
    case = (perf.get("sla") or {}).get("case")
    if not case:
        return []
    return [
        ("target", duration(case.get("target"))),
        ("cases over target", f"{fmt(case.get('breaches'), 'int')} of {fmt(case.get('cases'), 'int')}"),
        ("breach rate", fmt(case.get("breach_rate"), "pct")),
        ("tolerated", fmt((perf.get("sla") or {}).get("max_breach_rate"), "pct")),
    ]


def _segments(customer: dict[str, Any]) -> list[tuple[str, Table]]:
    out = []
    by_column = ((customer.get("segments") or {}).get("by_column")) or {}
    for column, rows in by_column.items():
        body = [
            [
                r.get("value"),
                fmt(r.get("cases"), "int"),
                fmt(r.get("share"), "pct"),
                duration(r.get("median_throughput")),
                fmt(r.get("sla_breach_rate"), "pct"),
                fmt(r.get("deviating_share"), "pct"),
                fmt(r.get("satisfaction_mean"), "plain"),
            ]
            for r in rows
        ]
        cols = ["value", "cases", "share", "median throughput", "SLA breaches", "deviating", "satisfaction"]
        out.append((str(column), table(cols, body, LIMITS["segments"], [False, *[True] * 6])))
    return out


def _satisfaction(customer: dict[str, Any]) -> list[tuple[str, str]]:
    sat = customer.get("satisfaction") or {}
    if not sat:
        return []
    out = [
        ("score column", str(sat.get("column"))),
        ("scale", str(sat.get("scale"))),
        ("scored cases", fmt(sat.get("n"), "int")),
        ("mean score", fmt(sat.get("mean"), "plain")),
        ("minimum group size compared", fmt(sat.get("min_sample"), "int")),
    ]
    nps = sat.get("nps")
    if isinstance(nps, dict):
        promoters, detractors = fmt(nps.get("promoters"), "pct"), fmt(nps.get("detractors"), "pct")
        parts = f"{promoters} promoters, {detractors} detractors"
        out.append(("NPS", f"{fmt(nps.get('score'), 'plain')} ({parts})"))
    elif nps is not None:
        out.append(("NPS", fmt(nps, "plain")))
    return out


def _comparisons(customer: dict[str, Any]) -> Table | None:
    rows = (customer.get("satisfaction") or {}).get("comparisons") or []
    if not rows:
        return None
    body = [
        [
            r.get("group"),
            f"{fmt(r.get('mean'), 'plain')} (n={fmt(r.get('n'), 'int')})",
            r.get("against") or "other cases",
            f"{fmt(r.get('rest_mean'), 'plain')} (n={fmt(r.get('rest_n'), 'int')})",
            "lower" if r.get("gap_found") else "no clear gap",
        ]
        for r in rows
    ]
    cols = ["group", "mean score", "compared with", "their mean score", "result"]
    return table(cols, body, LIMITS["rows"])


def _quality(log: dict[str, Any], q: dict[str, Any]) -> list[tuple[str, str]]:
    if not log:
        return []
    out = [
        ("log file", f"{log.get('path')} ({log.get('format')})"),
        ("rows read", fmt(q.get("rows_read"), "int")),
        ("rows used", fmt(q.get("rows_used"), "int")),
        ("rows dropped", fmt(q.get("rows_dropped"), "int")),
        ("cases", fmt(log.get("cases"), "int")),
        ("events", fmt(log.get("events"), "int")),
        ("activities", fmt(log.get("activities"), "int")),
    ]
    for key in ("lifecycle_pairs", "out_of_order_cases", "future_events", "single_event_cases"):
        if q.get(key):
            out.append((key.replace("_", " "), fmt(q[key], "int")))
    if q.get("set_aside"):
        kinds = ", ".join(f"{fmt(n, 'int')} {word}" for word, n in q["set_aside"].items())
        out.append(("other lifecycle transitions, set aside (not executions, not dropped)", kinds))
    if q.get("timezone"):
        out.append(("timestamps without offset read as", str(q["timezone"])))
    return out


def _model_warnings(model: dict[str, Any]) -> Table | None:
    warnings = model.get("warnings") or []
    if not warnings:
        return None
    body = [
        [w.get("element_id", ""), w.get("element_type", ""), fmt(w.get("line"), "int"), w.get("message", "")]
        if isinstance(w, dict)
        else ["", "", "", str(w)]
        for w in warnings
    ]
    return table(["element", "type", "line", "warning"], body, LIMITS["rows"], [False, False, True, False])
