"""``procmine audit --previous``: a quarter's audit against last quarter's report.json.

The bundled sample is split into its Q2 and Q3 cases (two quarterly exports); the letter retired at the end
of June makes Q3's outdated step new, and the comparison's figures must equal each report's own."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
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


def test_the_conforming_share_change_is_tested_on_both_reports_counts(quarters):
    """The two-proportion z test of Q2's and Q3's conforming cases: the same p value as scipy's chi-square
    test of the 2x2 table without continuity correction, computed here from each report's own counts."""
    from scipy.stats import chi2_contingency

    q2, q3, folder = quarters
    change = q3["comparison"]["figures"]["conforming_share"]
    counts = [
        (r["conformance"]["fitting_cases"], r["conformance"]["coverage"]["cases_aligned"]) for r in (q2, q3)
    ]
    assert (change["previous_n"], change["current_n"]) == (counts[0][1], counts[1][1])
    table = [[hits, n - hits] for hits, n in counts]
    expected = chi2_contingency(table, correction=False).pvalue
    assert change["test"] == "two-proportion z test (two-sided)"
    assert change["p_value"] == pytest.approx(expected, rel=1e-9)
    assert change["significant"] == (expected < 0.05)
    for name in ("cases", "findings"):  # counts, not estimates: no test
        figure = q3["comparison"]["figures"][name]
        assert figure["p_value"] is None and figure["test"].startswith("not tested"), name
    summary = (folder / "r3" / "report.html").read_text()
    verdict = "not significant (p" if not change["significant"] else "(p "
    assert f"{change['current_n']:,} cases; {change['previous_n']:,} before" in summary and verdict in summary


def _report(fitting: int, aligned: int, breaches: int, measured: int, target: float | None) -> dict:
    return {
        "log": {"cases": aligned},
        "parameters": {"sla": {"case": target, "activities": {}}},
        "conformance": {
            "fitness": 0.9,
            "fitting_cases": fitting,
            "fitting_share": fitting / aligned,
            "coverage": {"cases_aligned": aligned},
        },
        "performance": {
            "sla": {"case": {"cases": measured, "breaches": breaches, "breach_rate": breaches / measured}}
        },
    }


def test_shares_are_tested_only_on_enough_cases_and_the_same_sla_target():
    from procmine.analyses.comparison import compare

    def figures(now: dict, then: dict) -> dict:
        return compare(now, then, "then.json").to_dict()["figures"]

    same = figures(_report(900, 1000, 120, 1000, 432000.0), _report(800, 1000, 60, 1000, 432000.0))
    assert same["conforming_share"]["p_value"] < 1e-6 and same["conforming_share"]["significant"]
    assert same["sla_breach_rate"]["significant"] and same["sla_breach_rate"]["current_n"] == 1000
    few = figures(_report(20, 29, 3, 29, 432000.0), _report(800, 1000, 60, 1000, 432000.0))
    assert (
        few["conforming_share"]["p_value"] is None
        and "fewer than 30 cases" in few["conforming_share"]["test"]
    )
    assert few["conforming_share"]["delta"] is not None  # the figures are still shown side by side
    other_target = figures(_report(900, 1000, 120, 1000, 432000.0), _report(800, 1000, 60, 1000, 604800.0))
    sla = other_target["sla_breach_rate"]
    assert sla["delta"] is None and sla["p_value"] is None and sla["test"].startswith("not compared")
    older = _report(800, 1000, 60, 1000, 432000.0)
    del older["conformance"]["fitting_cases"]  # a report without the counts: shown, not tested
    assert figures(_report(900, 1000, 120, 1000, 432000.0), older)["conforming_share"]["p_value"] is None


def test_mann_whitney_from_counts_equals_scipy_on_the_values():
    from scipy.stats import mannwhitneyu

    from procmine.analyses.significance import mann_whitney_counted

    rng = np.random.default_rng(5)
    for _ in range(20):
        first, second = (
            dict(zip(*(x.tolist() for x in np.unique(values, return_counts=True)), strict=True))
            for values in (
                rng.integers(-1, 40, rng.integers(1, 300)),
                rng.integers(5, 45, rng.integers(1, 300)),
            )
        )
        ours = mann_whitney_counted(first, second)
        expand = lambda d: np.repeat(list(d), list(d.values()))  # noqa: E731
        theirs = mannwhitneyu(expand(first), expand(second), method="asymptotic", use_continuity=True)
        assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-12)
        assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-300)


