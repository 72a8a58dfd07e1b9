"""Exact quantiles out of core (engine.quantiles): the counted way gives DuckDB's quantile_cont."""

from __future__ import annotations

import math
import random

import duckdb
import pytest

from procmine.engine import quantiles

POINTS = {"p10": 0.1, "median": 0.5, "p90": 0.9, "p95": 0.95}


@pytest.fixture
def con():
    con = duckdb.connect()
    draw = random.Random(5)
    rows = []
    for group in range(40):
        size = draw.choice([1, 2, 3, 7, 50, 400])
        for _ in range(size):
            value = draw.choice(
                [None, round(draw.uniform(0, 1e5), 3), float(draw.randrange(5)), 1e9 * draw.random()]
            )
            rows.append((f"g{group % 7}", group, value))
    rows += [("empty", 99, None), ("empty", 99, None)]  # a group without a single value
    con.execute("CREATE TABLE t (a VARCHAR, b INTEGER, x DOUBLE)")
    con.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    return con


def _rows(con, sql, keys):
    return {tuple(r[: len(keys)]): r[len(keys) :] for r in con.execute(sql).fetchall()}


@pytest.mark.parametrize("keys", [["a", "b"], ["a"], []])
def test_counted_quantiles_equal_quantile_cont(con, monkeypatch, keys):
    measures = {"x_": "x", "y_": "x * 2 - 1"}
    held = _rows(con, quantiles._holistic("t", keys, measures, POINTS, "true"), keys)
    monkeypatch.setattr(quantiles, "MEMORY_SHARE", 0.0)  # as if the values did not fit in memory
    counted_sql = quantiles.quantiles_sql(con, "t", keys, measures, POINTS)
    assert "quantile_cont" not in counted_sql
    counted = _rows(con, counted_sql, keys)
    assert counted.keys() == held.keys()
    for key, values in held.items():
        for expected, got in zip(values, counted[key], strict=True):
            if expected is None:
                assert got is None, key
            else:
                assert math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-9), (key, got, expected)


def test_the_counted_way_is_chosen_only_when_the_values_would_not_fit(con, monkeypatch):
    con.execute("SET memory_limit = '4GB'")
    assert "quantile_cont" in quantiles.quantiles_sql(con, "t", ["a"], {"x_": "x"})
    rows = con.execute("SELECT count(*) FROM t").fetchall()[0][0]
    share = quantiles.memory_limit_bytes(con) * quantiles.MEMORY_SHARE
    monkeypatch.setattr(quantiles, "BYTES_PER_VALUE", share / (3 * rows))  # 2 states fit, 4 do not
    assert "quantile_cont" in quantiles.quantiles_sql(con, "t", ["a"], {"x_": "x"})
    assert "quantile_cont" not in quantiles.quantiles_sql(con, "t", ["a"], {"x_": "x", "y_": "x"})


def test_the_memory_limit_is_read_in_bytes(con):
    con.execute("SET memory_limit = '2GB'")
    assert quantiles.memory_limit_bytes(con) == pytest.approx(2e9, rel=0.1)
