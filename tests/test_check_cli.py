"""``procmine check`` end to end: the sample's injected deviations, exit codes, formats, output files."""

from __future__ import annotations

import json

import pytest

from procmine.analyses.conformance_findings import KINDS
from procmine.cli import run
from procmine.samples import INJECTED
from tests.schema import assert_valid_report


@pytest.fixture(scope="module")
def sample_json(sample_logs):
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = run(
            [
                "-q",
                "check",
                str(sample_logs / "complaints_documented.bpmn"),
                str(sample_logs / "complaints.csv"),
                "--format",
                "json",
            ],
            debug=True,
        )
    assert code == 0
    return json.loads(out.getvalue())


def test_sample_check_finds_exactly_the_injected_deviations(sample_json):
    assert_valid_report(sample_json)
    found = {(f["kind"], f.get("activity")) for f in sample_json["findings"]}
    expected = {(d.kind, d.activity) for d in INJECTED.values() if d.kind in KINDS}
    assert expected == {
        ("undocumented_step", "Call customer back"),
        ("outdated_step", "Send confirmation letter"),
        ("skipped_step", "Classify complaint"),
    }
    assert found == expected
    assert len(sample_json["findings"]) == len(expected)


def test_sample_findings_carry_the_injected_details(sample_json):
    by_kind = {f["kind"]: f for f in sample_json["findings"]}
    undocumented = INJECTED["undocumented_step"]
    assert by_kind["undocumented_step"]["metrics"]["typically_after"] == undocumented.after
    assert by_kind["undocumented_step"]["metrics"]["share"] == pytest.approx(
        undocumented.target_share, abs=0.05
    )
    outdated = INJECTED["outdated_step"]
    assert by_kind["outdated_step"]["metrics"]["last_seen"][:10] == outdated.last_day.isoformat()
    assert f"since {outdated.last_day.isoformat()}" in by_kind["outdated_step"]["message"]
    skipped = INJECTED["skipped_step"]
    assert by_kind["skipped_step"]["metrics"]["share"] == pytest.approx(skipped.target_share, abs=0.05)
    assert by_kind["skipped_step"]["element_id"] and by_kind["skipped_step"]["line"]
    # the documented rework loop is not a deviation
    rework = INJECTED["rework"]
    tasks = {t["task"]: t for t in sample_json["conformance"]["tasks"]}
    assert tasks[rework.activity]["cases_skipped"] == tasks[rework.activity]["cases_out_of_order"] == 0


def test_sample_injected_figures_match_the_per_task_statistics(sample_json, sample_logs):
    """The generator's own measurement of the log (no procmine analysis code) against procmine's counts."""
    from procmine.io.logs import read_log
    from procmine.samples import injected_summary

    truth = injected_summary(read_log(sample_logs / "complaints.csv").events)
    conf = sample_json["conformance"]
    tasks = {t["task"]: t for t in conf["tasks"]}
    activities = {a["activity"]: a for a in conf["activities"]}
    by_kind = {f["kind"]: f for f in sample_json["findings"]}
    skipped = truth["skipped_step"]
    assert tasks[skipped["activity"]]["cases_skipped"] == skipped["cases"]
    assert by_kind["skipped_step"]["metrics"]["cases_skipped"] == skipped["cases"]
    undocumented = truth["undocumented_step"]
    assert activities[undocumented["activity"]]["cases"] == undocumented["cases"]
    assert activities[undocumented["activity"]]["cases_inserted"] == undocumented["cases"]
    assert by_kind["undocumented_step"]["metrics"]["cases"] == undocumented["cases"]
    outdated = truth["outdated_step"]
    assert tasks[outdated["activity"]]["last_seen"] == outdated["last_occurrence"]
    assert tasks[outdated["activity"]]["cases_skipped"] == outdated["cases_without"]


def _cli(args, capsys, quiet=True):
    code = run(["-q", *args] if quiet else args, debug=False)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def sample_args(sample_logs):
    return [
        str(sample_logs / "complaints_documented.bpmn"),
        str(sample_logs / "complaints.csv"),
        "--no-precision",
    ]


def test_exit_codes_follow_thresholds(sample_args, capsys):
    assert _cli(["check", *sample_args, "--format", "json"], capsys)[0] == 0
    code, _, err = _cli(
        ["check", *sample_args, "--format", "json", "--fail-on", "skipped_step"], capsys, False
    )
    assert code == 1 and "over threshold (skipped_step): exit code 1" in err
    assert _cli(["check", *sample_args, "--fail-on", "order_violation"], capsys)[0] == 0
    assert _cli(["check", *sample_args, "--fail-on", "any"], capsys)[0] == 1
    code, out, _ = _cli(["check", *sample_args, "--format", "json", "--min-fitness", "0.99"], capsys)
    assert code == 1 and any(f["kind"] == "low_fitness" for f in json.loads(out)["findings"])
    assert _cli(["check", *sample_args, "--min-fitness", "0.5"], capsys)[0] == 0


