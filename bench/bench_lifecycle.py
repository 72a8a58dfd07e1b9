"""Lifecycle pairing next to its physical floor: merging start and complete rows into events
(``io/lifecycle.events`` and writing the events into a table) against copying the completions alone.

    .venv/bin/python bench/bench_lifecycle.py [--rows 4000000] [--runs 3]

The rows are generated in DuckDB: cases of four activities, each started and completed (a start is its
completion's row minus one, times a minute apart with a few seconds of jitter, so some ties and reversals),
and one row in 50 a ``schedule`` transition set aside. Both are timed alternately in one process, best of
``--runs``; wall and CPU seconds (all of DuckDB's threads) are printed with their ratio. Record ``uptime``
with the figures: the machine is shared.
"""

from __future__ import annotations

import argparse
import time

import duckdb

from procmine.io import lifecycle

ROWS_SQL = """
CREATE OR REPLACE TABLE kept AS
SELECT 'case' || (i // 8) AS case_id, 'Activity ' || ((i % 8) // 2) AS activity,
       TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i * 60 + hash(i) % 7) AS timestamp,
       i AS "row", 'x' || (i % 97) AS extra,
       CAST(CASE WHEN hash(i) % 50 = 0 THEN 2 WHEN i % 2 = 0 THEN 1 ELSE 0 END AS INTEGER) AS {kind},
       CASE WHEN hash(i) % 50 = 0 THEN 'schedule' WHEN i % 2 = 0 THEN 'start' ELSE 'complete' END AS {word}
FROM range({rows}) t(i)
"""


def paired(con: duckdb.DuckDBPyConnection) -> None:
    lifecycle.events(con, "kept", "paired_view", start_column=False, dropped={}, notes=[])
    con.execute("CREATE OR REPLACE TABLE events AS SELECT * FROM paired_view")
    con.execute("DROP VIEW paired_view")
    lifecycle.release(con)


def copied(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE OR REPLACE TABLE events AS SELECT * FROM kept WHERE {lifecycle.KIND} = 0")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=4_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(ROWS_SQL.format(kind=lifecycle.KIND, word=lifecycle.WORD, rows=args.rows))
    best = {"pairing": (float("inf"), float("inf")), "copy": (float("inf"), float("inf"))}
    for _ in range(args.runs):
        for name, step in (("pairing", paired), ("copy", copied)):
            started, cpu = time.perf_counter(), time.process_time()
            step(con)
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
    paired(con)
    events, started = con.execute("SELECT count(*), count(start_timestamp) FROM events").fetchall()[0]
    print(f"{args.rows:,} lifecycle rows: {events:,} events, {started:,} with a start")
    print(f"best of {args.runs}, alternating")
    print(f"  {'':48s} {'wall':>7s}   {'CPU':>7s}")
    for label, name in (("copy the completions (the floor)", "copy"), ("pair, write the events", "pairing")):
        print(f"  {label:48s} {best[name][0]:7.2f} s {best[name][1]:7.2f} s")
    ratio = [best["pairing"][i] / best["copy"][i] for i in (0, 1)]
    print(f"  {'ratio':48s} {ratio[0]:7.1f}x  {ratio[1]:7.1f}x")


if __name__ == "__main__":
    main()
