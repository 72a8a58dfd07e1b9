"""``procmine discover`` end to end: output files, report JSON against the schema, options and errors."""

from __future__ import annotations

import json
import os
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
    assert (tmp_path / "reports" / "tiny log" / "model.bpmn").is_file()


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
def test_map_shows_frequencies_and_waits_with_or_without_dot(tiny_csv, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(["discover", str(tiny_csv), "-o", str(out), "--format", "json"], debug=True) == 0
    err = capsys.readouterr().err
    svg = (out / "map.svg").read_text("utf-8")
    root = ET.fromstring(svg.encode("utf-8"))  # well-formed
    assert root.tag.endswith("svg")
    assert "2 · 1.5 h" in svg  # A -> B: twice, median wait 1.5 h
    assert "1 · 0 s" in svg  # C -> B
    no_dot = "Graphviz's dot not found: drawing the map with procmine's simple layout" in err
    if os.environ.get("PROCMINE_EXPECT_NO_DOT") == "1":
        assert no_dot
    import shutil

    assert no_dot == (shutil.which("dot") is None)


@pytest.mark.graphviz
def test_map_falls_back_when_dot_is_hidden(tiny_csv, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "out"
    assert run(["discover", str(tiny_csv), "-o", str(out)], debug=True) == 0
    assert "Graphviz's dot not found" in capsys.readouterr().err
    svg = (out / "map.svg").read_text("utf-8")
    ET.fromstring(svg.encode("utf-8"))
    assert svg.count('class="activity"') == 3 and "2 · 1.5 h" in svg


def test_map_escapes_labels(tmp_path, monkeypatch):
    from procmine.renderers.process_map import render_map

    monkeypatch.setenv("PATH", str(tmp_path))
    data = {
        "activities": [{"activity": "<script>&", "events": 1}, {"activity": 'a"b', "events": 1}],
        "start_activities": {"<script>&": 1},
        "end_activities": {'a"b': 1},
        "dfg": [
            {"source": "<script>&", "target": 'a"b', "count": 1, "cases": 1, "wait_seconds": {"median": 60.0}}
        ],
    }
    svg = render_map(data)
    ET.fromstring(svg.encode("utf-8"))
    assert "<script>" not in svg and "&lt;script&gt;&amp;" in svg


MODE_DATA = {
    "activities": [{"activity": a, "events": n} for a, n in (("A", 3), ("B", 3), ("C", 1))],
    "start_activities": {"A": 3},
    "end_activities": {"B": 3},
    "dfg": [  # A -> B: frequent and quick; C -> B: rare and slow
        {"source": "A", "target": "B", "count": 3, "cases": 3, "wait_seconds": {"median": 600.0}},
        {"source": "A", "target": "C", "count": 1, "cases": 1, "wait_seconds": {"median": 60.0}},
        {"source": "C", "target": "B", "count": 1, "cases": 1, "wait_seconds": {"median": 172800.0}},
    ],
}


def _arcs(svg: str) -> dict[str, tuple[float, str]]:
    """Own layout: 'A → B' -> (stroke width, label) of each arc."""
    ns = "{http://www.w3.org/2000/svg}"
    out = {}
    for g in ET.fromstring(svg.encode("utf-8")).iter(f"{ns}g"):
        if g.get("class") == "arc":
            line = g.find(f"{ns}polyline")
            if line is None:
                line = g.find(f"{ns}path")
            out[g.find(f"{ns}title").text] = (float(line.get("stroke-width")), g.find(f"{ns}text").text or "")
    return out


@pytest.mark.graphviz
def test_frequency_and_performance_maps_differ_and_warn_once(tmp_path, monkeypatch, capsys):
    from procmine.renderers.process_map import render_maps

    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    maps = render_maps(MODE_DATA, ("frequency", "performance"))
    assert capsys.readouterr().err.count("Graphviz's dot not found") == 1  # two maps, one warning
    freq, perf = _arcs(maps["frequency"]), _arcs(maps["performance"])
    assert freq["A → B"][1] == "3" and freq["C → B"][1] == "1"  # counts only
    assert freq["A → B"][0] > freq["C → B"][0]  # thicker: more frequent
    assert perf["A → B"][1] == "10 min" and perf["C → B"][1] == "2.0 d"  # median waits only
    assert perf["C → B"][0] > perf["A → B"][0]  # thicker: longer wait
    assert "·" not in maps["frequency"] + maps["performance"]


@pytest.mark.graphviz
def test_map_modes_with_whatever_layout_is_installed():
    from procmine.renderers.process_map import render_map

    perf = render_map(MODE_DATA, "performance")
    assert "2.0 d" in perf and "3 · " not in perf
    assert "2.0 d" not in render_map(MODE_DATA, "frequency")
    with pytest.raises(ValueError, match="unknown map mode"):
        render_map(MODE_DATA, "colourful")