def test_bad_usage_is_exit_two_with_one_line(sample_args, tmp_path, capsys):
    code, _, err = _cli(["check", *sample_args, "--fail-on", "nonsense"], capsys)
    assert code == 2 and "unknown kind 'nonsense'" in err
    bad_map = tmp_path / "map.csv"
    bad_map.write_text("model,log\nNo such task,Register complaint\n", encoding="utf-8")
    code, _, err = _cli(["check", *sample_args, "--map", str(bad_map)], capsys)
    assert code == 2 and "No such task" in err and len(err.strip().splitlines()) == 1
    code, _, err = _cli(["check", *sample_args, "--process", "Nope"], capsys)
    assert code == 2 and "Nope" in err
    code, _, err = _cli(["check", *sample_args, "--recent-period", "lately"], capsys)
    assert code == 2 and "recent-period" in err


@pytest.mark.parametrize("fmt", ["human", "markdown", "sarif", "junit", "github"])
def test_every_format_renders(sample_args, capsys, fmt):
    code, out, _ = _cli(["check", *sample_args, "--format", fmt], capsys)
    assert code == 0
    assert "Call customer back" in out


def test_output_folder_holds_report_case_fitness_and_summary(sample_args, tmp_path, capsys):
    code, out, _err = _cli(["check", *sample_args, "--format", "json", "-o", str(tmp_path / "out")], capsys)
    assert code == 0
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report == json.loads(out)
    assert_valid_report(report)
    lines = (tmp_path / "out" / "case_fitness.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "case_id,fitness,deviations,method"
    assert len(lines) == report["conformance"]["cases"] + 1
    assert "procmine check" in (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")
    import pandas as pd  # the JSON's cases per fitness value are case_fitness.csv's, grouped

    per_case = pd.read_csv(tmp_path / "out" / "case_fitness.csv")
    grouped = per_case["fitness"].dropna().round(4).value_counts().sort_index()
    values = report["conformance"]["case_fitness"]["values"]
    assert [(v["fitness"], v["cases"]) for v in values] == list(grouped.items())


def test_the_summary_beside_a_machine_format_goes_to_stderr_line_by_line(sample_args, tmp_path, capsys):
    code, out, err = _cli(
        ["check", *sample_args, "--format", "json", "-o", str(tmp_path / "o")], capsys, False
    )
    assert code == 0 and json.loads(out)["schema"].startswith("procmine.report/")
    assert "procmine: summary:\n" in err and "\\n" not in err
    assert any(line.startswith("Fitness") for line in err.splitlines())


def test_human_output_suggests_the_log_name_of_a_renamed_task(sample_logs, tmp_path, capsys):
    model = (sample_logs / "complaints_documented.bpmn").read_text(encoding="utf-8")
    assert 'name="Investigate issue"' in model
    renamed = tmp_path / "renamed.bpmn"
    renamed.write_text(model.replace('name="Investigate issue"', 'name="Investigate the issues"'), "utf-8")
    log = str(sample_logs / "complaints.csv")
    assert run(["-q", "check", str(renamed), log, "--no-precision"], False) == 0
    out = capsys.readouterr().out
    assert "task 'Investigate the issues' matches no activity; closest: 'Investigate issue'" in out


def test_activities_of_another_pool_are_set_aside_not_undocumented(tmp_path, capsys):
    from pathlib import Path

    pools = Path(__file__).parent / "fixtures" / "bpmn" / "translate" / "pools.bpmn"
    log = tmp_path / "log.csv"
    log.write_text(
        "case,activity,timestamp\n"
        "1,Order,2024-01-01T09:00:00\n1,Pick,2024-01-01T10:00:00\n1,Pack,2024-01-01T11:00:00\n"
        "2,Order,2024-01-02T09:00:00\n2,Pick,2024-01-02T10:00:00\n2,Pack,2024-01-02T11:00:00\n"
        "3,Pick,2024-01-03T10:00:00\n3,Unknown step,2024-01-03T10:30:00\n3,Pack,2024-01-03T11:00:00\n",
        encoding="utf-8",
    )
    assert run(["-q", "check", str(pools), str(log), "--no-precision", "--format", "json"], False) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["model"]["process_name"] == "Shop"
    assert report["model"]["other_processes"] == {"activities": {"Order": "Customer"}, "events_set_aside": 2}
    undocumented = {f["activity"] for f in report["findings"] if f["kind"] == "undocumented_step"}
    assert undocumented == {"Unknown step"}
    assert report["conformance"]["fitting_share"] == pytest.approx(2 / 3, abs=1e-4)
    assert (
        run(
            [
                "-q",
                "check",
                str(pools),
                str(log),
                "--no-precision",
                "--process",
                "Customer",
                "--format",
                "json",
            ],
            False,
        )
        == 0
    )
    customer = json.loads(capsys.readouterr().out)
    assert customer["model"]["other_processes"]["activities"] == {"Pack": "Shop", "Pick": "Shop"}
