"""Benchmark: ``procmine discover`` against the plain pm4py script doing the same work, side by side.

    .venv/bin/python bench/bench_discover.py [--sizes 100000 1000000] [--repeat 3]

Generates CSV logs of a synthetic order-to-cash-like process (bench/out/, gitignored), then for each size
runs, each in its own subprocess so peak RSS is measured separately:

- procmine: ``procmine discover LOG -o DIR --format json -q``
- pm4py:    read_csv -> format_dataframe -> discover_bpmn_inductive -> discover_performance_dfg
            -> get_variants
- engine:   procmine's DFG + variants SQL on the events, against DuckDB's bare scan of the same CSV file

and prints the best wall time and the best CPU time (user + system; steadier than wall time on a shared
machine) of ``--repeat`` runs, their ratios and the peak RSS.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
PYTHON = sys.executable

MEASURE = r"""
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
elapsed = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": elapsed, "cpu": usage.ru_utime + usage.ru_stime,
                  "peak_mb": usage.ru_maxrss / 1024, "rc": done.returncode,
                  "stdout": done.stdout[-2000:], "stderr": done.stderr[-2000:]}))
"""

PM4PY_SCRIPT = r"""
import sys
import pandas as pd
import pm4py
df = pd.read_csv(sys.argv[1])
df = pm4py.format_dataframe(df, case_id="case_id", activity_key="activity", timestamp_key="timestamp")
bpmn = pm4py.discover_bpmn_inductive(df)
perf = pm4py.discover_performance_dfg(df)
variants = pm4py.get_variants(df)
print(len(variants))
"""

ENGINE_SCRIPT = r"""
import json, sys, time
import duckdb
from procmine.io.logs import read_log
from procmine.engine import db, dfg, variants

path = sys.argv[1]
best_scan = best_engine = best_csv_engine = float("inf")
for _ in range(3):
    log = read_log(path)  # a new log each time: the engine keeps what it computed per log (steps, DFG)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    t = time.perf_counter()
    scan = f"SELECT count(*), count(DISTINCT case_id), min(timestamp) FROM read_csv('{path}')"
    con.execute(scan).fetchall()
    best_scan = min(best_scan, time.perf_counter() - t)
    t = time.perf_counter()
    con = db.connect(log)
    dfg.dfg(con); dfg.start_activities(con); dfg.end_activities(con); variants.variants(con)
    best_engine = min(best_engine, time.perf_counter() - t)
    # the same SQL straight over the CSV file: scan + DFG + variants in one go
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    t = time.perf_counter()
    con.execute(
        f"CREATE VIEW log_events AS SELECT *, row_number() OVER () - 1 AS \"row\" FROM read_csv('{path}')"
    )
    con.execute("CREATE VIEW events AS SELECT * FROM log_events")
    dfg.dfg(con); variants.variants(con)
    best_csv_engine = min(best_csv_engine, time.perf_counter() - t)
print(json.dumps({"scan": best_scan, "engine": best_engine, "csv_engine": best_csv_engine}))
"""

ACTIVITIES = [
    "Receive order",
    "Check credit",
    "Check stock",
    "Approve order",
    "Reject order",
    "Request details",
    "Receive details",
    "Pick goods",
    "Pack goods",
    "Ship goods",
    "Send invoice",
    "Receive payment",
    "Send reminder",
    "Close order",
    "Escalate to manager",
    "Update CRM record",
]


def generate(path: Path, events: int, seed: int = 7) -> None:
    """A process with choices, a parallel block, rework and reminders: a few hundred variants."""
    rng = random.Random(seed)
    written = 0
    case = 0
    start = datetime(2025, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["case_id", "activity", "timestamp", "resource"])
        while written < events:
            case += 1
            t = start + timedelta(minutes=rng.randrange(525_600))
            trace = ["Receive order"]
            while rng.random() < 0.15:
                trace += ["Request details", "Receive details"]
            checks = ["Check credit", "Check stock"]
            rng.shuffle(checks)
            trace += checks
            if rng.random() < 0.1:
                trace += ["Escalate to manager"]
            if rng.random() < 0.08:
                trace += ["Reject order", "Close order"]
            else:
                trace += ["Approve order"]
                block = ["Pick goods", "Pack goods", "Ship goods"]
                side = ["Send invoice", "Update CRM record"] if rng.random() < 0.5 else ["Send invoice"]
                merged: list[str] = []
                while block or side:
                    src = block if block and (not side or rng.random() < 0.6) else side
                    merged.append(src.pop(0))
                trace += merged
                while rng.random() < 0.25:
                    trace.append("Send reminder")
                trace += ["Receive payment", "Close order"]
            for activity in trace:
                t += timedelta(minutes=rng.choice([0, 5, 30, 120, 1440, 2880]))
                out.writerow(
                    [f"order-{case:07d}", activity, t.strftime("%Y-%m-%dT%H:%M:%S"), f"u{rng.randrange(40)}"]
                )
                written += 1


def measure(command: list[str]) -> dict:
    done = subprocess.run([PYTHON, "-c", MEASURE, *command], capture_output=True, text=True)
    if done.returncode != 0 or not done.stdout.strip():
        raise SystemExit(f"measuring failed: {' '.join(command)}\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{result['stderr']}")
    return result


def best_of(command: list[str], repeat: int) -> dict:
    runs = [measure(command) for _ in range(repeat)]
    return {
        "seconds": min(r["seconds"] for r in runs),
        "cpu": min(r["cpu"] for r in runs),
        "peak_mb": max(r["peak_mb"] for r in runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    procmine = str(Path(PYTHON).parent / "procmine")
    print(
        f"{'events':>9} | {'wall s: procmine':>16} {'pm4py':>7} {'ratio':>6} | {'cpu s: procmine':>15} "
        f"{'pm4py':>7} {'ratio':>6} | {'peak MB: procmine':>17} {'pm4py':>6} | "
        f"{'csv scan s':>10} {'dfg+variants s':>14} {'ratio':>5} {'csv->dfg+var s':>14}"
    )
    for size in args.sizes:
        path = OUT / f"discover_{size}.csv"
        if not path.exists():
            generate(path, size)
        with tempfile.TemporaryDirectory() as tmp:
            command = [procmine, "-q", "discover", str(path), "-o", tmp, "--format", "json"]
            ours = best_of(command, args.repeat)
        theirs = best_of([PYTHON, "-c", PM4PY_SCRIPT, str(path)], args.repeat)
        engine = json.loads(measure([PYTHON, "-c", ENGINE_SCRIPT, str(path)])["stdout"].splitlines()[-1])
        print(
            f"{size:>9,} | {ours['seconds']:>16.2f} {theirs['seconds']:>7.2f} "
            f"{theirs['seconds'] / ours['seconds']:>5.1f}x | {ours['cpu']:>15.2f} {theirs['cpu']:>7.2f} "
            f"{theirs['cpu'] / ours['cpu']:>5.1f}x | {ours['peak_mb']:>17.0f} {theirs['peak_mb']:>6.0f} | "
            f"{engine['scan']:>10.2f} {engine['engine']:>14.2f} {engine['engine'] / engine['scan']:>4.1f}x "
            f"{engine['csv_engine']:>14.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
