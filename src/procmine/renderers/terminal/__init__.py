"""The human format: a plain-text summary for the terminal, one block per report section present."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from procmine.findings import Report

# Each block module has ``lines(report) -> list[str]``, reading the report's typed sections. A block with a
# list of section names has nothing to say without any of them (a test holds it to that): its module, and
# the section classes it imports, are then not imported (``check`` needs no performance section's).
BLOCKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("log", ()),
    ("lint", ()),
    ("discovery", ("variants", "discovery", "dfg", "throughput")),
    ("conformance", ()),
    ("performance", ("performance", "waits", "customer")),
    ("findings", ()),
)


def render(report: Report) -> str:
    if report.command == "audit":  # the audit's full picture is its HTML report: a summary here
        from procmine.renderers.terminal import audit

        return audit.render(report)
    out: list[str] = []
    for name, reads in BLOCKS:
        if reads and all(report.sections.get(section) is None for section in reads):
            continue
        lines = importlib.import_module(f"{__name__}.{name}").lines(report)
        if lines:
            if out:
                out.append("")
            out.extend(lines)
    return "\n".join(out) + "\n"
