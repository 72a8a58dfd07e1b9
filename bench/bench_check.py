"""Benchmark: procmine's conformance check against pm4py's ``conformance_diagnostics_alignments``.

Both align the same traces against the same Petri net: a model discovered from the log by pm4py's
inductive miner, exported to BPMN, read back and translated by procmine (the path a user's documented
model takes). procmine's time covers its whole conformance analysis (variants, alignments with r4pm,
per-task statistics, findings; precision off); pm4py's covers its alignments and fitness. The script
checks that the optimal costs are equal trace by trace and that the fitness values agree.

    .venv/bin/python bench/bench_check.py                 # BPIC 2012 (all 13,087 cases)
    .venv/bin/python bench/bench_check.py --cases 2000    # a quicker subset
    .venv/bin/python bench/bench_check.py --runs 3        # best of 3 for procmine
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_LOG = ROOT.parent / "shared" / "data" / "logs" / "pm4py" / "input_data" / "bpic2012.xes.gz"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", type=Path, default=DEFAULT_LOG)
    parser.add_argument("--cases", type=int, default=0, help="first N cases only (0: all)")
    parser.add_argument("--noise", type=float, default=0.2, help="inductive miner noise threshold")
    parser.add_argument("--runs", type=int, default=3, help="procmine runs (best is reported)")
    parser.add_argument(
        "--net",
        choices=("bpmn", "petri"),
        default="bpmn",
        help="bpmn: the discovered model exported to BPMN and translated by procmine (default); "
        "petri: pm4py's own discovered Petri net, as is",
    )
    args = parser.parse_args()
    if not args.log.is_file():
        print(f"bench_check: {args.log} not found; nothing to measure", file=sys.stderr)
        return 0
    warnings.simplefilter("ignore")
    os.environ.setdefault("PM4PY_SHOW_PROGRESS_BAR", "False")
    import pandas as pd
    import pm4py
    from pm4py.algo.evaluation.replay_fitness.variants import alignment_based

    from procmine import progress
    from procmine.adapter.conformance import netspec_from_pm4py, netspec_to_pm4py
    from procmine.analyses.conformance import ConformanceOptions, ModelSide, check_conformance
    from procmine.analyses.matching import match_names
    from procmine.analyses.model_net import netspec_from_translation
    from procmine.io.bpmn import read_bpmn
    from procmine.model.log import ColumnMapping, DataQuality, EventLog
    from procmine.petri.translate import translate

    progress.set_quiet(True)
    df = pm4py.read_xes(str(args.log))
    if "lifecycle:transition" in df.columns:
        df = df[df["lifecycle:transition"].str.upper() == "COMPLETE"]
    if args.cases:
        keep = df["case:concept:name"].drop_duplicates().head(args.cases)
        df = df[df["case:concept:name"].isin(keep)]
    df = df[["case:concept:name", "concept:name", "time:timestamp"]].reset_index(drop=True)
    df = df.sort_values(["case:concept:name", "time:timestamp"], kind="stable").reset_index(drop=True)
    tree = pm4py.discover_process_tree_inductive(df, noise_threshold=args.noise)
    model_path = Path("discovered.bpmn")
    if args.net == "petri":
        spec = netspec_from_pm4py(*pm4py.convert_to_petri_net(tree))
        how = "pm4py Petri net"
    else:
        with tempfile.TemporaryDirectory() as folder:
            pm4py.write_bpmn(pm4py.convert_to_bpmn(tree), str(Path(folder) / model_path))
            model = read_bpmn(Path(folder) / model_path)
        spec = netspec_from_translation(translate(model))
        how = "BPMN -> procmine translation"
    events = pd.DataFrame(
        {
            "case_id": df["case:concept:name"].astype(str),
            "activity": df["concept:name"].astype(str),
            "timestamp": pd.to_datetime(df["time:timestamp"], utc=True),
            "row": range(len(df)),
        }
    )
    log = EventLog(
        events,
        args.log,
        "xes",
        ColumnMapping("case", "activity", "timestamp"),
        DataQuality(len(events), len(events)),
    )
    matching = match_names(spec.labels, set(events["activity"].unique()))
    print(f"log: {args.log.name}, {events['case_id'].nunique():,} cases, {len(events):,} events")
    print(
        f"model: inductive miner (noise {args.noise}) -> {how}: "
        f"{len(spec.labels)} tasks, {len(spec.transitions)} transitions, {len(spec.places)} places"
    )
    options = ConformanceOptions(precision=False)
    best = float("inf")
    result = None
    for _ in range(args.runs):
        started = time.perf_counter()
        result = check_conformance(log, spec, ModelSide(str(model_path)), matching, options)
        best = min(best, time.perf_counter() - started)
    assert result is not None
    print(
        f"procmine check (r4pm, {result.section['variants']:,} variants, {os.cpu_count()} cores): "
        f"{best:.2f} s (best of {args.runs})"
    )

    net, im, fm = netspec_to_pm4py(spec.relabelled(matching.pairs))
    started = time.perf_counter()
    diagnostics = pm4py.conformance_diagnostics_alignments(df, net, im, fm)
    theirs = alignment_based.evaluate(diagnostics)  # pm4py's own fitness formulas
    pm4py_time = time.perf_counter() - started
    print(f"pm4py conformance_diagnostics_alignments: {pm4py_time:.2f} s")

    cases = sorted(events["case_id"].unique())  # pm4py returns the cases in this order
    their_costs = {case: d["cost"] for case, d in zip(cases, diagnostics, strict=True)}
    our_costs = dict(zip(result.per_case["case_id"], result.per_case["cost"], strict=True))
    equal = sum(1 for c in cases if our_costs[c] == their_costs[c])
    print(f"optimal costs equal: {equal:,} of {len(cases):,} cases")
    print(f"log fitness: procmine {result.section['fitness']:.6f}, pm4py {theirs['log_fitness']:.6f}")
    print(
        f"average trace fitness: procmine {result.section['average_trace_fitness']:.6f}, "
        f"pm4py {theirs['average_trace_fitness']:.6f}"
    )
    same = abs(result.section["fitness"] - theirs["log_fitness"]) < 1e-9 and equal == len(cases)
    print(f"speed-up: {pm4py_time / best:.1f}x; results {'identical' if same else 'DIFFERENT'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
