"""The HTML report rendered from a report dict: sections in order, everything escaped, self-contained,
limited tables, and usable with only some sections present."""

from __future__ import annotations

import re

import jinja2
import pytest

from procmine.analyses.overlay import model_overlay
from procmine.findings import Report
from procmine.renderers.html_report import LIMITS, build_view, render_data
from procmine.renderers.html_view import HtmlExtras, fmt, metric_kind
from procmine.renderers.process_map import MapLevel
from tests.audit_fakes import TASK_NAMES, chain_model, complaints_model, fake_report, handover
from tests.schema import assert_valid_report

EVIL = "<script>alert(1)</script>"
SECTIONS = ["scorecard", "findings", "model", "actual", "performance", "method"]


def html_of(data=None, **extras) -> str:
    """The HTML of a report's JSON; with a model, painted as the audit paints it (``analyses.overlay``)."""
    data = data or fake_report()
    assert_valid_report(data)
    if extras.get("model") is not None:
        extras["overlay"] = model_overlay(Report.from_dict(data), extras["model"])
    return render_data(data, HtmlExtras(**extras))


def test_sections_appear_in_the_order_of_the_issue():
    html = html_of(model=complaints_model())
    positions = [html.index(f'<section id="{s}">') for s in SECTIONS]
    assert positions == sorted(positions)


def test_findings_listed_most_important_first_with_advice():
    html = html_of()
    codes = re.findall(r'<li class="finding (\w+)" data-code="(\w+)"', html)
    assert codes == [("error", "C001"), ("warning", "P001"), ("warning", "C002"), ("warning", "C003")]
    assert html.count("What to do:") == 4  # advice from the finding, or the plain default for its kind
    assert "Decide whether this step belongs to the process" in html


def test_many_findings_show_the_ten_most_important_and_fold_the_rest_by_kind():
    """A model far from reality (BPIC 2015: 190 findings, 122 order violations) is no wall of cards."""
    data = fake_report()  # C001 error, P001, C002, C003 warnings
    c003 = next(f for f in data["findings"] if f["code"] == "C003")
    data["findings"] += [{**c003, "message": f"skip {i}", "impact": 0.01} for i in range(14)]
    html = html_of(data)
    in_full, folded = html.split('<details class="folded', 1)
    assert len(re.findall(r'<li class="finding ', in_full)) == 10
    groups = re.findall(r'<summary>.*?<span class="code">(\w+)</span>: (\d+) more</summary>', folded)
    assert groups == [("C003", "8")]  # 10 shown: C001, P001, C002, C003 and 6 of its 14 copies
    assert len(re.findall(r'<li class="finding ', folded)) == 8
    assert "The other 8 findings, by kind" in html and "The 10 most important are shown in full." in html
    assert "<details" not in html_of()  # four findings: all in full


def test_every_string_from_log_or_model_is_escaped():
    data = fake_report()
    data["findings"][2]["activity"] = EVIL
    data["findings"][2]["message"] = f"{EVIL} happens"
    data["variants"]["top"][0]["activities"][0] = EVIL
    data["dfg"][0]["source"] = EVIL
    data["log"]["path"] = EVIL
    data["parameters"]["sla"] = EVIL
    model = complaints_model(names={"register": EVIL, "complex": EVIL})
    html = html_of(
        data, model=model, maps=[MapLevel(EVIL, EVIL, {"frequency": f"<svg><text>{EVIL}</text></svg>"})]
    )
    assert "<script" not in html.lower()
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 6


def test_self_contained_no_external_references():
    html = html_of(model=complaints_model(), maps=[LEVEL])
    urls = set(re.findall(r"(?:src|href)=\"([^\"#][^\"]*)\"", html))
    assert all(u.startswith("data:") for u in urls), urls
    without_ns = html.replace("http://www.w3.org/2000/svg", "")
    assert "http://" not in without_ns and "https://" not in without_ns
    assert "<script" not in html and "<link" not in html
    assert "Content-Security-Policy" in html


LEVEL = MapLevel("9 activities", "All 9 activities", {"frequency": "<svg/>", "performance": "<svg/>"})


