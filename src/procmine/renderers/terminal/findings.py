"""The findings block: one line per finding, most important first."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from procmine.findings import Report


def lines(report: Report) -> list[str]:
    data = report.to_dict()
    findings = data.get("findings") or []
    if not findings:
        if data.get("command") == "inspect":
            return []
        unreadable = len((data.get("lint") or {}).get("unreadable") or [])
        if unreadable:
            return [f"No findings in the files read ({unreadable} could not be read)."]
        return ["No findings."]
    by = data["summary"]["by_severity"]
    out = [f"Findings   {len(findings)} ({by['error']} error, {by['warning']} warning, {by['info']} info)"]
    for f in findings:
        where = f.get("file", "")
        if f.get("line"):
            where += f":{f['line']}"
        if f.get("element_id"):
            where += f" {f['element_id']}"
        where = f"{where.strip()}  " if where.strip() else ""
        out.append(f"  {f['severity']:<7} {f['code']} {where}{f['message']} [{f['kind']}]")
    return out
