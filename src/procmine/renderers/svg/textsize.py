"""How wide a label is, and how it wraps, measured by procmine itself.

Graphviz measures text with the fonts of the machine it runs on, so the same map would be laid out
differently on two machines. procmine measures every label with the metrics of Helvetica/Arial (the widths
Liberation Sans shares) and hands Graphviz fixed sizes: the layout, and so the SVG, is the same everywhere.
The SVGs ask for that font family; ``SLACK`` leaves room for a wider fallback font (DejaVu Sans is about
8 % wider), so a label never spills out of its box.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

FONT_FAMILY = "Helvetica, Arial, 'Liberation Sans', sans-serif"
SLACK = 1.1  # measured widths are multiplied by this: room for a wider fallback font
LINE_HEIGHT = 1.25  # line distance in font sizes
WORD_STRETCH = 1.4  # a single word may make its line this much wider than asked before it is broken

# Advance widths (1/1000 em) of the printable ASCII characters 32..126 in Helvetica (Arial's are equal).
_REGULAR = (
    "278,278,355,556,556,889,667,191,333,333,389,584,278,333,278,278,556,556,556,556,556,556,556,556,556,"
    "556,278,278,584,584,584,556,1015,667,667,722,722,667,611,778,722,278,500,667,556,833,722,778,667,778,"
    "722,667,611,722,667,944,667,667,611,278,278,278,469,556,333,556,556,500,556,556,278,556,556,222,222,"
    "500,222,833,556,556,556,556,333,500,278,556,500,722,500,500,500,334,260,334,584"
)
_BOLD = (
    "278,333,474,556,556,889,722,238,333,333,389,584,278,333,278,278,556,556,556,556,556,556,556,556,556,"
    "556,333,333,584,584,584,611,975,722,722,722,722,667,611,778,722,278,556,722,611,833,722,778,667,778,"
    "722,667,611,722,667,944,667,667,611,333,278,333,584,556,333,556,611,556,611,556,333,611,611,278,278,"
    "556,278,889,611,611,611,611,389,556,333,611,556,778,556,556,500,389,280,389,584"
)
_WIDTHS = {
    False: {chr(32 + i): int(w) for i, w in enumerate(_REGULAR.split(","))},
    True: {chr(32 + i): int(w) for i, w in enumerate(_BOLD.split(","))},
}
_BREAK_AFTER = re.compile(r"(?<=[_/\-.:;,)])")  # where a word too long for a line may be broken


@lru_cache(maxsize=4096)
def _char_width(char: str, bold: bool) -> int:
    table = _WIDTHS[bold]
    if char in table:
        return table[char]
    base = unicodedata.normalize("NFKD", char)[:1]  # é -> e
    if base in table:
        return table[base]
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1000
    if unicodedata.combining(char):
        return 0
    return 600


def text_width(label: str, size: float, bold: bool = False) -> float:
    """The width of ``label`` in pixels at font size ``size``, with ``SLACK`` for a fallback font."""
    return sum(_char_width(c, bold) for c in label) * size / 1000 * SLACK


def wrap(label: str, width: float, size: float, bold: bool = False) -> list[str]:
    """``label`` broken into lines of at most ``width`` pixels, never cut: words are kept whole, a word
    much wider than a line (``WORD_STRETCH``) is broken after ``_ / - . : ; , )`` where it has one, and
    otherwise stands alone on its (wider) line. Whitespace runs count as one space."""
    tokens = [  # (text, glue): glue is what joins the token to the one before it on a line
        (piece, " " if k == 0 else "")
        for word in label.split()
        for k, piece in enumerate(_pieces(word, width, size, bold))
    ]
    lines: list[str] = []
    current = ""
    for piece, glue in tokens:
        candidate = current + glue + piece if current else piece
        if current and text_width(candidate, size, bold) > width:
            lines.append(current)
            current = piece
        else:
            current = candidate
    lines.append(current)
    return lines


def fit(label: str, width: float, size: float, max_lines: int, bold: bool = False) -> list[str]:
    """``label`` in a box that cannot grow (a task drawn where the modeller put it): wrapped as ``wrap`` does,
    a word wider than the box cut where it no longer fits, and the text past ``max_lines`` lines given up
    with an ellipsis. Every line is at most ``width`` pixels wide."""
    lines = [part for line in wrap(label, width, size, bold) for part in _cut(line, width, size, bold)]
    if len(lines) <= max_lines:
        return lines
    return [*lines[: max_lines - 1], _ellipsized(lines[max_lines - 1], width, size, bold)]


def _cut(line: str, width: float, size: float, bold: bool) -> list[str]:
    parts = [""]
    for char in line:
        if parts[-1] and text_width(parts[-1] + char, size, bold) > width:
            parts.append("")
        parts[-1] += char
    return parts


def _ellipsized(line: str, width: float, size: float, bold: bool) -> str:
    while line and text_width(line + "…", size, bold) > width:
        line = line[:-1]
    return line.rstrip() + "…"


def _pieces(word: str, width: float, size: float, bold: bool) -> list[str]:
    """The word, or the parts of a word much too wide for a line (each part ends at a break character):
    a word a little wider than the line stays whole (``A_PARTLYSUBMITTED``, not ``A_`` and the rest)."""
    if text_width(word, size, bold) <= width * WORD_STRETCH:
        return [word]
    parts = [p for p in _BREAK_AFTER.split(word) if p]
    return parts if len(parts) > 1 else [word]


def block_size(lines: list[str], size: float, bold: bool = False) -> tuple[float, float]:
    """Width and height of lines of text set at ``size`` with ``LINE_HEIGHT``."""
    width = max((text_width(line, size, bold) for line in lines), default=0.0)
    return width, len(lines) * size * LINE_HEIGHT
