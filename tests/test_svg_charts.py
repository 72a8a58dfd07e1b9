"""The hand-rolled SVG charts: well-formed XML, labels escaped, one mark per data point."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from procmine.renderers.svg import charts

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


def test_coverage_curve_marks_the_80_percent_point():
    points = [(1, 0.5), (2, 0.7), (3, 0.85), (10, 1.0)]
    root = parse(charts.coverage_curve(points, title="c"))
    assert "3 variants cover 80%" in "".join(root.itertext())


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
    assert [charts._nice_max(v) for v in (0.3, 1, 7, 12, 101, 2400)] == [0.5, 1, 10, 20, 200, 2500]

