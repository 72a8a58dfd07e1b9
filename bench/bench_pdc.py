"""Benchmark: the Process Discovery Contest 2019 with procmine, against pm4py's optimal alignments.

For every PDC 2019 log (../shared/data/logs/pdc/pdc2019; training log 1 is missing there):

1. ``procmine discover`` the training log (inductive miner, procmine's defaults) -> model.bpmn;
2. ``procmine check`` the test log against that model: a case is *accepted* when it fits (trace fitness 1);
3. the accepted/rejected split is scored against the ground truth (``pdc:isPos``): accuracy, and the
   contest's positive/negative recall;
4. pm4py aligns the same test log against the same model (``pm4py.read_bpmn`` + ``convert_to_petri_net``,
   its own translation; ``conformance_diagnostics_alignments``, default A*): the split and every trace's
   fitness must equal procmine's, and the log fitness too once pm4py's silent-step costs are left out.

Each side runs in its own subprocess with a timeout; wall and CPU times are of the whole ``check`` command
(reading, worker processes and precision included) for procmine and of the alignment call (the log and net
loaded) for pm4py.

    .venv/bin/python bench/bench_pdc.py                 # all nine logs, about 10-20 minutes (pm4py's side)
    .venv/bin/python bench/bench_pdc.py --logs 4,5 --skip-pm4py
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PDC = ROOT.parent / "shared" / "data" / "logs" / "pdc" / "pdc2019"
LOGS = (2, 3, 4, 5, 6, 7, 8, 9, 10)
MOVE_COST = 10_000


def procmine(*args: str) -> tuple[subprocess.CompletedProcess, float, float]:
    """The finished command, its wall time and its CPU time (its worker processes included)."""
    cpu, started = _children_cpu(), time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "procmine", "-q", *args], capture_output=True, text=True)
    return done, time.perf_counter() - started, _children_cpu() - cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def ground_truth(n: int) -> dict[str, bool]:
    """case id -> pdc:isPos, read by procmine (trace attributes become case columns)."""
    sys.path.insert(0, str(ROOT / "src"))
    from procmine.io.logs import read_log

    events = read_log(PDC / "ground_truth" / f"pdc_2019_{n}.xes.gz").events
    column = next(c for c in events.columns if c.endswith("isPos"))
    labels = events.groupby("case_id")[column].first()
    return {str(case): str(value).lower() in ("true", "1") for case, value in labels.items()}


def ours(n: int, folder: Path) -> dict[str, Any]:
    done, _, _ = procmine(
        "discover",
        str(PDC / "training" / f"pdc_2019_{n}.xes.gz"),
        "-o",
        str(folder / "d"),
        "--format",
        "json",
    )
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1]}
    model = folder / "d" / "model.bpmn"
    done, wall, cpu = procmine(
        "check",
        str(model),
        str(PDC / "test" / f"pdc_2019_{n}.xes.gz"),
        "--format",
        "json",
        "-o",
        str(folder / "c"),
    )
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1]}
    import csv

    with (folder / "c" / "case_fitness.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))  # fitness rounded to 4 digits; deviations exact
    fitness = {r["case_id"]: float(r["fitness"]) if r["fitness"] else None for r in rows}
    deviations = {r["case_id"]: int(r["deviations"]) if r["deviations"] else None for r in rows}
    report = json.loads(done.stdout)
    conformance = report["conformance"]
    return {
        "model": str(model),
        "wall": wall,
        "cpu": cpu,
        "fitness": conformance["fitness"],
        "not_aligned": conformance["coverage"]["variants_not_aligned"],
        "precision": conformance["precision"],
        "net": report["model"]["net"],
        "cases": fitness,
        "deviations": deviations,
    }


PM4PY_SIDE = r"""
import json, sys, time, warnings
warnings.simplefilter("ignore")
import contextlib
with contextlib.redirect_stdout(sys.stderr):
    import pm4py
pm4py.util.constants.SHOW_PROGRESS_BAR = False
model, log, out = sys.argv[1:4]
net, im, fm = pm4py.convert_to_petri_net(pm4py.read_bpmn(model))
frame = pm4py.read_xes(log)
if "time:timestamp" not in frame.columns:  # pm4py needs times to order events: the file's order it is
    import pandas as pd
    start = pd.Timestamp("2000-01-01", tz="UTC")
    frame["time:timestamp"] = start + pd.to_timedelta(range(len(frame)), unit="s")
