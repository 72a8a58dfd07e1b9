"""Benchmark: procmine on logs larger than memory allows as a frame (generated Parquet datasets).

    .venv/bin/python bench/bench_scale.py generate --events 100000000 [--out bench/out/scale_100m]
    .venv/bin/python bench/bench_scale.py run --events 100000000 --commands discover bottlenecks
    .venv/bin/python bench/bench_scale.py run --events 10000000 --commands check audit

The generator writes, with DuckDB alone (no Python per event), a Parquet dataset (a folder of files) of a
process with 30 activities in ten stages: each stage is a main step followed by one of two alternatives
(20 events per case, so 100M events are 5M cases), with a case in 50 skipping a step (a deviation that
``check`` finds), and the BPMN model of that process (``model.bpmn`` beside the dataset). Each command runs
in its own subprocess; the script prints its wall time, CPU time and peak RSS (of the whole process tree,
sampled each second, so a Spark run counts its Java process), with the load average; ``--by-thread`` adds
the CPU time per kind of thread (a Spark run's JIT compilers, executor tasks, garbage collector...).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
PYTHON = sys.executable
STAGES = 10
EVENTS_PER_CASE = 2 * STAGES

MEASURE = r"""
import json, os, resource, subprocess, sys, tempfile, time

def tree(root):
    # the process tree under root, from /proc (Linux): pid -> (CPU ticks, RSS pages)
    stats = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(pid)] = (int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[21]))
    found, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            found[pid] = stats[pid][1:]
            todo += [p for p, s in stats.items() if s[0] == pid]
    return found

def threads(pids):
    # CPU ticks per thread, by thread name without its number ("C2 CompilerThread0" -> "C2 CompilerThread")
    out = {}
    for pid in pids:
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                with open(f"/proc/{pid}/task/{tid}/stat") as f:
                    text = f.read()
            except OSError:
                continue
            fields = text.rsplit(")", 1)[1].split()
            out[(pid, tid)] = (text[text.index("(") + 1:text.rindex(")")], int(fields[11]) + int(fields[12]))
    return out

t0 = time.time()
# stdout (audit's whole JSON report) is thrown away and stderr goes to a file: a pipe nobody reads
# while the child runs stops it once the pipe's buffer is full
err_file = tempfile.TemporaryFile(mode="w+")
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=err_file, text=True)
ticks, peak, by_thread = {}, 0, {}
while child.poll() is None:
    seen = tree(child.pid)
    ticks.update({pid: cpu for pid, (cpu, _) in seen.items()})
    peak = max(peak, sum(rss for _, rss in seen.values()))
    if os.environ.get("BENCH_BY_THREAD"):
        by_thread.update(threads(seen))
    time.sleep(1)
child.wait()
err_file.seek(0)
err = err_file.read()
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
hz, page = os.sysconf("SC_CLK_TCK"), os.sysconf("SC_PAGE_SIZE")
groups = {}
for name, cpu in by_thread.values():
    name = name.rstrip("0123456789#-").strip()
    groups[name] = groups.get(name, 0) + cpu / hz
print(json.dumps({"rc": child.returncode, "seconds": time.time() - t0,
                  "cpu": max(usage.ru_utime + usage.ru_stime, sum(ticks.values()) / hz),
                  "peak_mb": max(usage.ru_maxrss / 1024, peak * page / 2**20),
                  "threads": groups, "stderr": err[-2000:]}))
