"""``procmine audit --previous``: a quarter's audit against last quarter's report.json.

The bundled sample is split into its Q2 and Q3 cases (two quarterly exports); the letter retired at the end
of June makes Q3's outdated step new, and the comparison's figures must equal each report's own."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from procmine.analyses.comparison import finding_key
from procmine.cli import run
from tests.conftest import SAMPLE_LOGS
from tests.schema import assert_valid_report

MODEL = SAMPLE_LOGS / "complaints_documented.bpmn"


@pytest.fixture(scope="module")
def quarters(tmp_path_factory) -> tuple[dict, dict, Path]:
    folder = tmp_path_factory.mktemp("quarters")
    frame = pd.read_csv(SAMPLE_LOGS / "complaints.csv")
    start = pd.to_datetime(frame.groupby("Complaint ID")["Complete Timestamp"].transform("min"), utc=True)
    frame[(start >= "2026-04-01") & (start < "2026-07-01")].to_csv(folder / "q2.csv", index=False)
    frame[start >= "2026-07-01"].to_csv(folder / "q3.csv", index=False)
    assert run(["-q", "audit", str(MODEL), str(folder / "q2.csv"), "-o", str(folder / "r2")], False) == 0
    code = run(
        [
            "-q",
            "audit",
            str(MODEL),
            str(folder / "q3.csv"),
            "-o",
            str(folder / "r3"),
            "--previous",
            str(folder / "r2"),
        ],
        False,
    )
    assert code == 0
    q2 = json.loads((folder / "r2" / "report.json").read_text())
    q3 = json.loads((folder / "r3" / "report.json").read_text())
    return q2, q3, folder


def test_figures_are_each_reports_own(quarters):
    q2, q3, _ = quarters
    assert_valid_report(q3)
    figures = q3["comparison"]["figures"]
    for name, now, then in (
        ("cases", q3["log"]["cases"], q2["log"]["cases"]),
        ("fitness", q3["conformance"]["fitness"], q2["conformance"]["fitness"]),
        ("conforming_share", q3["conformance"]["fitting_share"], q2["conformance"]["fitting_share"]),
        (
            "throughput_median",
            q3["performance"]["throughput"]["median"],
            q2["performance"]["throughput"]["median"],
        ),
    ):
        assert figures[name]["current"] == now and figures[name]["previous"] == then, name
        assert figures[name]["delta"] == pytest.approx(now - then, abs=1e-6), name
    assert figures["fitness"]["delta"] < 0  # the retired letter makes Q3 fit the documented model worse


def test_findings_are_new_persisting_or_resolved(quarters):
    q2, q3, _ = quarters
    keys = lambda report: {finding_key(f) for f in report["findings"] if f["severity"] != "info"}  # noqa: E731
    now, then = keys(q3), keys(q2)
    findings = q3["comparison"]["findings"]
    assert set(findings["new"]) == now - then
    assert set(findings["persisting"]) == now & then
    assert len(findings["resolved"]) == len(then - now)
    outdated = [f for f in q3["findings"] if f["kind"] == "outdated_step"]
    assert [f["element_id"] for f in outdated] == ["Activity_Letter"]
    assert finding_key(outdated[0]) in findings["new"]
    undocumented = next(f for f in q3["findings"] if f["kind"] == "undocumented_step")
    assert finding_key(undocumented) in findings["persisting"]  # the call-back happened in both quarters


def test_the_report_marks_new_and_resolved_findings(quarters):
    _, q3, folder = quarters
    html = (folder / "r3" / "report.html").read_text()
    assert html.count('class="status new">new<') == len(q3["comparison"]["findings"]["new"])
    assert "vs previous report (2026-04-01" in html
    if q3["comparison"]["findings"]["resolved"]:
        assert "Resolved since the previous report" in html


def test_a_bad_previous_report_is_exit_2_with_one_line(tmp_path, capsys):
    log = SAMPLE_LOGS / "complaints.csv"
    (tmp_path / "x.json").write_text("{not json")
    (tmp_path / "d.json").write_text(json.dumps({"schema": "procmine.report/1", "command": "discover"}))
    for bad, cause in (("x.json", "not JSON"), ("d.json", "not of an audit"), ("none.json", "no such file")):
        assert run(["-q", "audit", str(MODEL), str(log), "--previous", str(tmp_path / bad)], False) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and cause in err[0], err
