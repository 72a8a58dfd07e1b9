"""Would a CSV read by polars into Arrow, with DuckDB keeping only the canonical columns, read faster?

    .venv/bin/python bench/bench_read_arrow.py [--csv FILE] [--runs 5]

A probe of a path procmine does not take (docs/benchmarks.md, "Reading vs DuckDB's bare scan"), on
``bench_read.py``'s 1M-event complaints CSV by default. Alternately in one process, best of ``--runs``,
wall and CPU seconds (of all threads): DuckDB's bare scan; ``read_log`` (its one pass, the ``CREATE TABLE``
of every column straight from DuckDB's CSV reader, apart from the rest of its statements); ``polars.read_csv``
with every column as text; DuckDB's ``CREATE TABLE`` of the canonical columns (case, activity, the two
times cast to UTC, resource) and the hash of case, activity and time from that Arrow table, read in place
through a view with ``__row``; the same with only the typed times and the hash (the text left in Arrow).
The estimate is ``read_log`` with its one pass replaced by the parse and the narrow table.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl
import pyarrow as pa

import procmine.io.store as store
from procmine.io.logs import read_log

DEFAULT = Path(__file__).resolve().parent / "out" / "complaints_1000k.csv"
# the table the one pass would write from the Arrow table: the canonical columns and the hash of copies
CANONICAL = """CREATE TABLE _stage_data AS SELECT *, hash(case_id, activity, timestamp) AS __key FROM (
    SELECT nullif("Complaint ID", '') AS case_id, nullif("Activity", '') AS activity,
    try_cast("Complete Timestamp" AS TIMESTAMPTZ) AS timestamp,
    try_cast("Start Timestamp" AS TIMESTAMPTZ) AS start_timestamp, nullif("Agent", '') AS resource
    FROM _arrow)"""
# the same with the text left in Arrow: only the typed times and the hash
TIMES = """CREATE TABLE _stage_data AS
    SELECT timestamp, start_timestamp, hash(c, a, timestamp) AS __key FROM (
    SELECT "Complaint ID" AS c, "Activity" AS a, try_cast("Complete Timestamp" AS TIMESTAMPTZ) AS timestamp,
    try_cast("Start Timestamp" AS TIMESTAMPTZ) AS start_timestamp FROM _arrow)"""


class _Timed:
    """A connection that records each statement's wall and CPU seconds (``read_log``'s one pass)."""

    def __init__(self, con: Any, log: list[tuple[str, float, float]]) -> None:
        self._con, self._log = con, log

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)

    def cursor(self) -> _Timed:
        return _Timed(self._con.cursor(), self._log)

    def execute(self, sql: str, *args: Any) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        result = self._con.execute(sql, *args)
        self._log.append((sql, time.perf_counter() - wall, time.process_time() - cpu))
        return result


def timed(action: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def connection() -> Any:
    con = duckdb.connect(config={"threads": store._cores()})
    con.execute("SET enable_progress_bar = false; SET TimeZone = 'UTC'")
    return con


def arrow_table(path: Path) -> pa.Table:
    frame = pl.read_csv(path, infer_schema=False)
    table = frame.to_arrow(compat_level=pl.CompatLevel.newest())  # (string views: no copy)
    return table.add_column(0, "__row", pa.array(np.arange(len(table), dtype=np.int64)))


def bare_scan(path: Path) -> tuple[float, float]:
    con = connection()
    columns = 'count(*), count(DISTINCT "Complaint ID"), min("Complete Timestamp")'
    sql = f"SELECT {columns} FROM read_csv('{path}')"
    seconds = timed(lambda: con.execute(sql).fetchall())[1:]
    con.close()
    return seconds


def narrow_table(table: pa.Table, sql: str) -> tuple[float, float]:
    """Wall and CPU seconds of ``sql`` over ``table``, read in place (the connection is not timed)."""
    con = connection()
    con.register("_arrow", table)
    seconds = timed(lambda: con.execute(sql))[1:]
    con.close()
    return seconds


def measure(path: Path, runs: int) -> dict[str, tuple[float, float]]:
    statements: list[tuple[str, float, float]] = []
    connect = store.connect
    store.connect = lambda *a, **k: _Timed(connect(*a, **k), statements)  # type: ignore[assignment]
    read_log(path)  # warm: imports, file cache
    best: dict[str, tuple[float, float]] = {}

    def keep(label: str, wall: float, cpu: float) -> None:
        old = best.get(label, (float("inf"), float("inf")))
        best[label] = (min(old[0], wall), min(old[1], cpu))

    for _ in range(runs):
        keep("DuckDB bare scan", *bare_scan(path))
        statements.clear()
        _, wall, cpu = timed(lambda: read_log(path))
        keep("read_log", wall, cpu)
        one_pass = next((w, c) for sql, w, c in statements if "TABLE _stage_data AS" in sql)
        keep("  its one pass (every column)", *one_pass)
        keep("  the rest of read_log", wall - one_pass[0], cpu - one_pass[1])
        table, wall, cpu = timed(lambda: arrow_table(path))
        keep("polars.read_csv, all text, as Arrow", wall, cpu)
        keep("  canonical columns + hash from Arrow", *narrow_table(table, CANONICAL))
        keep("  only the two times + hash from Arrow", *narrow_table(table, TIMES))
        del table
    store.connect = connect  # type: ignore[assignment]
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv", type=Path, default=DEFAULT)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    best = measure(args.csv, args.runs)
    print(f"{args.csv.name}: best of {args.runs}, alternating, one process")
    print(f"  {'':42s} {'wall':>6s}   {'CPU':>6s}")
    for label, (wall, cpu) in best.items():
        print(f"  {label:42s} {wall:6.3f} s {cpu:6.3f} s")
    scan = best["DuckDB bare scan"]
    rest, parse = best["  the rest of read_log"], best["polars.read_csv, all text, as Arrow"]
    estimates = (
        ("read_log", "read_log"),
        ("estimate: polars + canonical columns", "  canonical columns + hash from Arrow"),
        ("estimate: polars + times only", "  only the two times + hash from Arrow"),
    )
    for label, key in estimates:
        parts = (best[key],) if key == "read_log" else (rest, parse, best[key])
        figures = tuple(map(sum, zip(*parts, strict=True)))
        print(f"  {label + ' / scan':42s} {figures[0] / scan[0]:6.2f}x   {figures[1] / scan[1]:6.2f}x")


if __name__ == "__main__":
    main()
