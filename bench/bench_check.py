"""Benchmark: procmine's conformance check against pm4py's ``conformance_diagnostics_alignments``.

Each workload is one log and one Petri net, prepared once by this script and handed to both sides as
files, so both align the same traces against the same net (procmine's translation of the BPMN model,
reduced as ``check`` reduces it: the same places, transitions, arcs, markings, labels). Each side runs in
its own subprocess with a timeout and reports wall time, CPU time (its own and its children's), peak RSS,
the optimal cost of every variant and the log fitness. Loading the log and the net is not timed.

- procmine, "alignments": variants of the log, procmine's alignments once per variant, fitness figures
  (``log_variants`` + ``align_traces`` + ``empty_trace_cost`` + ``fitness_figures``): the same work as
  pm4py's call. "precision": escaping edges over those alignments (``alignment_precision``). "whole check":
  ``check_conformance`` with precision (also per-task statistics, model order, drift, choices, findings).
- pm4py: ``pm4py.conformance_diagnostics_alignments(frame, net, im, fm)`` (default A* variant, one process;
  the facade aligns each distinct trace once) and its fitness (``alignment_based.evaluate``); with
  ``--pm4py-precision``, also ``precision_token_based_replay`` (token-based ETConformance) and
  ``precision_alignments`` (alignment-based ETConformance, one process). Costs are compared without
  pm4py's silent-step costs (procmine's silent steps are free; deviations and trace fitness are the same).

Workloads: ``sample`` (sample_logs/complaints.csv against complaints_documented.bpmn), ``sepsis`` (Sepsis
against its documented model, ../shared/data), ``bpic-bpmn`` / ``bpic-noise0`` (BPIC 2012 COMPLETE events,
cases of the N most frequent variants, against the inductive miner's model with noise 0.2 / 0 on the full
log, exported to BPMN), ``large`` (the sample repeated with new case ids up to about 1M events); they are
prepared by ``check_workloads.py``.

    .venv/bin/python bench/bench_check.py                      # all workloads
    .venv/bin/python bench/bench_check.py --workloads sepsis,bpic-noise0 --top-variants 0 --runs 1
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from check_workloads import BPIC, SAMPLES, SEPSIS_LOG, WORKLOADS, prepare, spec_from_json

MOVE_COST = 10_000
SEP = "\x1f"  # joins a trace's activities into one JSON key
PM4PY_REPEAT_BELOW = 20.0  # seconds: pm4py is run again only when a run is this quick


# ---------------------------------------------------------------- one side (child process)


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _timed(work: Any, runs: int, repeat_below: float = float("inf")) -> tuple[Any, float, float]:
    """Best wall time of ``runs`` calls (stopping early when a call exceeds ``repeat_below``) and its CPU."""
    best, best_cpu, result = float("inf"), 0.0, None
    for _ in range(runs):
        cpu, started = _cpu(), time.perf_counter()
        result = work()
        wall, cpu = time.perf_counter() - started, _cpu() - cpu
        if wall < best:
            best, best_cpu = wall, cpu
        if wall > repeat_below:
            break
    return result, best, best_cpu


def _event_log(folder: Path) -> Any:
    import pandas as pd

    from procmine.model.log import ColumnMapping, DataQuality, EventLog

    events = pd.read_parquet(folder / "events.parquet")
    events["row"] = range(len(events))
    quality = DataQuality(len(events), len(events))
    return EventLog(
        events, folder / "events.parquet", "parquet", ColumnMapping("case", "activity", "timestamp"), quality
    )


def run_procmine(folder: Path, runs: int, precision: bool) -> dict[str, Any]:
    from procmine import progress
    from procmine.adapter.alignments import Limits, align_traces, empty_trace_cost
    from procmine.adapter.compiled_net import CompiledNet
    from procmine.analyses.alignment_stats import fitness_figures, log_variants, variant_deviations
    from procmine.analyses.conformance import ConformanceOptions, ModelSide, check_conformance
    from procmine.analyses.matching import match_names
    from procmine.analyses.precision import alignment_precision

    progress.set_quiet(True)
    log = _event_log(folder)
    spec = spec_from_json(json.loads((folder / "net.json").read_text()))

    def alignments() -> tuple[Any, list, dict]:
        variants = log_variants(log)
        aligned = align_traces(spec, variants.traces, Limits(time_budget=None))
        deviations = variant_deviations(variants.traces, aligned, spec, {}, empty_trace_cost(spec))
        return variants, aligned, fitness_figures(deviations, variants.counts)

    (variants, aligned, figures), wall, cpu = _timed(alignments, runs)
    value, precision_wall, precision_cpu = None, None, None
    if precision:
        result, precision_wall, precision_cpu = _timed(
            lambda: alignment_precision(CompiledNet(spec), variants.traces, variants.counts, aligned), runs
        )
        value = result.value
    matching = match_names(spec.labels, set(log.events["activity"].unique()))
    options = ConformanceOptions(precision=precision, time_budget=None)
    _, check_wall, check_cpu = _timed(
        lambda: check_conformance(log, spec, ModelSide("model"), matching, options), runs
    )
    return {
        "wall": wall,
        "cpu": cpu,
        "precision": value,
        "precision_wall": precision_wall,
        "precision_cpu": precision_cpu,
        "check_wall": check_wall,
        "check_cpu": check_cpu,
        "variants": len(variants.traces),
        "failures": sum(1 for a in aligned if a.cost is None),
        "costs": {SEP.join(t): a.cost for t, a in zip(variants.traces, aligned, strict=True)},
        "fitness": figures["fitness"],
        "average_trace_fitness": figures["average_trace_fitness"],
    }


def run_pm4py(folder: Path, runs: int, precision: bool) -> dict[str, Any]:
    import pandas as pd
    import pm4py
    from pm4py.algo.evaluation.replay_fitness.variants import alignment_based
    from pm4py.util.pandas_utils import get_traces

    from procmine.adapter.conformance import netspec_to_pm4py

    pm4py.util.constants.SHOW_PROGRESS_BAR = False
    events = pd.read_parquet(folder / "events.parquet")
    frame = pd.DataFrame(
        {
            "case:concept:name": events["case_id"].astype(object),
            "concept:name": events["activity"].astype(object),
            "time:timestamp": events["timestamp"],
        }
    )
    net, im, fm = netspec_to_pm4py(spec_from_json(json.loads((folder / "net.json").read_text())))

    def alignments() -> tuple[list, dict]:
        diagnostics = pm4py.conformance_diagnostics_alignments(frame, net, im, fm)
        return diagnostics, alignment_based.evaluate(diagnostics)

    (diagnostics, fitness), wall, cpu = _timed(alignments, runs, PM4PY_REPEAT_BELOW)
    aligned = [r for r in diagnostics if r is not None]
    cost = sum(r["cost"] // MOVE_COST for r in aligned)
    worst = sum(r["bwc"] // MOVE_COST for r in aligned)
    value, precision_wall, align_etc, align_etc_wall = None, None, None, None
    if precision:
        value, precision_wall, _ = _timed(
            lambda: pm4py.precision_token_based_replay(frame, net, im, fm), runs, PM4PY_REPEAT_BELOW
        )
        align_etc, align_etc_wall, _ = _timed(
            lambda: pm4py.precision_alignments(frame, net, im, fm, multi_processing=False), 1
        )
    # pm4py's answers are in the order of get_traces (its own case grouping): one per case
    traces = get_traces(frame, "case:concept:name", "concept:name")
    costs: dict[str, int] = {}
    for trace, result in zip(traces, diagnostics, strict=True):
        key = SEP.join(trace)
        cost_ = None if result is None else int(result["cost"]) // MOVE_COST * MOVE_COST  # silent steps free
        if costs.setdefault(key, cost_) != cost_:  # cannot happen: one alignment per distinct trace
            costs[key] = -1
    return {
        "wall": wall,
        "cpu": cpu,
        "precision": value,
        "precision_wall": precision_wall,
        "align_etc": align_etc,
        "align_etc_wall": align_etc_wall,
        "variants": len(costs),
        "failures": sum(1 for r in diagnostics if r is None),
        "costs": costs,
        "fitness": 1 - cost / worst if worst else 0.0,  # its log_fitness without silent-step costs
        "log_fitness_with_silent_steps": fitness["log_fitness"],
        "average_trace_fitness": fitness["average_trace_fitness"],
    }


def _peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM: ru_maxrss would carry over the forking parent's peak on Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(side: str, folder: Path, runs: int, precision: bool) -> int:
    warnings.simplefilter("ignore")
    work = run_procmine if side == "procmine" else run_pm4py
    result = work(folder, runs, precision)
    result["peak_rss_mb"] = _peak_rss_mb()
    (folder / f"{side}.json").write_text(json.dumps(result))
    return 0


# ---------------------------------------------------------------- comparing (parent)


def run_side(side: str, folder: Path, runs: int, timeout: float, precision: bool) -> dict[str, Any] | str:
    command = [sys.executable, __file__, "--side", side, "--data", str(folder), "--runs", str(runs)]
    if precision:
        command.append("--precision")
    env = {**os.environ, "PM4PY_SHOW_PROGRESS_BAR": "False"}
    started = time.perf_counter()
    try:
        done = subprocess.run(command, env=env, timeout=timeout, capture_output=True, text=True)
    except subprocess.TimeoutExpired:
        return f"not finished after {timeout:.0f} s (killed)"
    if done.returncode != 0:
        return f"failed (exit {done.returncode}): {done.stderr.strip().splitlines()[-1:]}"
    result = json.loads((folder / f"{side}.json").read_text())
    result["process_wall"] = time.perf_counter() - started
    return result


def compare(name: str, description: str, ours: dict | str, theirs: dict | str) -> dict[str, Any]:
    print(f"\n== {name}: {description}")
    row: dict[str, Any] = {"workload": name, "description": description}
    if isinstance(ours, str) or isinstance(theirs, str):
        print(
            f"procmine: {ours if isinstance(ours, str) else 'ok'}; "
            f"pm4py: {theirs if isinstance(theirs, str) else 'ok'}"
        )
        row.update(procmine=ours, pm4py=theirs)
        return row
    equal = sum(1 for k, c in ours["costs"].items() if c is not None and theirs["costs"].get(k) == c)
    same_fitness = (
        abs(ours["fitness"] - theirs["fitness"]) < 1e-9
        and abs(ours["average_trace_fitness"] - theirs["average_trace_fitness"]) < 1e-9
    )
    same_variants = set(ours["costs"]) == set(theirs["costs"])
    row.update(
        variants=ours["variants"],
        procmine={k: v for k, v in ours.items() if k != "costs"},
        pm4py={k: v for k, v in theirs.items() if k != "costs"},
        costs_equal=equal,
        identical=same_fitness and same_variants and equal == ours["variants"],
        ratio_wall=theirs["wall"] / ours["wall"],
        ratio_cpu=theirs["cpu"] / ours["cpu"],
        ratio_check_wall=theirs["wall"] / ours["check_wall"],
        check_over_alignments=ours["check_wall"] / ours["wall"],
        check_over_alignments_cpu=ours["check_cpu"] / ours["cpu"],
    )
    _print_row(row, ours, theirs)
    return row


def _print_row(row: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    print(f"variants aligned: procmine {ours['variants']:,}, pm4py {theirs['variants']:,}")
    print(
        f"procmine alignments+fitness: {ours['wall']:.2f} s wall, {ours['cpu']:.2f} s CPU; "
        f"whole check: {ours['check_wall']:.2f} s wall, {ours['check_cpu']:.2f} s CPU; "
        f"peak RSS {ours['peak_rss_mb']:.0f} MB"
    )
    print(
        f"pm4py conformance_diagnostics_alignments+fitness: {theirs['wall']:.2f} s wall, "
        f"{theirs['cpu']:.2f} s CPU; peak RSS {theirs['peak_rss_mb']:.0f} MB"
    )
    if ours.get("precision_wall") is not None:
        print(
            f"precision: procmine {ours['precision']:.4f} in {ours['precision_wall']:.2f} s "
            f"({ours['precision_cpu']:.2f} s CPU); "
            f"{_pm4py_precision(theirs)}; whole check with precision = "
            f"{row['check_over_alignments']:.2f}x the alignment time "
            f"({row['check_over_alignments_cpu']:.2f}x in CPU time)"
        )
    print(
        f"log fitness: procmine {ours['fitness']:.9f}, pm4py {theirs['fitness']:.9f} (pm4py's own "
        f"log_fitness, with silent-step costs: {theirs['log_fitness_with_silent_steps']:.9f}); "
        "average trace fitness: "
        f"procmine {ours['average_trace_fitness']:.9f}, pm4py {theirs['average_trace_fitness']:.9f}"
    )
    print(
        f"optimal costs equal: {row['costs_equal']:,} of {ours['variants']:,} variants; "
        f"not aligned: procmine {ours['failures']}, pm4py {theirs['failures']}"
    )
    print(
        f"speed-up: {row['ratio_wall']:.1f}x wall, {row['ratio_cpu']:.1f}x CPU "
        f"(whole check: {row['ratio_check_wall']:.1f}x wall); "
        f"results {'identical' if row['identical'] else 'DIFFERENT'}"
    )


def _pm4py_precision(theirs: dict[str, Any]) -> str:
    if theirs.get("precision_wall") is None:
        return "pm4py's not run (--pm4py-precision)"
    return (
        f"pm4py token-based ETConformance {theirs['precision']:.4f} in {theirs['precision_wall']:.2f} s, "
        f"alignment-based ETConformance {theirs['align_etc']:.4f} in {theirs['align_etc_wall']:.2f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--workloads", default=",".join(WORKLOADS), help=f"comma-separated: {', '.join(WORKLOADS)}"
    )
    parser.add_argument(
        "--top-variants", type=int, default=400, help="BPIC: cases of the N most frequent variants (0: all)"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="best of N (pm4py: only while a run is under 20 s)"
    )
    parser.add_argument("--timeout", type=float, default=420.0, help="seconds per side and workload")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--pm4py-precision",
        action="store_true",
        help="also time pm4py's token- and alignment-based ETConformance (slow on BPIC)",
    )
    parser.add_argument("--precision", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--side", choices=("procmine", "pm4py"), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side:
        return child(args.side, args.data, args.runs, args.precision)
    warnings.simplefilter("ignore")
    os.environ["PM4PY_SHOW_PROGRESS_BAR"] = "False"
    from procmine import progress

    progress.set_quiet(True)
    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} "
        "(shared machine: compare CPU times)"
    )
    rows = []
    for name in args.workloads.split(","):
        needed = BPIC if name.startswith("bpic") else SEPSIS_LOG if name == "sepsis" else SAMPLES
        if not needed.exists():
            print(f"\n== {name}: {needed} not found; skipped")
            continue
        with tempfile.TemporaryDirectory(prefix="bench_check_") as tmp:
            folder = Path(tmp)
            description = prepare(name, folder, args.top_variants)
            load = os.getloadavg()[0]
            ours = run_side("procmine", folder, args.runs, args.timeout, True)
            theirs = run_side("pm4py", folder, args.runs, args.timeout, args.pm4py_precision)
            row = compare(name, description, ours, theirs)
            row["load_average"] = [round(load, 2), round(os.getloadavg()[0], 2)]
            print(f"load average before/after: {row['load_average']}")
            rows.append(row)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0 if all(r.get("identical") for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
