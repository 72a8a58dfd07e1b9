"""The hand-rolled SVG charts: well-formed XML, labels escaped, one mark per data point."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from procmine.renderers.svg import charts
from procmine.timefmt import duration, duration_unit

NS = "{http://www.w3.org/2000/svg}"
EVIL = "<script>alert(1)</script>"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises when the SVG is not well-formed


def test_bar_chart_has_one_bar_per_item_and_escapes_labels():
    svg = charts.bar_chart([(EVIL, 10.0), ("b & c", 5.0)], title="t")
    root = parse(svg)
    assert len(root.findall(f"{NS}rect")) == 2
    assert "<script>" not in svg
    texts = "".join(root.itertext())
    assert EVIL in texts and "b & c" in texts
    widths = [float(r.get("width")) for r in root.findall(f"{NS}rect")]
    assert widths[0] == 2 * widths[1]  # bars are proportional to the values


def test_histogram_bars_and_marker():
    bins = [(0.0, 10.0, 4), (10.0, 20.0, 2), (20.0, 30.0, 0)]
    root = parse(charts.histogram(bins, title="h", marker=(15.0, "SLA")))
    heights = [float(r.get("height")) for r in root.findall(f"{NS}rect")]
    assert len(heights) == 3 and heights[0] == 2 * heights[1] and heights[2] == 0
    assert "SLA" in "".join(root.itertext())


def test_line_chart_gaps_and_points():
    root = parse(charts.line_chart(["a", "b", "c", "d"], {"s": [1.0, None, 3.0, 4.0]}, title="l"))
    assert len(root.findall(f"{NS}circle")) == 3
    assert len(root.findall(f"{NS}polyline")) == 1  # the run c-d; "a" stands alone


def test_line_chart_hollow_points_are_not_joined():
    labels = ["a", "b", "c", "d", "e"]
    svg = charts.line_chart(
        labels,
        {"s": [1.0, 2.0, 3.0, 4.0, 9.0]},
        title="l",
        hollow=[True, False, False, False, True],
        notes=["2 cases", "", "", "", "5 cases, covered in part"],
    )
    root = parse(svg)
    circles = root.findall(f"{NS}circle")
    assert [c.get("fill") for c in circles] == ["white", *[circles[1].get("fill")] * 3, "white"]
    lines = root.findall(f"{NS}polyline")
    assert len(lines) == 1 and lines[0].get("points").count(",") == 3  # b-c-d only
    assert "e: 9 (5 cases, covered in part)" in "".join(root.itertext())


def test_trend_chart_hollows_partial_and_small_months():
    """The last month of an export holds a few long cases: hollow, off the line, and the caption says why."""
    from procmine.renderers.html_charts import trend_chart
    from procmine.sections.periods import OpenCases, PeriodRow, PeriodsSection

    def month(period: str, cases: int, partial: bool = False) -> PeriodRow:
        day = 86400.0
        return PeriodRow(period, "", "", partial, cases, cases * 5, day, 2 * day, day, None, None, None)

    months = [
        month("2026-01", 40, partial=True),
        month("2026-02", 50),
        month("2026-03", 45),
        month("2026-04", 12),
        month("2026-05", 60, partial=True),
    ]
    section = PeriodsSection("case end", "UTC", "quarter", 30, OpenCases(0, ""), [], months, None, "", [])
    html = str(trend_chart(section))
    root = parse(html[: html.index("</svg>") + 6])
    fills = [c.get("fill") for c in root.findall(f"{NS}circle")]
    assert fills.count("white") == 2 * 3  # two series, three hollow months
    assert "fewer than 30 cases" in html and "12 cases, too few to compare" in html
    enough = PeriodsSection("case end", "UTC", "quarter", 10, OpenCases(0, ""), [], months[1:4], None, "", [])
    assert "Hollow" not in str(trend_chart(enough))


def test_coverage_curve_marks_the_80_percent_point():
    points = [(1, 0.5), (2, 0.7), (3, 0.85), (10, 1.0)]
    root = parse(charts.coverage_curve(points, title="c"))
    assert "3 variants cover 80%" in "".join(root.itertext())


@pytest.mark.parametrize(
    ("points", "right_of_dot"),
    [
        ([(1, 0.5), (2, 0.85), (100, 1.0)], True),  # reached early: room to the right, below the curve
        ([(1, 0.1), (636, 0.8), (846, 1.0)], False),  # reached late (Sepsis): above and left of the dot
    ],
)
def test_coverage_label_stays_off_the_curve(points, right_of_dot):
    root = parse(charts.coverage_curve(points, title="c", total_variants=points[-1][0]))
    dot = root.find(f"{NS}circle")
    label = next(t for t in root.iter(f"{NS}text") if "variants cover" in (t.text or ""))
    dot_x, dot_y, x, y = (float(v) for v in (dot.get("cx"), dot.get("cy"), label.get("x"), label.get("y")))
    if right_of_dot:  # the curve runs above the dot to its right
        assert x > dot_x and y > dot_y and label.get("text-anchor") is None
    else:  # ... and below it to its left
        assert x < dot_x and y < dot_y and label.get("text-anchor") == "end"


def test_coverage_curve_uses_a_log_axis_for_many_variants():
    points = [(1, 0.2), (100, 0.6), (50_000, 1.0)]
    assert "log scale" in charts.coverage_curve(points, title="c", total_variants=50_000)


def test_empty_inputs_give_a_message_not_an_error():
    for svg in (
        charts.bar_chart([], title="x"),
        charts.histogram([], title="x"),
        charts.line_chart([], {}, title="x"),
        charts.coverage_curve([], title="x"),
    ):
        assert "no data" in "".join(parse(svg).itertext())


def test_nice_axis_maximum():
    tops = [charts._nice_max(v) for v in (0.3, 1, 7, 12, 101, 2400)]
    assert tops == pytest.approx([0.3, 1, 8, 12, 120, 2500])


def test_duration_axes_end_and_tick_on_round_figures_in_their_unit():
    """A throughput axis ends on 600 d, not 578.7 d (a round number of seconds), and its labels sit at
    0, 100 d, 200 d, ... rather than at the first, middle and last bin edge (0, 211.2 d, 422.3 d)."""
    day = 86400
    assert charts._nice_max(578.7 * day, duration_unit) == 600 * day
    assert charts._nice_max(5.2 * 3600, duration_unit) == 6 * 3600
    assert [duration(t) for t in charts._nice_ticks(0, 422.3 * day, duration_unit)] == [
        "0 s",
        "100.0 d",
        "200.0 d",
        "300.0 d",
        "400.0 d",
    ]
    svg = charts.histogram(
        [(0, 211.15 * day, 40), (211.15 * day, 422.3 * day, 2)],
        title="t",
        format_edge=duration,
        unit=duration_unit,
    )
    labels = [t.text for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert "200.0 d" in labels and "422.3 d" not in labels and "211.2 d" not in labels
