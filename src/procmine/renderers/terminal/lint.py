"""The lint block: what was linted with which preset, files that could not be read, suppressed findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from procmine.findings import severity_counts_text
from procmine.sections.lint import LintSection

if TYPE_CHECKING:
    from procmine.findings import Report


def lines(report: Report) -> list[str]:
    lint = report.section(LintSection)
    if lint is None:
        return []
    files = lint.files
    suppressed = f", {lint.suppressed} finding(s) suppressed by configuration" if lint.suppressed else ""
    counted = f"{len(files):,} file{'' if len(files) == 1 else 's'}"
    out = [f"Lint       {counted}, {len(lint.rules)} rules (preset {lint.preset}){suppressed}"]
    shown = files if len(files) <= 20 else [f for f in files if f.findings]
    if len(shown) < len(files):
        hidden = len(files) - len(shown)
        out.append(f"  {hidden:,} file{'' if hidden == 1 else 's'} without findings")
    for result in shown:
        by = result.by_severity
        counts = severity_counts_text(by)
        state = counts if result.findings else "ok"
        out.append(f"  {result.file}: {state}")
    for u in lint.unreadable:
        out.append(f"  {u.file}: UNREADABLE: {u.cause}")
    return out
