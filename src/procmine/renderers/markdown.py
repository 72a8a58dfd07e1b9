"""Markdown for a pull-request comment: a verdict line, the key figures, and the findings as a table.

Rendered from ``Report.to_dict()`` like every format. Labels come from logs and models, so they are
escaped: markdown and HTML characters are neutralised, pipes cannot break the table, and line breaks are
folded, so a crafted activity name cannot inject links, images or markup into the comment.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from procmine.findings import Report

ICONS = {"error": "🔴", "warning": "🟠", "info": "🔵"}
_SPECIAL = re.compile(r"([\\`*_\[\]|<>~&!])")  # enough inside a table cell or list item
MAX_FINDINGS = 50  # a comment stays readable; the full list is in report.json


def escape(text: Any) -> str:
    folded = " ".join(str(text).split())
    return _SPECIAL.sub(r"\\\1", folded)


def render(report: Report) -> str:
    data = report.to_dict()
    by = data["summary"]["by_severity"]
    out = [f"### procmine {escape(data['command'])}", ""]
    verdict = (
        "✅ no findings"
        if not data["findings"]
        else (f"{by['error']} error(s), {by['warning']} warning(s), {by['info']} note(s)")
    )
    out += [f"**{verdict}**", ""]
    out += _figures(data)
    if data["findings"]:
        out += ["| | Code | Kind | Where | Finding |", "|---|---|---|---|---|"]
        for f in data["findings"][:MAX_FINDINGS]:
            out.append(
                f"| {ICONS[f['severity']]} | {f['code']} | {escape(f['kind'])} | {_where(f)} | "
                f"{escape(f['message'])} |"
            )
        if len(data["findings"]) > MAX_FINDINGS:
            out.append(f"\n… and {len(data['findings']) - MAX_FINDINGS} more (see report.json).")
        advice = [f for f in data["findings"][:MAX_FINDINGS] if f.get("advice")]
        if advice:
            out += ["", "<details><summary>What to do</summary>", ""]
            out += [f"- **{f['code']}** {escape(f['advice'])}" for f in advice]
            out += ["", "</details>"]
    return "\n".join(out).rstrip() + "\n"


def _figures(data: dict[str, Any]) -> list[str]:
    conf = data.get("conformance")
    if not conf:
        return []
    model = data.get("model") or {}
    rows = [
        ("Model", f"{escape(model.get('path', ''))} — {escape(model.get('process_name', ''))}"),
        ("Fitness", _num(conf.get("fitness"))),
        ("Precision", _num(conf.get("precision"))),
        ("Cases fitting perfectly", f"{conf['fitting_share']:.1%} of {conf['cases']:,}"),
    ]
    if (conf.get("fallback") or {}).get("variants"):
        rows.append(("Scored by token replay", f"{conf['fallback']['cases']:,} cases (time cap)"))
    return ["| | |", "|---|---|", *[f"| {k} | {v} |" for k, v in rows], ""]


def _where(f: dict[str, Any]) -> str:
    if f.get("source") and f.get("target"):
        return f"{escape(f['source'])} → {escape(f['target'])}"
    parts = []
    if f.get("file"):
        parts.append(escape(f["file"]) + (f":{f['line']}" if f.get("line") else ""))
    if f.get("element_id"):
        parts.append(f"`{f['element_id'].replace('`', '')}`")
    elif f.get("activity"):
        parts.append(escape(f["activity"]))
    return " ".join(parts)


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
