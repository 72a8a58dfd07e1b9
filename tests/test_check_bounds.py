"""``check`` stays within its limits on inputs built to explode, says what it left out, refuses a broken
model, and gives the same report however often and on however many workers it runs.

The risky runs go through the command line in a subprocess under an address-space limit (8 GB: DuckDB
reserves large blocks it never fills) and a wall-clock timeout, so a regression fails the test instead of
taking the machine down; the peak resident memory of the run (with its worker processes) must stay under
``PEAK_RSS``.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.test_conformance_models import write_bpmn

ADDRESS_SPACE = 8 << 30
PEAK_RSS = 2 << 30


def procmine(*args: str, timeout: float = 120) -> tuple[subprocess.CompletedProcess, float]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "procmine", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limit,
    )
    # the largest peak of any finished child of this test process, this run included (KiB on Linux)
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 < PEAK_RSS
    return done, time.monotonic() - started


def wide_parallel(folder: Path, branches: int = 40, depth: int = 2, cases: int = 8) -> tuple[Path, Path]:
    """A parallel split into ``branches`` branches of ``depth`` tasks (the model is a few KB). Even cases do
    every branch in order; odd cases do every branch backwards, which no search can align quickly."""
    nodes = [("S", "startEvent", None), ("P1", "parallelGateway", None), ("P2", "parallelGateway", None)]
    nodes.append(("E", "endEvent", None))
    flows = [("S", "P1"), ("P2", "E")]
    for b in range(branches):
        previous = "P1"
        for d in range(depth):
            task = f"T{b}_{d}"
            nodes.append((task, "task", task))
            flows.append((previous, task))
            previous = task
        flows.append((previous, "P2"))
    model = write_bpmn(folder / "wide.bpmn", nodes, flows)
    rng = random.Random(7)
    rows = ["case,activity,timestamp"]
    start = datetime(2024, 1, 1)
    for c in range(cases):
        branches_left = [[f"T{b}_{d}" for d in range(depth)] for b in range(branches)]
        if c % 2:
            branches_left = [list(reversed(s)) for s in branches_left]
        events = []
        while any(branches_left):
            events.append(rng.choice([s for s in branches_left if s]).pop(0))
        for i, activity in enumerate(events):
            rows.append(f"c{c},{activity},{(start + timedelta(days=c, seconds=i)).isoformat()}")
    log = folder / "wide.csv"
    log.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return model, log


@pytest.mark.slow
def test_wide_parallelism_is_bounded_in_time_and_memory_and_says_what_it_left_out(tmp_path):
    model, log = wide_parallel(tmp_path)
    assert model.stat().st_size < 20_000
    # the cap is CPU time: each backwards case takes 1 s of CPU, several seconds of wall time on a busy
    # machine, so the budget leaves room for the four of them
    done, seconds = procmine(
        "check", str(model), str(log), "--format", "json", "--time-cap", "1", "--time-budget", "40"
    )
    assert done.returncode == 0, done.stderr
    assert seconds < 90
    conformance = json.loads(done.stdout)["conformance"]
    coverage = conformance["coverage"]
    assert coverage["variants_aligned"] == 4  # every case in order aligns (and fits)
    assert coverage["variants_not_aligned"] == 4
    assert set(coverage["reasons"]) <= {"time cap", "time budget"}
    assert conformance["fitness"] == 1.0 and conformance["precision"] is not None
    low, high = coverage["fitness_bounds"]
    assert 0 <= low < high < 1
    assert "4 variant(s) (4 cases) not aligned" in done.stderr and "--time-cap" in done.stderr


@pytest.mark.slow
def test_audit_on_wide_parallelism_finishes_within_its_limits(tmp_path):
    model, log = wide_parallel(tmp_path, cases=4)
    done, seconds = procmine(
        "audit",
        str(model),
        str(log),
        "-o",
        str(tmp_path / "out"),
        "--time-cap",
        "1",
        "--time-budget",
        "30",
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert seconds < 120
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["conformance"]["coverage"]["variants_not_aligned"] == 2


@pytest.mark.slow
def test_one_case_of_100000_events_is_bounded_and_reported_as_not_aligned(tmp_path, sample_logs):
    tasks = [
        "Register complaint",
        "Classify complaint",
        "Investigate issue",
        "Propose solution",
        "Send confirmation letter",
        "Update CRM record",
        "Send satisfaction survey",
        "Close complaint",
    ]
    start = datetime(2024, 1, 1)
    rows = ["case,activity,timestamp"]
    for i in range(100_000):
        rows.append(
            f"only,{tasks[(i * 7 + i // 8) % len(tasks)]},{(start + timedelta(minutes=i)).isoformat()}"
        )
    log = tmp_path / "long.csv"
    log.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert log.stat().st_size > 4_000_000
    model = sample_logs / "complaints_documented.bpmn"
    done, seconds = procmine("check", str(model), str(log), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert seconds < 60
    report = json.loads(done.stdout)
    assert report["log"]["events"] == 100_000
    coverage = report["conformance"]["coverage"]
    assert coverage["variants_not_aligned"] == 1 and coverage["reasons"] == {"state cap": 1}
    assert report["conformance"]["fitness"] is None
    assert "--limit alignment-states=N" in done.stderr


def test_a_sequence_flow_to_a_missing_element_is_refused(tmp_path, sample_logs):
    path = write_bpmn(
        tmp_path / "broken.bpmn",
        [("S", "startEvent", None), ("A", "task", "Register complaint"), ("End", "endEvent", None)],
        [("S", "A"), ("A", "Ghost"), ("A", "End")],
    )
    done, _ = procmine("check", str(path), str(sample_logs / "complaints.csv"))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert "Traceback" not in done.stderr
    assert "'Ghost', which is not in the model" in lines[-1] and "procmine lint" in lines[-1]
    assert done.stdout == ""


def _without_generation_time(text: str) -> dict:
    report = json.loads(text)
    report.pop("generated_at", None)
    return report


@pytest.mark.slow
def test_two_runs_and_any_number_of_workers_give_the_same_report(sample_logs):
    args = [
        str(sample_logs / "complaints_documented.bpmn"),
        str(sample_logs / "complaints.csv"),
        "--format",
        "json",
    ]
    runs = [procmine("check", *args, "--processes", n)[0] for n in ("1", "2", "2")]
    assert all(r.returncode == 0 for r in runs)
    first = _without_generation_time(runs[0].stdout)
    assert all(_without_generation_time(r.stdout) == first for r in runs[1:])


@pytest.mark.slow
def test_sepsis_skips_at_the_release_choice_the_same_on_one_and_two_workers(shared_data):
    model = shared_data / "models" / "bpmn_with_logs" / "mannhardt_course" / "sepsis.bpmn"
    log = shared_data / "logs" / "real" / "mannhardt_course" / "sepsis.csv.gz"
    runs = [procmine("check", str(model), str(log), "--format", "json", "--processes", n)[0] for n in "12"]
    assert all(r.returncode == 0 for r in runs)
    one, two = (_without_generation_time(r.stdout) for r in runs)
    assert one == two
    releases = ["Release A", "Release B", "Release C", "Release D", "Release E"]
    assert {"tasks": releases, "cases": 153} in one["conformance"]["choices"]
    tasks = {row["task"]: row for row in one["conformance"]["tasks"]}
    assert all(tasks[r]["cases_skipped"] == 0 for r in releases)
    (finding,) = [
        f for f in one["findings"] if f["kind"] == "skipped_step" and f["metrics"].get("tasks") == releases
    ]
    assert "153 of 1,050 cases" in finding["message"]
