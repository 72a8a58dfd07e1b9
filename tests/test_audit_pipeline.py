"""``procmine audit`` end to end on the samples: files written atomically, JSON valid, the injected
deviations found and shown, pseudonyms everywhere, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from procmine.cli import run
from tests.conftest import SAMPLE_LOGS
from tests.schema import assert_valid_report

pytestmark = [
    pytest.mark.slow,
    pytest.mark.graphviz,
    pytest.mark.skipif(not (SAMPLE_LOGS / "complaints.csv").exists(), reason="sample_logs not generated"),
]
ROOT = SAMPLE_LOGS.parent


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory) -> tuple[int, Path]:
    out = tmp_path_factory.mktemp("audit") / "q3"
    model, log = SAMPLE_LOGS / "complaints_documented.bpmn", SAMPLE_LOGS / "complaints.csv"
    code = run(
        [
            "audit",
            str(model),
            str(log),
            "--sla",
            "5d",
            "--fail-on",
            "outdated_step",
            "-o",
            str(out),
            "--touchpoints",
            "Call customer back,Send satisfaction survey",
        ],
        True,
    )
    return code, out


def test_writes_one_html_and_the_json(sample_report):
    code, out = sample_report
    assert code == 1  # --fail-on outdated_step, and the sample has one
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.json"]  # no temp files left
    data = json.loads((out / "report.json").read_text())
    assert_valid_report(data)
    assert data["command"] == "audit"
    assert {"conformance", "performance", "customer", "periods", "variants", "dfg"} <= set(data)


def test_the_injected_deviations_are_found_and_shown(sample_report):
    _, out = sample_report
    data = json.loads((out / "report.json").read_text())
    by_kind = {}
    for f in data["findings"]:
        by_kind.setdefault(f["kind"], []).append(f)
    assert [f["activity"] for f in by_kind["outdated_step"]] == ["Send confirmation letter"]
    assert "Call customer back" in [f["activity"] for f in by_kind["undocumented_step"]]
    assert "Classify complaint" in [f.get("activity") for f in by_kind["skipped_step"]]
    top = min(by_kind["bottleneck"], key=lambda f: f["metrics"]["rank"])
    assert (top["source"], top["target"]) == ("Classify complaint", "Investigate issue")
    html = (out / "report.html").read_text()
    assert html.count('class="task') == 8  # the eight documented tasks, drawn from the model's DI
    assert 'class="task outdated"' in html
    assert 'data-activity="Call customer back"' in html
    assert 'class="wait bottleneck"' in html
    periods = data["periods"]
    assert [q["partial"] for q in periods["quarters"]] == [False, False, True]
    assert (periods["change"]["previous"], periods["change"]["period"]) == ("2026-Q1", "2026-Q2")
    assert periods["change"]["left_out"] == ["2026-Q3"]


def test_satisfaction_is_compared_by_deviation_kind(sample_report):
    """Called-back customers (the undocumented "Call customer back") score lower than conforming cases;
    each deviation kind is its own group, so no two rows of the table compare the same cases."""
    _, out = sample_report
    data = json.loads((out / "report.json").read_text())
    comparisons = [c for c in data["customer"]["satisfaction"]["comparisons"] if c["kind"] == "deviation"]
    groups = {c.get("deviation", "any"): c for c in comparisons}
    assert {"any", "undocumented_step", "skipped_step", "outdated_step"} <= set(groups)
    assert len({(c["n"], c["mean"]) for c in comparisons}) == len(comparisons)
    undocumented = groups["undocumented_step"]
    assert undocumented["against"] == "conforming cases" and undocumented["gap_found"]
    gaps = [f for f in data["findings"] if f["kind"] == "satisfaction_gap"]
    assert [f["metrics"]["group"] for f in gaps if f["metrics"].get("deviation") == "undocumented_step"] == [
        "cases with undocumented step"
    ]
    called_back = next(f for f in data["findings"] if f["kind"] == "undocumented_step")
    assert called_back["activity"] == "Call customer back"
    assert undocumented["n"] == called_back["metrics"]["cases"]  # the same cases, scored
    html = (out / "report.html").read_text()
    assert "cases with undocumented step" in html and "conforming cases" in html


def test_json_on_stdout_and_pseudonyms_everywhere(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "p"
    code = run(
        ["audit", "--sample", "--format", "json", "--pseudonymize-key", "k", "-o", str(out)], debug=True
    )
    captured = capsys.readouterr()
    printed = captured.out
    assert code == 0
    assert "report written to" in captured.err
    data = json.loads(printed)
    assert_valid_report(data)
    assert data["parameters"]["pseudonymize"] is True
    for text in (printed, (out / "report.html").read_text(), (out / "report.json").read_text()):
        assert "CMP-0" not in text  # case ids
        assert "CS-0" not in text and "SP-0" not in text and "BO-0" not in text  # agents
    assert "case-" in printed


def test_bad_usage_is_exit_code_2(tmp_path, capsys):
    assert run(["audit", "model.bpmn"], debug=False) == 2
    assert run(["audit", str(tmp_path / "none.bpmn"), str(tmp_path / "none.csv")], debug=False) == 2
    assert run(["audit", "--sample", "--fail-on", "no_such_kind"], debug=False) == 2
    err = capsys.readouterr().err
    assert "none.bpmn: file not found" in err and "unknown kind 'no_such_kind'" in err


def test_sample_inputs_are_generated_into_the_cache_outside_a_checkout(tmp_path, monkeypatch):
    from procmine.pipeline.audit import sample_inputs

    assert sample_inputs(ROOT) == (SAMPLE_LOGS / "complaints_documented.bpmn", SAMPLE_LOGS / "complaints.csv")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    model, log = sample_inputs(tmp_path)
    assert model.is_relative_to(tmp_path / "cache" / "procmine")
    # the generated sample is the committed one, byte for byte
    assert model.read_bytes() == (SAMPLE_LOGS / "complaints_documented.bpmn").read_bytes()
    assert log.read_bytes() == (SAMPLE_LOGS / "complaints.csv").read_bytes()
    assert sample_inputs(tmp_path) == (model, log)  # generated once, then reused


def test_human_default_prints_a_summary_and_writes_the_default_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    model, log = SAMPLE_LOGS / "complaints_documented.bpmn", SAMPLE_LOGS / "complaints.csv"
    code = run(["audit", str(model), str(log), "--recent-period", "2026-07-01"], debug=True)
    captured = capsys.readouterr()
    assert code == 0
    folder = tmp_path / "reports" / "complaints" / "audit"
    assert sorted(p.name for p in folder.iterdir()) == ["report.html", "report.json"]
    assert "<html" not in captured.out and not captured.out.lstrip().startswith("{")
    assert "Fitness    0.9" in captured.out and "[satisfaction_gap]" in captured.out
    assert len(captured.out.splitlines()) < 20  # a summary; the rest is in the report
    assert "report written to reports/complaints/audit/report.html" in captured.err
    data = json.loads((folder / "report.json").read_text())
    assert data["parameters"]["recent_period"] == "2026-07-01"  # the same option name as check's
    assert data["conformance"]["recent_period"]["start"].startswith("2026-07-01")


def test_html_format_prints_the_report_and_writes_nothing_without_output(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    model, log = SAMPLE_LOGS / "complaints_documented.bpmn", SAMPLE_LOGS / "complaints.csv"
    assert run(["-q", "audit", str(model), str(log), "--format", "html"], debug=True) == 0
    printed = capsys.readouterr().out
    assert printed.lstrip().lower().startswith("<!doctype html") and printed.rstrip().endswith("</html>")
    assert not (tmp_path / "reports").exists()


def test_the_report_shows_time_per_activity_workload_queue_and_touchpoints(sample_report):
    _, out = sample_report
    data = json.loads((out / "report.json").read_text())
    html = (out / "report.html").read_text()
    perf = data["performance"]
    for heading in (
        "Time per activity",
        "Queue at the top bottleneck",
        "Who does the work",
        "Customer touchpoints",
    ):
        assert f"<h3>{heading}</h3>" in html
    # the activity the specialist backlog waits for heads the table (largest total wait before it)
    slowest = max(perf["activities"], key=lambda a: (a["wait_before"] or {}).get("total") or 0)
    assert slowest["activity"] == "Investigate issue"
    section = html.split("<h3>Time per activity</h3>")[1].split("</table>")[0]
    assert section.index("Investigate issue") < section.index("Register complaint")
    lanes = [lane["lane"] for lane in perf["resources"]["lanes"]]
    assert {"Customer Service", "Back Office", "Specialist"} <= set(lanes)
    workload = html.split("<h3>Who does the work</h3>")[1].split("</table>")[0]
    assert all(lane in workload for lane in ("Customer Service", "Back Office", "Specialist"))
    touch = data["customer"]["touchpoints"]
    assert touch["activities"] == ["Call customer back", "Send satisfaction survey"]
    assert touch["cases_without"] == 0  # every case gets the survey


def test_findings_of_every_kind_rank_by_one_unit(sample_report):
    """impact is a share (0..1) for every kind, so a small bottleneck does not outrank a widespread
    undocumented step just because its total wait, in days, is a large number."""
    _, out = sample_report
    findings = json.loads((out / "report.json").read_text())["findings"]
    assert all(0 <= f["impact"] <= 1 for f in findings)
    ranks = {"error": 0, "warning": 1, "info": 2}
    keys = [(ranks[f["severity"]], -f["impact"]) for f in findings]
    assert keys == sorted(keys)
    warnings = [f for f in findings if f["severity"] == "warning"]
    position = {(f["kind"], f["metrics"].get("rank")): i for i, f in enumerate(warnings)}
    undocumented = next(f for f in warnings if f["kind"] == "undocumented_step")
    assert undocumented["impact"] == pytest.approx(749 / 3000, abs=1e-4)  # the call-back's share of cases
    # the specialist queue takes about half of all case time: it outranks the call-back's 25 % of cases
    assert position[("bottleneck", 1)] < position[("undocumented_step", None)]


def test_parameters_record_the_values_the_run_used_under_their_options(sample_report):
    """Alignment limits left to their defaults are recorded as those defaults (not "not given"), and the
    HTML names each parameter by its command-line option."""
    from procmine.pipeline.check import DEFAULT_TIME_BUDGET

    _, out = sample_report
    parameters = json.loads((out / "report.json").read_text())["parameters"]
    assert (parameters["time_cap"], parameters["time_budget"]) == (10.0, DEFAULT_TIME_BUDGET)
    assert parameters["precision"] is True
    html = (out / "report.html").read_text()
    assert "--time-budget" in html and "--time-cap" in html and "--fail-on" in html
    assert "time_budget" not in html.split("<h3>Parameters</h3>", 1)[1].split("<h3>Versions</h3>", 1)[0]


def test_configured_conformance_settings_are_recorded(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("[tool.procmine.check]\ntime_cap = 3\nmin_fitness = 0.5\n")
    monkeypatch.chdir(tmp_path)
    model, log = SAMPLE_LOGS / "complaints_documented.bpmn", SAMPLE_LOGS / "complaints.csv"
    run(["audit", str(model), str(log), "-o", str(tmp_path / "out")], True)
    parameters = json.loads((tmp_path / "out" / "report.json").read_text())["parameters"]
    assert (parameters["time_cap"], parameters["min_fitness"]) == (3.0, 0.5)
