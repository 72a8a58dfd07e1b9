"""The diagram's outer ``<svg>``: the drawing at its natural size (one unit, one pixel). The report shows a
diagram wider than its page in a frame as wide as the window, shrunk to fit down to 80 % of that size and
scrolled below it, with a switch to fit it whole (``templates/report.css``): cutting a model into page-wide
pieces would cut its sequence flows too."""

from __future__ import annotations

from procmine.renderers.svg import attr, num
from procmine.renderers.svg.textsize import FONT_FAMILY

# The report page's content width (1136 px on a 1200 px window, less the frame's padding): a diagram up to
# this wide is shown whole at full size in the page's column; a wider one gets the wide frame.
PAGE_WIDTH = 1100.0
FONT_SIZE = 11  # of the diagram's labels, which textsize measures in FONT_FAMILY
_FONT = f'font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}"'


def frame(head: str, body: str, extent: tuple[float, float, float, float], dom_id: str) -> str:
    """The diagram as one ``<svg>`` sized to ``extent`` (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = extent
    width, height = x1 - x0, y1 - y0
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bpmn-diagram" id={attr(dom_id)} '
        f'viewBox="{num(x0)} {num(y0)} {num(width)} {num(height)}" width="{num(width)}" '
        f'height="{num(height)}" role="img" {_FONT}>{head}{body}</svg>'
    )
