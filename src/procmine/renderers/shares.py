"""Shares, ratios and p values as every renderer prints them: a figure that is not all (or none) never reads
as 100 % or 1.000 (0 %); a figure not computed reads "n/a".

Rounding 1,615 conforming cases of 1,617 to "100%" tells a process owner that every case followed the
documented process; "99.9%" does not. So a share keeps as many more decimals as it needs (up to two) to
stay off the edge, and beyond that reads "> 99.99%" or "< 0.01%".
"""

from __future__ import annotations

_MAX_EXTRA = 2  # decimals added at most before the figure reads "> 99.99%"


NOT_COMPUTED = "n/a"


def share_text(value: float | None, decimals: int = 0) -> str:
    """``value`` (0..1) as a percentage with ``decimals`` decimals, or more when fewer would round a
    share that is not 1 (not 0) to 100 % (0 %)."""
    return NOT_COMPUTED if value is None else _off_the_edges(float(value), decimals, "%", 2)


def ratio_text(value: float | None, decimals: int = 3) -> str:
    """A ratio (fitness, precision: 0..1) with ``decimals`` decimals, or more when fewer would round one
    that is not 1 (not 0) to 1.000 (0.000)."""
    return NOT_COMPUTED if value is None else _off_the_edges(float(value), decimals, "f", 0)


def p_text(p: float) -> str:
    """A p value as the summaries print it."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _off_the_edges(value: float, decimals: int, kind: str, shift: int) -> str:
    """``value`` formatted with ``kind`` ('%' or 'f'); ``shift``: the decimals the format adds (a
    percentage's two), for the last resort "> 99.99%" / "< 0.01%"."""
    for places in range(decimals, decimals + _MAX_EXTRA + 1):
        text = f"{value:.{places}{kind}}"
        if not _on_edge(value, text, f"{1:.{places}{kind}}", f"{0:.{places}{kind}}"):
            return text
    places = decimals + _MAX_EXTRA
    step = 10 ** -(places + shift)
    return f"> {1 - step:.{places}{kind}}" if value > 0.5 else f"< {step:.{places}{kind}}"


def _on_edge(value: float, text: str, all_text: str, none_text: str) -> bool:
    return (text == all_text and value < 1) or (text == none_text and value > 0)