def test_the_median_throughput_change_is_tested_on_both_reports_bins(quarters):
    q2, q3, _ = quarters
    change = q3["comparison"]["figures"]["throughput_median"]
    bins = [r["performance"]["throughput_bins"] for r in (q2, q3)]
    assert [sum(b["cases"] for b in x) for x in bins] == [change["previous_n"], change["current_n"]]
    assert [sum(b["cases"] for b in x) for x in bins] == [
        r["performance"]["throughput"]["count"] for r in (q2, q3)
    ]
    assert (
        change["test"] == "Mann-Whitney U (two-sided) on times in 1 % bins" and change["p_value"] is not None
    )
    older = json.loads(json.dumps(q2))
    del older["performance"]["throughput_bins"]  # a report of an older procmine: shown, not tested
    from procmine.analyses.comparison import compare

    figure = compare(q3, older, "q2.json").to_dict()["figures"]["throughput_median"]
    assert figure["delta"] is not None and figure["p_value"] is None and "older procmine" in figure["test"]


def test_the_summary_line_gives_each_tested_change_with_its_verdict(quarters, capsys):
    _, q3, folder = quarters
    args = ["-q", "audit", str(MODEL), str(folder / "q3.csv"), "-o", str(folder / "r3b"), "--previous"]
    assert run([*args, str(folder / "r2")], False) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("Previous"))
    figures = q3["comparison"]["figures"]
    for name, label in (("conforming_share", "conforming "), ("throughput_median", "median throughput ")):
        p = figures[name]["p_value"]
        shown = "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
        verdict = shown if figures[name]["significant"] else f"not significant, {shown}"
        assert label in line and f"({verdict})" in line, (name, line)


def test_the_findings_tile_is_coloured_by_new_and_resolved_findings_only(quarters):
    """Q3 has a new outdated step: its findings tile reads worse; the same report without a comparison
    has no colour there (its errors are not a change)."""
    from procmine.findings import Report
    from procmine.renderers.html_comparison import findings_tone

    _, q3, _ = quarters
    assert q3["comparison"]["findings"]["new"]
    report = Report.from_dict(q3)
    assert findings_tone(report) == "bad"
    alone = json.loads(json.dumps(q3))
    del alone["comparison"]
    assert findings_tone(Report.from_dict(alone)) == ""
    alone["comparison"] = {
        **q3["comparison"],
        "findings": {
            "new": [],
            "persisting": [],
            "resolved": [{"code": "C001", "kind": "outdated_step", "message": "gone"}],
        },
    }
    assert findings_tone(Report.from_dict(alone)) == "good"


def test_an_edited_previous_report_is_shown_not_tested(quarters):
    """Counts no log has (or of the wrong type) in the earlier report.json: the change is shown, not tested,
    and nothing overflows."""
    from procmine.analyses.comparison import compare

    q2, q3, _ = quarters
    edited = json.loads(json.dumps(q2))
    edited["performance"]["throughput_bins"] = [{"bin": 1, "cases": 10**200}]
    edited["performance"]["throughput"]["count"] = 10**200
    edited["conformance"]["fitting_cases"] = True
    figures = compare(q3, edited, "q2.json").to_dict()["figures"]
    assert figures["throughput_median"]["p_value"] is None and figures["conforming_share"]["p_value"] is None


def test_the_fitness_change_is_tested_on_both_reports_case_fitness(quarters):
    """Mann-Whitney U on the aligned cases' fitness of Q2 and Q3, as scipy computes it on the values that
    case_fitness.csv-like counts expand to; the counts add up to each report's aligned cases."""
    from scipy.stats import mannwhitneyu

    q2, q3, _ = quarters
    change = q3["comparison"]["figures"]["fitness"]
    samples = []
    for report in (q2, q3):
        values = report["conformance"]["case_fitness"]["values"]
        assert [v["fitness"] for v in values] == sorted(v["fitness"] for v in values)
        assert sum(v["cases"] for v in values) == report["conformance"]["coverage"]["cases_aligned"]
        samples.append(np.repeat([v["fitness"] for v in values], [v["cases"] for v in values]))
    expected = mannwhitneyu(*samples, method="asymptotic", use_continuity=True).pvalue
    assert change["test"] == "Mann-Whitney U (two-sided) on case fitness"
    assert change["p_value"] == pytest.approx(expected, rel=1e-3, abs=1e-4)  # (JSON keeps 4 decimals)
    assert (change["previous_n"], change["current_n"]) == (len(samples[0]), len(samples[1]))


def test_a_previous_report_without_its_period_is_named_without_one(tmp_path, capsys):
    previous = tmp_path / "prev.json"
    previous.write_text(json.dumps({"schema": "procmine.report/1", "command": "audit"}))
    log = SAMPLE_LOGS / "complaints.csv"
    assert (
        run(
            ["-q", "audit", str(MODEL), str(log), "-o", str(tmp_path / "r"), "--previous", str(previous)],
            False,
        )
        == 0
    )
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("Previous"))
    assert line.startswith(f"Previous   {previous}: ") and "None" not in line
    assert "previous report ( –" not in (tmp_path / "r" / "report.html").read_text()
