"""Reading an XES log: what ``read_log`` spends besides rustxes's parse, statement by statement.

    .venv/bin/python bench/bench_read_xes.py [LOG ...] [--runs 3]

Default logs: the BPIC 2020 Permit log (81,092 events, 169 columns) and BPIC 2012 (262,200 rows, 8
columns) from the shared data. Each run is a fresh child process reading the log whole (``processes=1``: no
forked half, so all the CPU is this process's): rustxes's parse as ``read_log`` runs it (in pieces where the
input check's scan found them: ``xes_pieces``) and its Arrow table alone (the floor: what this reader of the
file pays for the parse), then ``read_log``, with the CPU time of each of its DuckDB statements; then, in
another fresh child, ``read_log`` as commands run it (two halves at once where the log allows: the CPU of
both processes). Prints the best run's figures (CPU seconds of all threads; wall time alongside) and the
costliest statements (``--top``). Record ``uptime`` with the figures: timing on a shared machine is noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PROCMINE_SHARED_DATA", ROOT.parent / "shared" / "data"))
LOGS = [
    SHARED / "logs" / "real" / "bpic2020_bptlab" / "PermitLog.xes.gz",
    SHARED / "logs" / "pm4py" / "input_data" / "bpic2012.xes.gz",
]


class Timed:
    """A DuckDB connection that times each statement it runs (wall, CPU of the process)."""

    def __init__(self, con: Any, spent: list[tuple[float, float, str]]) -> None:
        self._con, self._spent = con, spent

    def execute(self, sql: str, *args: Any) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return self._con.execute(sql, *args)
        finally:
            text = " ".join(str(sql).split())
            self._spent.append((time.perf_counter() - wall, time.process_time() - cpu, text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


def child(path: Path) -> dict[str, Any]:
    """One run: the parse alone, then read_log with its statements timed."""
    from procmine.io import rustxes_parse, store
    from procmine.io.input_files import check_log_file
    from procmine.io.logs import read_log
    from procmine.io.xes_log import _silenced, table_from_rustxes

    facts = check_log_file(path, "xes")
    wall, cpu = time.perf_counter(), time.process_time()
    with _silenced():
        table = table_from_rustxes(rustxes_parse.events(str(path), facts))
    parse = (time.perf_counter() - wall, time.process_time() - cpu)
    del table
    spent: list[tuple[float, float, str]] = []
    connect = store.connect
    store.connect = lambda *a, **k: Timed(connect(*a, **k), spent)  # type: ignore[assignment]
    wall, cpu = time.perf_counter(), time.process_time()
    log = read_log(path, processes=1)
    read = (time.perf_counter() - wall, time.process_time() - cpu)
    top = sorted(spent, key=lambda s: -s[1])
    return {
        "events": log.quality.rows_read,
        "parse": parse,
        "read": read,
        "sql": (sum(s[0] for s in spent), sum(s[1] for s in spent)),
        "top": [(w, c, text[:70]) for w, c, text in top],
    }


def halves(path: Path) -> dict[str, Any]:
    """One run: read_log as commands run it; CPU of this process and its forked half."""
    import resource

    from procmine.io.logs import read_log

    wall = time.perf_counter()
    log = read_log(path)
    spent = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return {
        "events": log.quality.rows_read,
        "wall": time.perf_counter() - wall,
        "cpu": sum(r.ru_utime + r.ru_stime for r in spent),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("logs", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--top", type=int, default=4, help="statements shown")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--halves", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    if args.halves:
        print(json.dumps(halves(args.halves)))
        return
    print(f"load average {os.getloadavg()[0]:.1f}")
    for path in args.logs or LOGS:
        if not path.exists():
            print(f"{path}: absent, skipped")
            continue
        runs, commands = [], []
        for _ in range(args.runs):
            runs.append(_run(path))
            commands.append(_run(path, "--halves"))
        best = min(runs, key=lambda r: r["read"][1])
        print(f"{path.name}: {best['events']:,} rows, best of {args.runs} (CPU s; wall s)")
        steps = (("rustxes + Arrow table (floor)", "parse"), ("read_log", "read"), ("  its SQL", "sql"))
        for label, key in steps:
            print(f"  {label:30s} {best[key][1]:6.2f} CPU {best[key][0]:6.2f} wall")
        print(f"  read_log / floor (CPU)         {best['read'][1] / best['parse'][1]:6.2f}x")
        for wall, cpu, text in best["top"][: args.top]:
            print(f"    {cpu:6.3f} CPU {wall:6.3f} wall  {text}")
        command = min(commands, key=lambda r: r["wall"])
        walls = " ".join(f"{r['wall']:.2f}" for r in commands)
        print(f"  read_log as commands run it    {command['cpu']:6.2f} CPU {command['wall']:6.2f} wall")
        print(f"    (two halves where the log allows: CPU of both processes; walls {walls})")
    print(f"load average {os.getloadavg()[0]:.1f}")


def _run(path: Path, how: str = "--child") -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, how, str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
