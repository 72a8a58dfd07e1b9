"""Benchmark: what `bottlenecks` and `audit` hold in the driver (the Python process) on a log of many cases.

    .venv/bin/python bench/bench_driver_rows.py generate --cases 2000000
    .venv/bin/python bench/bench_driver_rows.py run --cases 500000 --engine spark --spark-master local[2]

The generator writes, with DuckDB alone, two Parquet logs of three steps per case (Register, Check,
Decide) with resources: ``plain.parquet`` and ``attributes.parquet``, which adds a channel (3 values), a
segment (4 values) and a 1-10 satisfaction score missing for one case in five (so the customer lens
splits the cases), and a model discovered from the plain log. Each run is its own subprocess; the
script prints the driver's own peak RSS and CPU time (``getrusage`` of the Python process: with
``--engine spark`` the JVM is not counted, with DuckDB the engine's memory is) and the wall time,
with the load average. Generated files go to ``bench/out`` (not committed).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
RUNS = {
    "bottlenecks plain": ("bottlenecks", "plain", ["--sla", "2d"]),
    "bottlenecks attributes": (
        "bottlenecks",
        "attributes",
        ["--sla", "2d", "--touchpoints", "Register,Decide"],
    ),
    "audit plain": ("audit", "plain", ["--sla", "2d"]),
    "audit attributes": ("audit", "attributes", ["--sla", "2d"]),
}
DRIVER = r"""
import json, os, resource, sys, time
from procmine.cli import run
started = time.time()
code = run(sys.argv[1:], False)
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"rc": code, "wall": time.time() - started, "cpu": usage.ru_utime + usage.ru_stime,
                  "peak_mb": usage.ru_maxrss / 1024}), file=sys.__stderr__)
"""


def generate(folder: Path, cases: int) -> None:
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(
        f"""COPY (
            SELECT 'C' || lpad(c::VARCHAR, 8, '0') AS case_id, a.name AS activity,
                   TIMESTAMP '2025-01-01' + to_seconds(c * 30 + a.k * (3600 + (hash(c, a.k) % 86400)))
                       AS timestamp,
                   'R' || (hash(c, a.k) % 50)::VARCHAR AS resource,
                   ['web', 'phone', 'shop'][1 + c % 3] AS channel,
                   ['a', 'b', 'c', 'd'][1 + (c // 7) % 4] AS segment,
                   CASE WHEN c % 5 = 0 THEN NULL ELSE 1 + hash(c) % 10 END AS satisfaction
            FROM range({int(cases)}) r(c), (VALUES (0, 'Register'), (1, 'Check'), (2, 'Decide')) a(k, name)
            ORDER BY case_id, a.k) TO '{folder / "attributes.parquet"}' (FORMAT parquet)"""
    )
    con.execute(
        f"COPY (SELECT case_id, activity, timestamp, resource FROM '{folder / 'attributes.parquet'}') "
        f"TO '{folder / 'plain.parquet'}' (FORMAT parquet)"
    )
    procmine = str(Path(PYTHON).parent / "procmine")
    subprocess.run(
        [procmine, "-q", "discover", str(folder / "plain.parquet"), "-o", str(folder / "model")],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def measure(folder: Path, name: str, engine: list[str]) -> dict:
    command, log, options = RUNS[name]
    with tempfile.TemporaryDirectory() as out:
        argv = ["-q", command]
        argv += [str(folder / "model" / "model.bpmn")] if command == "audit" else []
        argv += [str(folder / f"{log}.parquet"), *options, *engine, "-o", out]
        done = subprocess.run([PYTHON, "-c", DRIVER, *argv], capture_output=True, text=True)
    result = json.loads(done.stderr.strip().splitlines()[-1])
    if result["rc"] not in (0, 1):  # 1: an SLA breach rate over the tolerated one
        raise SystemExit(f"failed: {name}\n{done.stderr}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("generate", "run"))
    parser.add_argument("--cases", type=int, default=2_000_000)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--runs", nargs="+", default=list(RUNS), choices=list(RUNS))
    parser.add_argument("--engine", default="duckdb", choices=("duckdb", "spark"))
    parser.add_argument("--spark-master", help="with --engine spark, e.g. local[2]")
    args = parser.parse_args()
    folder = args.out or HERE / "out" / f"driver_rows_{args.cases}"
    if args.action == "generate":
        generate(folder, args.cases)
        print(f"generated {folder}")
        return
    engine = ["--engine", args.engine] + (["--spark-master", args.spark_master] if args.spark_master else [])
    print(f"{'run':>24} | {'cases':>10} | {'wall s':>7} | {'driver cpu s':>12} | {'driver MB':>9} | load")
    for name in args.runs:
        load = os.getloadavg()[0]
        r = measure(folder, name, engine)
        figures = f"{r['wall']:>7.1f} | {r['cpu']:>12.1f} | {r['peak_mb']:>9.0f}"
        print(f"{name:>24} | {args.cases:>10,} | {figures} | {load:.1f}", flush=True)


if __name__ == "__main__":
    main()
