"""Reading a 1M-event CSV: procmine's ``read_log`` next to ``pandas.read_csv`` + ``pm4py.format_dataframe``.

    .venv/bin/python bench/bench_read.py [--events 1000000] [--runs 3]

Generates ``bench/out/complaints_1m.csv`` once (complaint-handling events: case id, activity, start and
completion time with a UTC offset, agent, channel, segment, product, satisfaction). Each reader runs in
its own child process, so its peak RSS is its own; the best of ``--runs`` wall times is printed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).resolve().parent / "out"
ACTIVITIES = ["Register complaint", "Classify complaint", "Investigate issue", "Propose solution",
              "Call customer back", "Send confirmation letter", "Update CRM record", "Close complaint",
              "Send satisfaction survey"]


def generate(path: Path, events: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    per_case = len(ACTIVITIES)
    cases = events // per_case
    case_ids = np.repeat(np.arange(100000, 100000 + cases), per_case)
    activity = np.tile(np.array(ACTIVITIES), cases)
    case_start = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 270 * 86400, cases), unit="s")
    steps = rng.integers(600, 86400, (cases, per_case)).cumsum(axis=1)
    end = np.repeat(case_start.to_numpy(), per_case) + pd.to_timedelta(steps.ravel(), unit="s").to_numpy()
    start = end - pd.to_timedelta(rng.integers(60, 1800, len(end)), unit="s").to_numpy()
    fmt = "%Y-%m-%dT%H:%M:%S+01:00"
    frame = pd.DataFrame({
        "Complaint ID": case_ids,
        "Activity": activity,
        "Start Timestamp": pd.DatetimeIndex(start).strftime(fmt),
        "Complete Timestamp": pd.DatetimeIndex(end).strftime(fmt),
        "Agent": np.char.add("agent-", rng.integers(1, 60, len(end)).astype(str)),
        "Channel": np.repeat(rng.choice(["phone", "email", "chat"], cases), per_case),
        "Segment": np.repeat(rng.choice(["private", "business"], cases), per_case),
        "Product": np.repeat(rng.choice(["mobile", "internet", "tv", "bundle"], cases), per_case),
        "Satisfaction": np.repeat(rng.integers(0, 11, cases), per_case),
    })
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)


def run_procmine(path: str) -> dict:
    from procmine.io.logs import read_log

    started = time.perf_counter()
    log = read_log(path)
    return {"seconds": time.perf_counter() - started, "events": len(log.events)}


def run_pm4py(path: str) -> dict:
    import pm4py

    started = time.perf_counter()
    frame = pd.read_csv(path)
    frame = pm4py.format_dataframe(frame, case_id="Complaint ID", activity_key="Activity",
                                   timestamp_key="Complete Timestamp")
    return {"seconds": time.perf_counter() - started, "events": len(frame)}


def child(which: str, path: str) -> None:
    import resource

    result = {"procmine": run_procmine, "pm4py": run_pm4py}[which](path)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def measure(which: str, path: Path, runs: int) -> dict:
    best: dict | None = None
    for _ in range(runs):
        out = subprocess.run([sys.executable, __file__, "--child", which, str(path)],
                             capture_output=True, text=True, check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        if best is None or result["seconds"] < best["seconds"]:
            best = result
    assert best is not None
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("WHICH", "PATH"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    path = OUT / f"complaints_{args.events // 1000}k.csv"
    if not path.exists():
        print(f"generating {path} ...", file=sys.stderr)
        generate(path, args.events)
    size = path.stat().st_size / 1e6
    ours = measure("procmine", path, args.runs)
    theirs = measure("pm4py", path, args.runs)
    print(f"file          {path.name}: {ours['events']:,} events, {size:.0f} MB")
    print(f"procmine      read_log                              {ours['seconds']:6.2f} s  "
          f"peak RSS {ours['peak_rss_mb']:,.0f} MB")
    print(f"pm4py         pandas.read_csv + format_dataframe    {theirs['seconds']:6.2f} s  "
          f"peak RSS {theirs['peak_rss_mb']:,.0f} MB")
    print(f"ratio         pm4py / procmine                      {theirs['seconds'] / ours['seconds']:6.1f}x")


if __name__ == "__main__":
    main()
