"""The audit report of the samples, opened in a real headless Chromium: no console errors, no network
requests, the diagram with one shape per documented task, the findings listed, the map toggle working.
A screenshot is saved under test-artifacts/ for a person to look at."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE_LOGS

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.graphviz]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = CHROMIUM if CHROMIUM.exists() else (Path(p) if (p := shutil.which("chromium")) else None)
    if executable is None:
        pytest.skip("Chromium not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=str(executable), args=ARGS)
        except Exception as exc:  # a broken install should say why, not fail the suite
            pytest.skip(f"Chromium does not start: {exc}")
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def report_html(tmp_path_factory) -> Path:
    if not (SAMPLE_LOGS / "complaints.csv").exists():
        pytest.skip("sample_logs not generated")
    from procmine.cli import run

    out = tmp_path_factory.mktemp("browser") / "complaints"
    model, log = SAMPLE_LOGS / "complaints_documented.bpmn", SAMPLE_LOGS / "complaints.csv"
    assert run(["audit", str(model), str(log), "--sla", "5d", "-o", str(out)], True) in (0, 1)
    return out / "report.html"


def test_report_in_a_real_browser(browser, report_html):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    requests: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))

    def refuse(route):
        requests.append(route.request.url)
        route.abort()

    page.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else refuse(route)
    )
    page.goto(report_html.as_uri())
    page.wait_for_load_state("load")

    assert requests == [], f"the report asked the network for {requests}"
    assert problems == [], problems
    diagram = page.locator("svg.bpmn-diagram")
    assert diagram.count() == 1 and diagram.is_visible()
    assert page.locator("svg.bpmn-diagram g.task").count() == 8
    assert page.locator("svg.bpmn-diagram g.undocumented").count() >= 1
    findings = page.locator("ol.findings > li")
    assert findings.count() >= 4
    assert page.locator("ol.findings > li[data-kind=outdated_step]").count() == 1
    # the frequency/performance toggle of the map works without scripts (on each level of detail)
    assert page.locator("figure.map-frequency.level-1").is_visible()
    assert not page.locator("figure.map-performance.level-1").is_visible()
    page.locator("label[for=map-performance]").click()
    assert page.locator("figure.map-performance.level-1").is_visible()
    assert not page.locator("figure.map-frequency.level-1").is_visible()
    if page.locator("label[for=map-level-2]").count():
        page.locator("label[for=map-level-2]").click()
        assert page.locator("figure.map-performance.level-2").is_visible()
        assert not page.locator("figure.map-performance.level-1").is_visible()
    # every image loaded (data URIs only)
    assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "audit_report.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(ARTIFACTS / "audit_report_print.png"), full_page=True)
    assert (ARTIFACTS / "audit_report.png").stat().st_size > 10_000
    page.close()


def test_script_in_an_activity_name_shows_as_text(browser, tmp_path):
    from procmine.renderers.html_report import render_data
    from procmine.renderers.html_view import HtmlExtras
    from tests.audit_fakes import complaints_model, fake_report

    evil = "<script>alert(1)</script>"
    data = fake_report()
    data["findings"][2]["activity"] = evil
    data["variants"]["top"][0]["activities"][0] = evil
    path = tmp_path / "evil.html"
    path.write_text(render_data(data, HtmlExtras(model=complaints_model(names={"register": evil}))), "utf-8")
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    assert dialogs == []
    assert page.locator("script").count() == 0
    assert page.get_by_text(evil).count() >= 2  # shown as text in the findings and the variants
    page.close()
