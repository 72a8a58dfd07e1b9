"""The findings block: one line per finding, most important first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from procmine.findings import severity_counts_text
from procmine.sections.lint import LintSection

if TYPE_CHECKING:
    from procmine.findings import Report


def lines(report: Report) -> list[str]:
    findings = report.findings
    if not findings:
        if report.command == "inspect":
            return []
        lint = report.section(LintSection)
        if lint and lint.unreadable:
            return [f"No findings in the files read ({len(lint.unreadable)} could not be read)."]
        return ["No findings."]
    by = report.count_by_severity()
    out = [f"Findings   {len(findings)} ({severity_counts_text(by)})"]
    for f in findings:
        loc = f.location
        where = (loc.file or "") + (f":{loc.line}" if loc.line else "")
        where += f" {loc.element_id}" if loc.element_id else ""
        where = f"{where.strip()}  " if where.strip() else ""
        out.append(f"  {f.severity.value:<7} {f.code} {where}{f.message} [{f.kind}]")
    return out
