"""The human format: a plain-text summary for the terminal, one block per report section present."""

from __future__ import annotations

from typing import TYPE_CHECKING

from procmine.renderers.terminal import audit, conformance, discovery, findings, lint, log, performance

if TYPE_CHECKING:
    from procmine.findings import Report

# Each block module has ``lines(report) -> list[str]``, reading the report's typed sections.
BLOCKS = (log, lint, discovery, conformance, performance, findings)


def render(report: Report) -> str:
    if report.command == "audit":  # the audit's full picture is its HTML report: a summary here
        return audit.render(report)
    out: list[str] = []
    for block in BLOCKS:
        lines = block.lines(report)
        if lines:
            if out:
                out.append("")
            out.extend(lines)
    return "\n".join(out) + "\n"
