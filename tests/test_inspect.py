"""``procmine inspect``: the report, its JSON against the schema, the human text, and every shared log."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
from pathlib import Path

import pytest

from procmine.cli import run
from tests.conftest import ROOT
from tests.schema import assert_valid_report

LOG = (
    "Ticket,Step,Timestamp,Agent,Segment\n"
    "t1,Open,2024-05-01T08:00:00+02:00,ann,gold\nt1,Solve,2024-05-01T09:00:00+02:00,bob,gold\n"
    "t1,Solve,2024-05-01T09:30:00+02:00,bob,gold\nt2,Open,2024-05-02T08:00:00+02:00,ann,basic\n"
    ",Open,2024-05-02T08:00:00+02:00,ann,basic\n"
)


def invoke(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(list(args), debug=False)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    path = tmp_path / "tickets.csv"
    path.write_text(LOG, encoding="utf-8")
    return path


def test_json_report(log_path: Path) -> None:
    code, out, err = invoke("inspect", str(log_path), "--format", "json")
    assert code == 0
    data = json.loads(out)  # stdout holds the JSON and nothing else
    assert_valid_report(data)
    assert data["command"] == "inspect"
    log = data["log"]
    assert (log["cases"], log["events"], log["activities"]) == (2, 4, 2)
    assert log["first_timestamp"] == "2024-05-01T06:00:00Z"
    assert log["columns"]["case"] == "Ticket" and log["columns"]["resource"] == "Agent"
    assert log["quality"]["dropped"]["missing_case_id"] == 1
    assert log["case_attributes"] == ["Segment"]
    counts = {
        a["activity"]: (a["events"], a["cases"], a["case_share"], a["rework_cases"])
        for a in data["activities"]
    }
    assert counts == {"Open": (2, 2, 1.0, 0), "Solve": (2, 1, 0.5, 1)}
    assert [a["activity"] for a in data["activities"]] == ["Open", "Solve"]
    assert "reading" in err  # progress on stderr


def test_human_report(log_path: Path) -> None:
    code, out, _ = invoke("--quiet", "inspect", str(log_path))
    assert code == 0
    assert "Cases      2" in out and "Events     4" in out
    assert "case id = 'Ticket'" in out and "activity = 'Step'" in out
    assert "dropped  1 missing case id" in out
    assert any(line.startswith("Solve") and line.split()[1:3] == ["2", "1"] for line in out.splitlines())


def test_options_reach_the_reader(log_path: Path) -> None:
    code, out, _ = invoke("inspect", str(log_path), "--format", "json", "--activity", "Agent")
    assert code == 0
    assert {a["activity"] for a in json.loads(out)["activities"]} == {"ann", "bob"}


def test_sample_logs_csv_and_xes_agree(sample_logs: Path) -> None:
    if not (sample_logs / "complaints.csv").exists():
        pytest.skip("sample logs not generated yet")
    reports = []
    for name in ("complaints.csv", "complaints.xes"):
        code, out, _ = invoke("inspect", str(sample_logs / name), "--format", "json")
        assert code == 0
        data = json.loads(out)
        assert_valid_report(data)
        reports.append(data)
    csv, xes = reports
    for key in ("cases", "events", "activities", "first_timestamp", "last_timestamp"):
        assert csv["log"][key] == xes["log"][key]
    assert csv["activities"] == xes["activities"]
    assert xes["log"]["quality"]["lifecycle_pairs"] == xes["log"]["events"]


@pytest.mark.shared_data
@pytest.mark.slow
def test_every_shared_log_is_read_or_refused_cleanly(shared_data: Path) -> None:
    # One test, not one per log: split per log, the suite under -n 2 was slower on this machine (two big
    # logs read at once), not faster.
    spec = importlib.util.spec_from_file_location("logs", ROOT / "bench" / "inspect_shared_logs.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    files = bench.log_files(shared_data / "logs")
    read = 0
    for path in files:
        code, out, err = invoke("--quiet", "inspect", str(path), "--format", "json")
        lines = [line for line in err.splitlines() if line.strip()]
        line = lines[-1] if lines else ""
        assert code in (0, 2), f"{path}: exit {code}: {line}"
        if path.relative_to(shared_data / "logs").parts[0] == "real":
            assert code == 0, f"{path}: a real event log is refused: {line}"  # BPIC, Sepsis...
        if code == 2:
            assert line.startswith(f"procmine: error: {path}: "), line
            continue
        report = json.loads(out)
        assert_valid_report(report)
        q = report["log"]["quality"]
        assert q["rows_read"] == q["rows_used"] + q["rows_dropped"] + q["rows_set_aside"]
        read += 1
    assert read >= 45  # the real logs and most of pm4py's test logs (running-example, receipt...)
