"""``procmine discover`` end to end: output files, report JSON against the schema, options and errors."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from procmine.cli import run
from tests.schema import assert_valid_report

ROWS = [  # case, activity, completion: the hand-worked log of test_engine_dfg as a CSV file
    ("c1", "A", "2024-01-01T09:00:00Z"),
    ("c1", "B", "2024-01-01T10:00:00Z"),
    ("c1", "C", "2024-01-01T12:00:00Z"),
    ("c2", "A", "2024-01-02T09:00:00Z"),
    ("c2", "C", "2024-01-02T09:30:00Z"),
    ("c2", "B", "2024-01-02T09:30:00Z"),
    ("c3", "B", "2024-01-03T11:00:00Z"),
    ("c3", "A", "2024-01-03T09:00:00Z"),
    ("c3", "C", "2024-01-03T11:00:00Z"),
    ("c4", "B", "2024-01-04T08:00:00Z"),
    ("c4", "B", "2024-01-04T08:20:00Z"),
]


@pytest.fixture
def tiny_csv(tmp_path: Path) -> Path:
    path = tmp_path / "tiny log.csv"
    lines = ["case_id,activity,timestamp"] + [",".join(r) for r in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_discover_writes_model_map_and_a_valid_report(tiny_csv, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(["discover", str(tiny_csv), "-o", str(out), "--format", "json"], debug=True) == 0
    stdout = json.loads(capsys.readouterr().out)
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert stdout == report
    assert_valid_report(report)
    assert report["command"] == "discover"
    arcs = {(a["source"], a["target"]): a for a in report["dfg"]}
    assert arcs[("A", "B")]["count"] == 2 and arcs[("A", "B")]["wait_seconds"]["median"] == 5400
    assert report["start_activities"] == {"A": 3, "B": 1}
    assert [v["activities"] for v in report["variants"]["top"]] == [
        ["A", "B", "C"],
        ["A", "C", "B"],
        ["B", "B"],
    ]
    assert report["variants"]["top"][0]["share"] == 0.5
    assert report["discovery"]["fitness"]["log_fitness"] == 1.0
    assert {a["activity"]: a["rework_cases"] for a in report["activities"]} == {"A": 0, "B": 1, "C": 0}
    root = ET.parse(out / "model.bpmn").getroot()
    tasks = root.iter("{http://www.omg.org/spec/BPMN/20100524/MODEL}task")
    assert sorted(t.get("name") for t in tasks) == ["A", "B", "C"]
    assert (out / "map.svg").read_text("utf-8").lstrip().startswith(("<svg", "<?xml"))
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_human_summary_and_default_output_folder(tiny_csv, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert run(["discover", str(tiny_csv)], debug=True) == 0
    text = capsys.readouterr().out
    assert "inductive miner on 3 variants" in text and "A > B > C" in text
    assert (tmp_path / "reports" / "tiny log" / "discover" / "model.bpmn").is_file()


def test_discover_and_audit_of_one_log_write_into_their_own_folders(tmp_path):
    from procmine.pipeline.inputs import default_output

    log = tmp_path / "orders-2026.xes.gz"
    assert default_output(log, "discover") == default_output(log, "audit").parent / "discover"
    assert default_output(log, "audit").as_posix() == "reports/orders-2026/audit"


def test_coverage_activities_and_time_window(tiny_csv, tmp_path, capsys):
    args = ["discover", str(tiny_csv), "-o", str(tmp_path / "o"), "--format", "json"]
    assert run([*args, "--coverage", "0.5", "--algorithm", "heuristics"], debug=True) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["discovery"]["variants_used"] == 1 and report["discovery"]["cases_used_share"] == 0.5
    assert report["discovery"]["algorithm"] == "heuristics"
    assert run([*args, "--activities", "A,B"], debug=True) == 0
    report = json.loads(capsys.readouterr().out)
    assert {a["activity"] for a in report["activities"]} == {"A", "B"}
    assert report["discovery"]["filter"]["removed"] == {"activity_not_selected": 3}
    assert run([*args, "--since", "2024-01-02", "--until", "2024-01-03T12:00"], debug=True) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["variants"]["cases"] == 2
    assert report["discovery"]["filter"]["removed"] == {"case_outside_time_window": 5}
    assert_valid_report(report)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--activities", "Nope"], "--activities: the log has no activity 'Nope'"),
        (["--since", "yesterday"], "--since: not an ISO date"),
        (["--since", "2024-02-01"], "no events left"),
    ],
)
def test_bad_options_are_one_line_errors(tiny_csv, tmp_path, capsys, extra, message):
    assert run(["discover", str(tiny_csv), "-o", str(tmp_path / "o"), *extra], debug=False) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_unreadable_log_exits_2(tmp_path, capsys):
    assert run(["discover", str(tmp_path / "missing.csv"), "-o", str(tmp_path / "o")], debug=False) == 2
    assert "procmine: error:" in capsys.readouterr().err


@pytest.mark.graphviz
def test_map_shows_counts_waits_and_its_share(tiny_csv, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(["discover", str(tiny_csv), "-o", str(out), "--format", "json"], debug=True) == 0
    report = json.loads(capsys.readouterr().out)
    svg = (out / "map.svg").read_text("utf-8")
    assert ET.fromstring(svg.encode("utf-8")).tag.endswith("svg")  # well-formed
    assert "2 · 1.5 h" in svg  # A -> B: twice, median wait 1.5 h
    assert "1 · 0 s" in svg  # C -> B
    assert svg.count('class="activity"') == 3
    assert report["map"]["caption"] in svg and report["map"]["detail"] == "auto"
    assert report["map"]["activities_shown"] == 3 and report["map"]["cases_share"] == 1


def _map_of(args: list[str], tmp_path: Path, capsys) -> tuple[str, dict]:
    out = tmp_path / "m"
    assert run([*args, "-o", str(out), "--format", "json"], debug=True) == 0
    return (out / "map.svg").read_text("utf-8"), json.loads(capsys.readouterr().out)["map"]


@pytest.mark.graphviz
def test_every_filter_and_share_changes_the_map(sample_logs, tmp_path, capsys):
    base = ["discover", str(sample_logs / "complaints.csv")]
    default, section = _map_of(base, tmp_path, capsys)
    maps = {}
    for extra in (
        ["--coverage", "0.5"],
        ["--activities", "0.5"],
        ["--paths", "0.2"],
        ["--since", "2026-04-01"],
        ["--until", "2026-04-01"],
        ["--activities", "Register complaint,Classify complaint,Close complaint"],
    ):
        svg, sec = _map_of([*base, *extra], tmp_path, capsys)
        assert svg != default, extra
        maps[extra[0] + extra[1]] = sec
    assert maps["--activities0.5"]["activities_shown"] < section["activities_shown"]
    assert maps["--paths0.2"]["paths_shown"] < section["paths_shown"]
    assert maps["--coverage0.5"]["cases"] < section["cases"]
    assert maps["--since2026-04-01"]["cases"] + maps["--until2026-04-01"]["cases"] == section["cases"]
    full, sec = _map_of([*base, "--detail", "full"], tmp_path, capsys)
    assert sec["detail"] == "full" and full == default  # the sample's map is small enough to show whole
    for sec in maps.values():
        assert sec["activities_shown"] <= 25


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--activities", "0.5", "--activities", "Register complaint"], "either one share"),
        (["--activities", "150%"], "a share must be between 0 and 1"),
        (["--detail", "full", "--paths", "0.5"], "full draws everything"),
    ],
)
def test_bad_map_options_are_one_line_errors(sample_logs, tmp_path, capsys, extra, message):
    args = ["discover", str(sample_logs / "complaints.csv"), "-o", str(tmp_path / "o"), *extra]
    assert run(args, debug=False) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("extra", [[], ["--since", "2024-01-02"]])
def test_the_out_of_order_cases_are_counted_from_the_dfg_as_the_reader_counts_them(
    tiny_csv, tmp_path, capsys, extra
):
    from procmine.io.logs import read_log

    assert (
        run(["discover", str(tiny_csv), "-o", str(tmp_path / "out"), "--format", "json", *extra], debug=True)
        == 0
    )
    quality = json.loads(capsys.readouterr().out)["log"]["quality"]
    assert quality["out_of_order_cases"] == read_log(tiny_csv).quality.out_of_order_cases == 1  # c3


def _flower_csv(tmp_path: Path, activities: int = 16, cases: int = 60) -> Path:
    """Cases that each do a quarter to three quarters of the activities in a pseudo-random order: the
    inductive miner finds no structure and mines a 'flower' (one choice in a loop between all of them)."""
    import random

    rng = random.Random(3)
    names = [f"T{i:02d}" for i in range(activities)]
    lines = ["case_id,activity,timestamp"]
    for case in range(cases):
        for step, name in enumerate(rng.sample(names, rng.randint(activities // 4, activities * 3 // 4))):
            lines.append(f"c{case},{name},2024-01-{1 + case % 28:02d}T08:{step:02d}:00Z")
    path = tmp_path / "flower.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_flower_model_is_called_one_and_precision_shows_what_it_allows(tmp_path, capsys):
    log = _flower_csv(tmp_path)
    assert run(["discover", str(log), "-o", str(tmp_path / "f")], debug=True) == 0
    summary = capsys.readouterr().out
    report = json.loads((tmp_path / "f" / "report.json").read_text("utf-8"))
    choice = report["discovery"]["largest_choice"]
    assert choice["in_loop"] is True and choice["flower"] is True and choice["branches"] >= 10
    assert report["discovery"]["precision"] is None  # off unless asked for
    assert "(a 'flower')" in summary and "Precision" not in summary
    assert run(["discover", str(log), "-o", str(tmp_path / "p"), "--precision"], debug=True) == 0
    summary = capsys.readouterr().out
    precision = json.loads((tmp_path / "p" / "report.json").read_text("utf-8"))["discovery"]["precision"]
    assert precision["value"] < 0.5 and precision["cases"] == 60 and precision["cases_share"] == 1.0
    assert "optimal alignments of every variant" in summary
    # the same figure as `procmine check` of the log against the mined model
    run(
        [
            "check",
            str(tmp_path / "p" / "model.bpmn"),
            str(log),
            "--format",
            "json",
            "-o",
            str(tmp_path / "c"),
        ],
        True,
    )
    checked = json.loads(capsys.readouterr().out)["conformance"]["precision"]
    assert precision["value"] == pytest.approx(checked, abs=1e-4)


def test_a_structured_model_is_no_flower_and_precise(tiny_csv, tmp_path, capsys):
    assert run(["discover", str(tiny_csv), "-o", str(tmp_path / "t"), "--precision"], debug=True) == 0
    summary = capsys.readouterr().out
    discovery = json.loads((tmp_path / "t" / "report.json").read_text("utf-8"))["discovery"]
    assert "flower" not in summary
    assert discovery["largest_choice"]["branches"] < 10 and discovery["largest_choice"]["flower"] is False
    assert 0.5 < discovery["precision"]["value"] <= 1.0


def _mostly_sequential_csv(tmp_path: Path) -> Path:
    """40 cases A > B > C > D and a few that swap, repeat or skip a step: the inductive miner with a noise
    threshold leaves the rare behaviour out, so the mined model does not fit every case."""
    traces = [["A", "B", "C", "D"]] * 40 + [["A", "C", "B", "D"]] * 3 + [["A", "B", "B", "C", "D"]] * 2
    traces += [["A", "B", "D"]] * 2 + [["A", "B", "C", "E", "D"]]
    lines = ["case_id,activity,timestamp"]
    for case, trace in enumerate(traces):
        lines += [
            f"c{case},{name},2024-02-{1 + case % 28:02d}T09:{step:02d}:00Z" for step, name in enumerate(trace)
        ]
    path = tmp_path / "mostly.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_with_precision_the_fitness_is_that_of_the_alignments_of_every_case(tmp_path, capsys):
    import pandas as pd
    import pm4py

    log = _mostly_sequential_csv(tmp_path)
    assert run(["discover", str(log), "--noise", "0.3", "-o", str(tmp_path / "r")], debug=True) == 0
    assert "(token replay of every case)" in capsys.readouterr().out
    replayed = json.loads((tmp_path / "r" / "report.json").read_text("utf-8"))["discovery"]["fitness"]
    assert replayed["method"] == "token replay"
    out = tmp_path / "a"
    assert run(["discover", str(log), "--noise", "0.3", "--precision", "-o", str(out)], debug=True) == 0
    summary = capsys.readouterr().out
    discovery = json.loads((out / "report.json").read_text("utf-8"))["discovery"]
    fitness = discovery["fitness"]
    assert fitness["method"] == "optimal alignments" and discovery["fitness_cases_share"] == 1.0
    assert "(optimal alignments of every case)" in summary
    assert fitness["log_fitness"] < 1.0
    # pm4py's own alignments of the log on the model procmine wrote
    net, initial, final = pm4py.convert_to_petri_net(pm4py.read_bpmn(str(out / "model.bpmn")))
    frame = pm4py.format_dataframe(
        pd.read_csv(log), case_id="case_id", activity_key="activity", timestamp_key="timestamp"
    )
    theirs = pm4py.fitness_alignments(frame, net, initial, final, multi_processing=False)
    assert fitness["log_fitness"] == pytest.approx(theirs["log_fitness"], abs=1e-4)
    assert fitness["average_trace_fitness"] == pytest.approx(theirs["average_trace_fitness"], abs=1e-4)
    assert fitness["fitting_cases_share"] == pytest.approx(
        theirs["percentage_of_fitting_traces"] / 100, abs=1e-4
    )
    # and `procmine check` of the log against that model says the same
    run(["check", str(out / "model.bpmn"), str(log), "--format", "json", "-o", str(tmp_path / "c")], True)
    checked = json.loads(capsys.readouterr().out)["conformance"]
    assert fitness["log_fitness"] == pytest.approx(checked["fitness"], abs=1e-9)