def test_map_toggle_is_pure_css_and_maps_are_images():
    html = html_of(maps=[LEVEL])
    assert 'id="map-frequency" checked' in html and 'id="map-performance"' in html
    assert html.count('src="data:image/svg+xml;base64,') == 2
    assert 'class="level"' not in html  # one level: nothing to choose


def test_levels_of_detail_are_switched_without_scripts():
    levels = [
        MapLevel(f"{n} activities", f"{n} of 40", {"frequency": "<svg/>", "performance": "<svg/>"})
        for n in (18, 12, 8)
    ]
    html = html_of(maps=levels)
    assert html.count('src="data:image/svg+xml;base64,') == 6 and "<script" not in html
    assert 'id="map-level-1" checked' in html and html.count('class="level"') == 3
    css = html[html.index("<style") : html.index("</style>")]
    for mode in ("frequency", "performance"):
        for k in (1, 2, 3):
            assert f"#map-{mode}:checked ~ #map-level-{k}:checked ~ .map-{mode}.level-{k}" in css


def test_diagram_drawn_from_the_model_with_reality_painted():
    html = html_of(model=complaints_model())
    assert html.count('class="task') == len(TASK_NAMES) == 8
    assert 'class="task outdated" data-element-id="letter"' in html  # from the outdated_step finding
    assert 'data-activity="Call customer back"' in html  # the undocumented_step finding
    assert "skipped 15%" in html  # conformance task row


def test_a_model_wider_than_the_page_scrolls_at_full_size_with_a_switch_to_fit_it():
    html = html_of(model=chain_model(24))
    css = html[html.index("<style") : html.index("</style>")]
    frame = html[html.index('<div class="diagram') : html.index('<div class="canvas">')]
    width = re.search(r'class="diagram wide" style="--diagram-width: (\d+)px"', frame)
    assert width and int(width[1]) > 2 * 1100 and '<input type="checkbox" id="diagram-whole">' in frame
    assert f"At full size the model is {int(width[1]):,} px wide" in frame
    assert ".diagram.wide .canvas { overflow: auto;" in css  # scrolling below 80 % of full size
    assert "width: max(100%, calc(var(--diagram-width) * 0.8))" in css
    assert "#diagram-whole:checked ~ .canvas svg.bpmn-diagram { width: 100%; }" in css  # fitted
    narrow = html_of(model=chain_model(2))
    assert '<div class="diagram">' in narrow and "diagram-whole" not in narrow.split("</style>", 1)[1]


def _metric(previous, current, p_value, n=(980, 1010), test="Mann-Whitney U (two-sided)"):
    delta = None if p_value is None else current - previous
    return {
        "previous": previous,
        "current": current,
        "delta": delta,
        "relative": None if delta is None else delta / previous,
        "previous_n": n[0],
        "current_n": n[1],
        "test": test if p_value is not None else "not tested: fewer than 30 cases in a quarter",
        "p_value": p_value,
        "significant": p_value is not None and p_value < 0.05,
    }


def test_scorecard_shows_the_change_with_its_test_and_grey_when_not_significant():
    data = fake_report()
    data["periods"]["change"] = {
        "period": "2026-Q3",
        "previous": "2026-Q2",
        "left_out": [],
        "min_cases": 30,
        "alpha": 0.05,
        "cases": _metric(1010, 1010, 1.0, test="exact binomial test"),
        "throughput_median": _metric(6.5 * 86400, 7 * 86400, 0.0004),
        "throughput_p90": None,
        "throughput_mean": None,
        "sla_breach_rate": _metric(0.6, 0.62, 0.31),
        "mean_fitness": _metric(0.92, 0.88, None, n=(12, 1010)),
        "conforming_share": _metric(0.66, 0.6, 0.004),
    }
    view = build_view(Report.from_dict(data), HtmlExtras())
    tiles = {t.label: t for t in view.tiles}
    assert tiles["Median throughput"].change == "▲ +7.7% vs 2026-Q2 (p < 0.001)"
    assert tiles["Median throughput"].tone == "bad"  # slower is worse
    assert tiles["Conforming cases"].change == "▼ -6.0 pts vs 2026-Q2 (p = 0.004)"
    assert tiles["Cases"].change == "no change vs 2026-Q2: not significant (p = 1.000)"
    assert tiles["Cases"].tone == ""  # more cases is neither good nor bad
    too_few = "not compared with 2026-Q2: not tested: fewer than 30 cases in a quarter"
    assert tiles["Fitness"].change == too_few
    assert tiles["Fitness"].tone == "" and tiles["Fitness"].value == "0.910"


