"""Logs without timestamps: the order of the file within each case (or ``--order COLUMN``) is enough for
discovery and conformance; analyses that need times are skipped and the report says so."""

from __future__ import annotations

import csv
import gzip
import json
import random
from pathlib import Path

import pytest

from procmine.cli import run
from procmine.io.logs import read_log
from tests.schema import assert_valid_report

PATHS = [
    [
        "Register complaint",
        "Classify complaint",
        "Investigate issue",
        "Propose solution",
        "Send confirmation letter",
        "Update CRM record",
        "Close complaint",
    ],
    [
        "Register complaint",
        "Classify complaint",
        "Propose solution",
        "Send confirmation letter",
        "Close complaint",
    ],
]


def _cases(n: int = 40) -> list[list[str]]:
    return [PATHS[c % 2] for c in range(n)]


def file_order_csv(folder: Path) -> Path:
    """case, activity: the events of each case in the file's order (cases interleaved), no time."""
    rows = [(f"c{c:03d}", a, i) for c, path in enumerate(_cases()) for i, a in enumerate(path)]
    rows.sort(key=lambda r: (r[2], r[0]))  # cases interleaved: every first step, then every second...
    path = folder / "no_times.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["case", "activity"])
        writer.writerows((c, a) for c, a, _ in rows)
    return path


def shuffled_with_sequence(folder: Path) -> Path:
    """case, activity, seq: rows shuffled; ``seq`` (1..12) gives the order within each case."""
    rows = [(f"c{c:03d}", a, i + 1) for c, path in enumerate(_cases()) for i, a in enumerate(path)]
    random.Random(5).shuffle(rows)
    path = folder / "shuffled.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["case", "activity", "seq"])
        writer.writerows(rows)
    return path


def _cli(args, capsys):
    code = run(["-q", *args], debug=False)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_log_without_timestamps_keeps_the_file_order_and_says_so(tmp_path):
    log = read_log(file_order_csv(tmp_path))
    assert not log.has_timestamps and log.columns.timestamp is None
    events = log.events
    first = events[events["case_id"] == "c000"]["activity"].tolist()
    assert first == PATHS[0]
    assert events["timestamp"].isna().all()
    summary = log.summary()
    assert summary["first_timestamp"] is None and summary["last_timestamp"] is None
    assert any("no timestamps" in note and "order of the file" in note for note in log.quality.notes)
    assert log.quality.dropped["unparseable_timestamp"] == 0


def test_repeated_rows_without_times_are_repeated_events_not_copies(tmp_path):
    path = tmp_path / "repeats.csv"
    path.write_text("case,activity\nc1,A\nc1,B\nc1,B\nc1,C\nc2,A\nc2,C\n", encoding="utf-8")
    log = read_log(path)
    assert log.events[log.events["case_id"] == "c1"]["activity"].tolist() == ["A", "B", "B", "C"]
    assert log.quality.dropped["duplicate_event"] == 0 and log.quality.rows_used == 6


def test_order_column_orders_the_events_numerically(tmp_path):
    path = tmp_path / "numbers.csv"
    path.write_text("case,activity,seq\nc1,C,10\nc1,A,2\nc1,B,9\nc2,X,1\n", encoding="utf-8")
    log = read_log(path, order="seq")
    assert log.columns.order == "seq" and not log.has_timestamps
    assert log.events[log.events["case_id"] == "c1"]["activity"].tolist() == ["A", "B", "C"]
    assert any("by column 'seq'" in note for note in log.quality.notes)


def test_order_cannot_go_with_timestamp_options(tmp_path, capsys):
    path = tmp_path / "both.csv"
    path.write_text("case,activity,seq,time\nc1,A,1,2024-01-01\n", encoding="utf-8")
    code, out, err = _cli(["inspect", str(path), "--order", "seq", "--timestamp", "time"], capsys)
    assert code == 2 and out == ""
    assert "--order orders the events without times: it cannot go with --timestamp" in err


def test_discover_on_an_order_only_log(tmp_path, capsys):
    log = shuffled_with_sequence(tmp_path)
    code, out, err = _cli(
        ["discover", str(log), "--order", "seq", "--format", "json", "-o", str(tmp_path / "d")], capsys
    )
    assert code == 0, err
    report = json.loads(out)
    assert_valid_report(report)
    assert report["log"]["columns"]["timestamp"] is None and report["log"]["columns"]["order"] == "seq"
    assert report["variants"]["total"] == 2
    assert report["throughput"]["seconds"] is None
    assert all(arc["wait_seconds"]["median"] is None for arc in report["dfg"])
    assert any("no timestamps" in n for n in report["log"]["quality"]["notes"])
    assert (tmp_path / "d" / "model.bpmn").is_file()


def test_check_on_an_order_only_log(tmp_path, capsys, sample_logs):
    model = sample_logs / "complaints_documented.bpmn"
    code, out, err = _cli(["check", str(model), str(file_order_csv(tmp_path)), "--format", "json"], capsys)
    assert code == 0, err
    report = json.loads(out)
    assert_valid_report(report)
    conformance = report["conformance"]
    assert conformance["recent_period"] is None
    assert conformance["coverage"]["variants_not_aligned"] == 0
    assert conformance["fitness"] is not None and conformance["precision"] is not None
    assert all(t["last_seen"] is None for t in conformance["tasks"])
    # no step is "not executed since DATE" without dates, and none is outdated for lack of a time
    assert not [f for f in report["findings"] if f["kind"] == "outdated_step" and "since" in f["message"]]
    # the same log with the order given explicitly, rows shuffled, gives the same figures
    shuffled = shuffled_with_sequence(tmp_path)
    code, out2, _ = _cli(["check", str(model), str(shuffled), "--order", "seq", "--format", "json"], capsys)
    assert code == 0
    again = json.loads(out2)["conformance"]
    assert (again["fitness"], again["precision"]) == (conformance["fitness"], conformance["precision"])
    # the human summary does not call an executed task "never" seen for want of a date
    code, human, _ = _cli(["check", str(model), str(file_order_csv(tmp_path))], capsys)
    rows = [line for line in human.splitlines() if line.startswith("  Register complaint")]
    assert code == 0 and rows and rows[0].rstrip().endswith("n/a")


def test_an_xes_log_without_timestamps(tmp_path, capsys, sample_logs):
    def trace(case: int, path: list[str]) -> str:
        events = "".join(f'<event><string key="concept:name" value="{a}"/></event>' for a in path)
        return f'<trace><string key="concept:name" value="t{case}"/>{events}</trace>'

    traces = "".join(trace(c, path) for c, path in enumerate(_cases(6)))
    xes = f'<?xml version="1.0" encoding="UTF-8"?><log xes.version="1.0">{traces}</log>'
    path = tmp_path / "no_times.xes.gz"
    path.write_bytes(gzip.compress(xes.encode()))
    log = read_log(path)
    assert not log.has_timestamps and log.events["case_id"].nunique() == 6
    code, _, err = _cli(["check", str(sample_logs / "complaints_documented.bpmn"), str(path)], capsys)
    assert code == 0, err


@pytest.mark.parametrize("command", ["audit", "bottlenecks"])
def test_commands_that_only_measure_times_refuse_an_order_only_log(tmp_path, capsys, sample_logs, command):
    log = str(file_order_csv(tmp_path))
    args = (
        [command, str(sample_logs / "complaints_documented.bpmn"), log]
        if command == "audit"
        else [command, log]
    )
    code, out, err = _cli([*args, "-o", str(tmp_path / "out")], capsys)
    assert code == 2 and out == ""
    assert "the log has no timestamps" in err and "procmine check and procmine discover" in err
