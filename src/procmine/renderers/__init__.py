"""One renderer per format, looked up by name: ``render(report) -> str``.

Every renderer reads ``Report.published()``: the typed sections as the JSON states them (rounded), so all
formats show the same figures; renderers format fields and compute nothing."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from procmine.findings import Report

FORMATS = {
    "human": "procmine.renderers.terminal",
    "json": "procmine.renderers.json_report",
    "sarif": "procmine.renderers.sarif",
    "junit": "procmine.renderers.junit",
    "github": "procmine.renderers.github",
    "markdown": "procmine.renderers.markdown",
    "html": "procmine.renderers.html_report",
}


def render(report: Report, fmt: str) -> str:
    module = importlib.import_module(FORMATS[fmt])
    return module.render(report.published())