def test_scorecard_without_two_full_quarters_shows_the_last_full_one():
    data = fake_report()
    data["periods"]["quarters"][2]["partial"] = True
    data["periods"]["change"] = None
    data["periods"]["no_change"] = "the log covers 1 full quarter: nothing to compare"
    view = build_view(Report.from_dict(data), HtmlExtras())
    tiles = {t.label: t for t in view.tiles}
    assert tiles["Median throughput"].detail == "2026-Q2: 6.5 d"
    assert tiles["Median throughput"].tone == ""
    assert tiles["Median throughput"].change == "the log covers 1 full quarter: nothing to compare"  # JSON's
    # dates and quarters are UTC's: a log written at +02:00 from 1 October starts on 30 September
    quarters = len(data["periods"]["quarters"])
    assert tiles["Period covered"].detail == f"{quarters} quarters in UTC (1 partial: shown, not compared)"


def test_tables_are_limited_at_50k_variants():
    data = fake_report()
    data["variants"]["total"] = 50_000
    data["variants"]["top"] = [
        {
            "rank": i,
            "activities": [f"a{i}", "b"],
            "length": 2,
            "cases": 1,
            "share": 0.00002,
            "cumulative_share": 0.3 + i * 0.00002,
        }
        for i in range(1, 1001)
    ]
    data["performance"]["handovers"] = [handover(f"s{i}", "t", 1, 1.0, 1.0, float(i)) for i in range(5000)]
    data["performance"]["handovers_total"] = 5000
    data["findings"] = data["findings"] * 100
    html = html_of(data)
    assert html.count('class="variant"') == LIMITS["variants"]
    assert "Showing 20 of 50,000 variants" in html
    assert f"Showing {LIMITS['handovers']} of 5,000 rows" in html
    assert html.count('<li class="finding') == LIMITS["findings"]
    assert len(html) < 500_000


def test_a_report_with_no_sections_still_renders():
    data = {
        "schema": "procmine.report/1",
        "procmine_version": "0",
        "command": "audit",
        "parameters": {},
        "log": None,
        "model": None,
        "summary": {"findings": 0, "by_severity": {"error": 0, "warning": 0, "info": 0}},
        "findings": [],
    }
    html = html_of(data)
    assert "No findings" in html and "No documented model was given" in html


def test_the_template_refuses_undefined_names():
    from procmine.renderers.html_report import _environment

    with pytest.raises(jinja2.UndefinedError):
        _environment().from_string("{{ nothing_here }}").render()
    assert _environment().autoescape


def test_print_css_present():
    html = html_of()
    assert "@media print" in html and "break-inside: avoid" in html


@pytest.mark.parametrize(
    ("name", "value", "text"),
    [
        ("median_wait", 7200.0, "2.0 h"),
        ("share", 0.25, "25%"),
        ("breach_rate", 0.05, "5.0%"),
        ("cases", 1200, "1,200"),
        ("target", 86400.0, "1.0 d"),
        ("fitness", 0.9, "0.900"),
    ],
)
def test_metric_formatting(name, value, text):
    assert fmt(value, metric_kind(name)) == text


def test_rows_dropped_are_listed_by_reason_with_their_counts():
    html = html_of()
    part = html[html.index("<h3>Rows dropped, by reason</h3>") :]
    part = part[: part.index("</table>")]
    assert re.search(r"missing case id</td>\s*<td[^>]*>4</td>", part)
    assert re.search(r"unparseable timestamp</td>\s*<td[^>]*>6</td>", part)