"""


def activity_names() -> list[str]:
    names = []
    for k in range(1, STAGES + 1):
        names += [f"Step {k:02d}", f"Step {k:02d} option A", f"Step {k:02d} option B"]
    return names


def generate(folder: Path, events: int) -> None:
    """The dataset (``folder/part-*.parquet``) and ``folder.parent/<name>.bpmn``."""
    import duckdb

    cases = events // EVENTS_PER_CASE
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET memory_limit = '3GB'")
    # event e of case c: stage k = e // 2; even e the main step, odd e option A (70%) or B (30%);
    # times: the case starts somewhere in 2025, each event 1-240 minutes after the one before.
    con.execute(
        f"""
        COPY (
            SELECT 'case-' || lpad(CAST(c AS VARCHAR), 8, '0') AS case_id,
                   CASE WHEN e % 2 = 0 THEN printf('Step %02d', e // 2 + 1)
                        WHEN hash(c, e) % 10 < 7 THEN printf('Step %02d option A', e // 2 + 1)
                        ELSE printf('Step %02d option B', e // 2 + 1) END AS activity,
                   TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_minutes(CAST(hash(c) % 525600 AS BIGINT))
                       + to_minutes(CAST(e * 240 + hash(c, e, 1) % 240 AS BIGINT)) AS timestamp,
                   'r' || CAST(hash(c, e, 2) % 50 AS VARCHAR) AS resource
            FROM range({cases}) t(c), range({EVENTS_PER_CASE}) u(e)
            WHERE NOT (c % 50 = 7 AND e = 6)
        ) TO '{folder}' (FORMAT parquet, PER_THREAD_OUTPUT true, ROW_GROUP_SIZE 1000000,
                         COMPRESSION zstd, OVERWRITE_OR_IGNORE true)
        """
    )
    (folder.parent / f"{folder.name}.bpmn").write_text(bpmn_model(), encoding="utf-8")


def bpmn_model() -> str:
    """Start -> (Step k -> XOR(option A | option B) -> XOR) x 10 -> end, as BPMN 2.0 XML."""
    nodes = ['<startEvent id="start"/>']
    flows: list[tuple[str, str]] = []
    previous = "start"
    for k in range(1, STAGES + 1):
        step, split, join = f"step{k}", f"split{k}", f"join{k}"
        nodes += [f'<task id="{step}" name="Step {k:02d}"/>',
                  f'<exclusiveGateway id="{split}"/>', f'<exclusiveGateway id="{join}"/>']
        flows += [(previous, step), (step, split)]
        for option in ("A", "B"):
            task = f"step{k}{option.lower()}"
            nodes.append(f'<task id="{task}" name="Step {k:02d} option {option}"/>')
            flows += [(split, task), (task, join)]
        previous = join
    nodes.append('<endEvent id="end"/>')
    flows.append((previous, "end"))
    flow_xml = "\n    ".join(
        f'<sequenceFlow id="f{i}" sourceRef="{s}" targetRef="{t}"/>' for i, (s, t) in enumerate(flows)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="scale" '
        'targetNamespace="http://procmine.example/scale">\n'
        '  <process id="scale_process" name="Generated scale process" isExecutable="false">\n    '
        + "\n    ".join(nodes) + "\n    " + flow_xml + "\n  </process>\n</definitions>\n"
    )


def measure(command: list[str], by_thread: bool = False) -> dict:
    env = {**os.environ, **({"BENCH_BY_THREAD": "1"} if by_thread else {})}
    done = subprocess.run([PYTHON, "-c", MEASURE, *command], capture_output=True, text=True, env=env)
    result = json.loads(done.stdout)
    if result["rc"] not in (0, 1):  # check exits 1 when findings pass the threshold
        raise SystemExit(f"failed: {' '.join(command)}\n{result['stderr']}")
    return result


def dataset(events: int, out: Path | None) -> Path:
    return out or OUT / f"scale_{events // 1_000_000}m"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("generate", "run"))
    parser.add_argument("--events", type=int, default=100_000_000)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--commands", nargs="+", default=["discover", "bottlenecks"])
    parser.add_argument("--memory-limit", default="2GB")
    parser.add_argument("--engine", default="duckdb")
    parser.add_argument("--spark-master", help="with --engine spark, e.g. local[1]")
    parser.add_argument("--by-thread", action="store_true",
                        help="also print CPU time per kind of thread (JIT compiler, executor tasks, GC...)")
    args = parser.parse_args()
    folder = dataset(args.events, args.out)
    if args.action == "generate":
        started = time.time()
        generate(folder, args.events)
        print(f"generated {folder} in {time.time() - started:.0f} s", flush=True)
        return
    procmine = str(Path(PYTHON).parent / "procmine")
    model = folder.parent / f"{folder.name}.bpmn"
    print(f"{'command':>12} | {'events':>12} | {'wall s':>8} | {'cpu s':>8} | {'peak RSS MB':>11} | load",
          flush=True)
    for command in args.commands:
        load = os.getloadavg()[0]
        with tempfile.TemporaryDirectory() as tmp:
            argv = [procmine, "-q", command]
            argv += [str(model), str(folder)] if command in ("check", "audit") else [str(folder)]
            argv += ["--memory-limit", args.memory_limit, "--format", "json"]
            if args.engine != "duckdb":
                argv += ["--engine", args.engine]
            if args.spark_master:
                argv += ["--spark-master", args.spark_master]
            if command in ("discover", "check", "audit"):  # check -o writes case_fitness.csv
                argv += ["-o", tmp]
            result = measure(argv, args.by_thread)
        print(f"{command:>12} | {args.events:>12,} | {result['seconds']:>8.1f} | {result['cpu']:>8.1f} | "
              f"{result['peak_mb']:>11.0f} | {load:.1f}", flush=True)
        if args.by_thread:
            top = sorted(result["threads"].items(), key=lambda kv: -kv[1])[:8]
            print("    CPU by thread: " + ", ".join(f"{name} {cpu:.1f} s" for name, cpu in top), flush=True)


if __name__ == "__main__":
    main()