started, cpu = time.perf_counter(), time.process_time()
diagnostics = pm4py.conformance_diagnostics_alignments(frame, net, im, fm, multi_processing=False)
wall, cpu = time.perf_counter() - started, time.process_time() - cpu
fitness = pm4py.fitness_alignments(frame, net, im, fm, multi_processing=False)
cases = [str(c) for c in frame["case:concept:name"].drop_duplicates()]
rows = {c: {"fitness": d["fitness"], "cost": d["cost"], "bwc": d["bwc"]} for c, d in zip(cases, diagnostics)}
silent = sum(1 for t in net.transitions if t.label is None)
json.dump({"wall": wall, "cpu": cpu, "log_fitness": fitness["log_fitness"], "cases": rows,
           "net": {"places": len(net.places), "transitions": len(net.transitions), "silent": silent}},
          open(out, "w"))
"""


def theirs(model: str, n: int, folder: Path, timeout: float) -> dict[str, Any]:
    out = folder / "pm4py.json"
    try:
        subprocess.run(
            [sys.executable, "-c", PM4PY_SIDE, model, str(PDC / "test" / f"pdc_2019_{n}.xes.gz"), str(out)],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"over {timeout:.0f} s"}
    except subprocess.CalledProcessError as exc:
        return {"error": exc.stderr.decode()[-300:]}
    return json.loads(out.read_text())


def score(accepted: dict[str, bool], truth: dict[str, bool]) -> dict[str, float]:
    positives = [c for c in truth if truth[c]]
    negatives = [c for c in truth if not truth[c]]
    right = sum(accepted[c] == truth[c] for c in truth)
    return {
        "accuracy": right / len(truth),
        "positive_recall": sum(accepted[c] for c in positives) / len(positives),
        "negative_recall": sum(not accepted[c] for c in negatives) / len(negatives),
        "accepted": sum(accepted.values()),
    }


def compare(our: dict[str, Any], their: dict[str, Any]) -> dict[str, Any]:
    cases, deviations, pm4py_cases = our["cases"], our["deviations"], their["cases"]
    same_split = all((cases[c] == 1.0) == (pm4py_cases[c]["fitness"] == 1.0) for c in cases)
    same_fitness = all(
        deviations[c] == pm4py_cases[c]["cost"] // MOVE_COST
        and abs(cases[c] - pm4py_cases[c]["fitness"]) < 1e-4
        for c in cases
    )
    cost = sum(r["cost"] // MOVE_COST for r in their["cases"].values())
    worst = sum(r["bwc"] // MOVE_COST for r in their["cases"].values())
    return {
        "same_split": same_split,
        "same_trace_fitness": same_fitness,
        "pm4py_fitness_without_silent": 1 - cost / worst,
        "pm4py_log_fitness": their["log_fitness"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--logs", default=",".join(map(str, LOGS)))
    parser.add_argument("--skip-pm4py", action="store_true")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds for pm4py per log")
    args = parser.parse_args()
    if not PDC.is_dir():
        print(f"PDC 2019 data not found at {PDC}", file=sys.stderr)
        return 2
    rows, failed = [], False
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.logs.split(",")):
            folder = Path(tmp) / str(n)
            folder.mkdir()
            our = ours(n, folder)
            if "error" in our:
                print(f"log {n}: procmine failed: {our['error']}", file=sys.stderr)
                failed = True
                continue
            truth = ground_truth(n)
            accepted = {c: f == 1.0 for c, f in our["cases"].items()}
            row = {"log": n, **score(accepted, truth), "procmine": our}
            if not args.skip_pm4py:
                their = theirs(our["model"], n, folder, args.timeout)
                row["pm4py"] = their
                if "error" not in their:
                    row.update(compare(our, their))
                    failed |= not (row["same_split"] and row["same_trace_fitness"])
            rows.append(row)
            print(_line(row), flush=True)
    with contextlib.suppress(OSError):  # bench/out/ is not committed
        out = ROOT / "bench" / "out"
        out.mkdir(exist_ok=True)
        (out / "pdc_results.json").write_text(json.dumps(rows, indent=1, default=str))
    return 1 if failed else 0


def _line(row: dict[str, Any]) -> str:
    our = row["procmine"]
    text = (
        f"log {row['log']}: accuracy {row['accuracy']:.3f} (accepted {row['accepted']}/90, positives "
        f"{row['positive_recall']:.3f}, negatives {row['negative_recall']:.3f}); procmine fitness "
        f"{our['fitness']:.4f}, check {our['wall']:.1f} s ({our['cpu']:.1f} s CPU), not aligned "
        f"{our['not_aligned']}, "
        f"precision {our['precision']}"
    )
    their = row.get("pm4py")
    if their and "error" not in their:
        text += (
            f"; pm4py {their['wall']:.1f} s ({their['cpu']:.1f} s CPU), "
            f"fitness {row['pm4py_fitness_without_silent']:.4f} "
            f"(log_fitness {row['pm4py_log_fitness']:.4f}), same split {row['same_split']}, same trace "
            f"fitness and deviations {row['same_trace_fitness']}"
        )
    elif their:
        text += f"; pm4py: {their['error']}"
    return text


if __name__ == "__main__":
    raise SystemExit(main())
