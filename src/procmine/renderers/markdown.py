"""Markdown for a pull-request comment: a verdict line, the key figures, and the findings as a table.

Rendered from the report's typed sections and findings. Labels come from logs and models, so they are
escaped: markdown and HTML characters are neutralised, pipes cannot break the table, and line breaks are
folded, so a crafted activity name cannot inject links, images or markup into the comment.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from procmine.findings import severity_counts_text
from procmine.renderers.shares import ratio_text, share_text
from procmine.sections.conformance import ConformanceSection
from procmine.sections.model import DocumentedModel

if TYPE_CHECKING:
    from procmine.findings import Location, Report

ICONS = {"error": "🔴", "warning": "🟠", "info": "🔵"}
_SPECIAL = re.compile(r"([\\`*_\[\]|<>~&!])")  # enough inside a table cell or list item
MAX_FINDINGS = 50  # a comment stays readable; the full list is in report.json


def escape(text: Any) -> str:
    folded = " ".join(str(text).split())
    return _SPECIAL.sub(r"\\\1", folded)


def render(report: Report) -> str:
    findings = report.sorted_findings()
    by = report.count_by_severity()
    out = [f"### procmine {escape(report.command)}", ""]
    verdict = "✅ no findings" if not findings else severity_counts_text(by)
    out += [f"**{verdict}**", ""]
    out += _figures(report)
    if findings:
        out += ["| | Code | Kind | Where | Finding |", "|---|---|---|---|---|"]
        for f in findings[:MAX_FINDINGS]:
            out.append(
                f"| {ICONS[f.severity.value]} | {f.code} | {escape(f.kind)} | {_where(f.location)} | "
                f"{escape(f.message)} |"
            )
        if len(findings) > MAX_FINDINGS:
            out.append(f"\n… and {len(findings) - MAX_FINDINGS} more (see report.json).")
        advice = [f for f in findings[:MAX_FINDINGS] if f.advice]
        if advice:
            out += ["", "<details><summary>What to do</summary>", ""]
            out += [f"- **{f.code}** {escape(f.advice)}" for f in advice]
            out += ["", "</details>"]
    return "\n".join(out).rstrip() + "\n"


def _figures(report: Report) -> list[str]:
    conf = report.section(ConformanceSection)
    if conf is None:
        return []
    model = report.model
    name = model.process_name if isinstance(model, DocumentedModel) else ""
    rows = [
        ("Model", f"{escape(model.path if model else '')} — {escape(name or '')}"),
        ("Fitness", ratio_text(conf.fitness)),
        ("Precision", ratio_text(conf.precision)),
    ]
    cover = conf.coverage
    if conf.fitting_share is not None:
        rows.append(
            ("Cases fitting perfectly", f"{share_text(conf.fitting_share, 1)} of {cover.cases_aligned:,}")
        )
    if cover.variants_not_aligned:
        low, high = cover.fitness_bounds or (None, None)
        rows.append(
            (
                "Not aligned (left out)",
                f"{cover.variants_not_aligned:,} variants, {cover.cases_not_aligned:,} cases; "
                f"fitness of all cases between {ratio_text(low)} and {ratio_text(high)}",
            )
        )
    for choice in conf.choices:
        tasks = escape(", ".join(choice.tasks))
        rows.append(("Choice skipped", f"none of {tasks} in {choice.cases:,} cases"))
    return ["| | |", "|---|---|", *[f"| {k} | {v} |" for k, v in rows], ""]


def _where(loc: Location) -> str:
    if loc.source and loc.target:
        return f"{escape(loc.source)} → {escape(loc.target)}"
    parts = []
    if loc.file:
        parts.append(escape(loc.file) + (f":{loc.line}" if loc.line else ""))
    if loc.element_id:
        parts.append(f"`{loc.element_id.replace('`', '')}`")
    elif loc.activity:
        parts.append(escape(loc.activity))
    return " ".join(parts)
