"""Sums and means of durations do not depend on how many threads DuckDB adds them with (``engine.exact``):
a plain floating-point ``sum`` over a large table changes in its last digits with the thread count, which
made the same log give a different report.json from one run to the next."""

from __future__ import annotations

import duckdb
import numpy as np

from procmine.engine import exact


def test_sums_and_means_are_the_same_on_any_number_of_threads():
    seconds = np.round(np.random.default_rng(7).exponential(86_400.0, 3_000_000), 6)  # whole microseconds
    micro = [round(s * 1e6) for s in seconds.tolist()]
    expected_total = sum(micro) / 1e6  # Python's integers: exact
    results = set()
    for threads in (1, 2, 4, 8):
        con = duckdb.connect()
        con.execute(f"SET threads = {threads}")
        con.register("v", {"s": seconds})
        con.execute("CREATE TABLE t AS SELECT s FROM v")
        results.add(con.execute(f"SELECT {exact.total('s')}, {exact.mean('s')} FROM t").fetchone())
        con.close()
    assert len(results) == 1
    ((total, mean),) = results
    assert total == expected_total
    assert abs(mean - expected_total / len(micro)) < 1e-9 * mean


def test_no_rows_give_no_total():
    con = duckdb.connect()
    con.execute("CREATE TABLE t (s DOUBLE)")
    assert con.execute(f"SELECT {exact.total('s')}, {exact.mean('s')} FROM t").fetchone() == (None, None)
