"""One renderer per format, looked up by name: ``render(report) -> str``.

Every renderer reads ``Report.published()``: the typed sections as the JSON states them (rounded), so all
formats show the same figures; renderers format fields and compute nothing."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from procmine.safe_text import printable, xml_text

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


# Labels from logs and models are data: the text formats show control characters as escapes (a label must
# not drive the terminal or the CI log), the XML ones leave out what XML 1.0 forbids.
_SAFE = {"human": printable, "markdown": printable, "github": printable, "junit": xml_text}


def render(report: Report, fmt: str) -> str:
    return render_published(report.published(), fmt)


def render_published(published: Report, fmt: str) -> str:
    """``render`` of a report already published (``Report.published()``, a round trip through its JSON):
    several formats of one report publish it once."""
    module = importlib.import_module(FORMATS[fmt])
    text = module.render(published)
    return _SAFE[fmt](text) if fmt in _SAFE else text
