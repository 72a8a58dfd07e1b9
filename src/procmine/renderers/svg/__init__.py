"""Inline SVG drawn by procmine itself: small charts and the BPMN diagram with reality painted on it.

Every function returns a complete ``<svg>`` element as a string in which every label is XML-escaped, so the
HTML report can embed it as it is. No external fonts, scripts or images: the SVG works offline and prints.
"""

from __future__ import annotations

from html import escape  # not xml.sax.saxutils: it imports urllib and email, ~70 ms for every command

from procmine.safe_text import xml_text  # a control character in a label would make the SVG unreadable


def text(value: object) -> str:
    """Escape a label for SVG text content (labels come from logs and models: never markup)."""
    return escape(xml_text(str(value)), quote=False).replace('"', "&quot;")


def attr(value: object) -> str:
    """Escape a value for an SVG attribute, quotes included."""
    return f'"{escape(xml_text(str(value)), quote=True)}"'


def num(value: float) -> str:
    """Coordinates with at most one decimal, so the SVG stays small and deterministic."""
    r = round(float(value), 1)
    return str(int(r)) if r == int(r) else str(r)
