"""The whole audit report for a large log: time per step, peak memory and HTML size, with plain pm4py doing
a part of the same work side by side in the same run.

    .venv/bin/python bench/bench_audit.py [--events 1000000] [--repeat 2] [--skip-pm4py]

The log is the bundled sample (sample_logs/complaints.csv) repeated with new case ids until it holds about
``--events`` events: the same documented model, variants and deviations, at scale. It is written once to
bench/out/. procmine: ``pipeline.audit.run`` from the CSV (read, conformance, bottlenecks, statistics,
periods, report.html + report.json). pm4py: read_csv + format_dataframe + discover_performance_dfg +
get_variants + token-based replay fitness against the same BPMN: fewer figures than the report, and no
optimal alignments (pm4py's take far longer). The best of ``--repeat`` runs is reported.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_logs"
OUT = ROOT / "bench" / "out"


def scaled_log(events: int) -> Path:
    path = OUT / f"audit_{events}.csv"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    base = pd.read_csv(SAMPLES / "complaints.csv", dtype=str)
    copies = max(1, round(events / len(base)))
    parts = []
    for k in range(copies):
        part = base.copy()
        part["Complaint ID"] = part["Complaint ID"] + f"-{k:03d}"
        parts.append(part)
    pd.concat(parts, ignore_index=True).to_csv(path, index=False)
    return path


def run_procmine(log: Path, folder: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, all threads) of one audit run."""
    from procmine import progress
    from procmine.analyses.performance import PerformanceOptions
    from procmine.analyses.sla import parse_sla
    from procmine.pipeline.audit import AuditOptions, run

    progress.set_quiet(True)
    options = AuditOptions(performance=PerformanceOptions(sla=parse_sla(["5d"])))
    started, cpu = time.perf_counter(), time.process_time()
    run(SAMPLES / "complaints_documented.bpmn", log, {}, options, folder)
    return time.perf_counter() - started, time.process_time() - cpu


def run_pm4py(log: Path) -> tuple[float, float]:
    import pm4py

    started, cpu = time.perf_counter(), time.process_time()
    frame = pd.read_csv(log)
    frame = pm4py.format_dataframe(
        frame, case_id="Complaint ID", activity_key="Activity", timestamp_key="Complete Timestamp"
    )
    pm4py.discover_performance_dfg(frame)
    pm4py.get_variants(frame)
    net, initial, final = pm4py.convert_to_petri_net(
        pm4py.read_bpmn(str(SAMPLES / "complaints_documented.bpmn"))
    )
    pm4py.fitness_token_based_replay(frame, net, initial, final)
    return time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--skip-pm4py", action="store_true")
    args = parser.parse_args()
    log = scaled_log(args.events)
    rows = sum(1 for _ in log.open()) - 1
    folder = OUT / "audit_report"
    runs = [run_procmine(log, folder) for _ in range(args.repeat)]
    ours, ours_cpu = min(w for w, _ in runs), min(c for _, c in runs)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    html = (folder / "report.html").stat().st_size
    print(f"log: {log.name}, {rows:,} events")
    print(f"procmine audit (CSV -> report.html + report.json): {ours:.1f} s wall, {ours_cpu:.1f} s CPU, "
          f"peak RSS {peak:,.0f} MB")
    json_size = (folder / "report.json").stat().st_size
    print(f"report.html: {html / 1e6:.2f} MB, report.json: {json_size / 1e6:.2f} MB")
    if not args.skip_pm4py:
        theirs_runs = [run_pm4py(log) for _ in range(args.repeat)]
        theirs, theirs_cpu = min(w for w, _ in theirs_runs), min(c for _, c in theirs_runs)
        print(f"pm4py (read, DFG, variants, token replay): {theirs:.1f} s wall, {theirs_cpu:.1f} s CPU; "
              f"ratio {theirs / ours:.1f}x wall, {theirs_cpu / ours_cpu:.1f}x CPU")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
