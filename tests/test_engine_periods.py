"""The periods' figures counted in SQL (``engine.periods``) against the same figures from the values
themselves: rank sums and Mann-Whitney as pandas ranks them, and histogram bins as numpy floor-divides."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from procmine.analyses import significance as sig
from procmine.engine import periods as engine


def _cases(first: np.ndarray, second: np.ndarray) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    frame = pd.DataFrame({
        "quarter_key": np.array([20241] * len(first) + [20242] * len(second), dtype=np.int64),
        "throughput": np.concatenate([first, second]),
    })
    con.register(engine.PERIOD_CASES, frame)
    return con


def test_rank_sums_in_sql_give_the_test_on_the_values() -> None:
    rng = np.random.default_rng(7)
    a = rng.integers(0, 20, 200).astype(float)  # many ties, within and across the samples
    b = rng.integers(5, 25, 150).astype(float)
    a[::17] = np.nan  # missing values are left out
    sums = engine.rank_sums(_cases(a, b), "throughput", "Q", 20241, 20242)
    known = a[~np.isnan(a)]
    ranks = pd.Series(np.concatenate([known, b])).rank(method="average")
    ties = ranks.value_counts().to_numpy(dtype=float)
    assert (sums.n1, sums.n2) == (len(known), len(b))
    assert sums.rank_sum_1 == ranks[: len(known)].sum()
    assert sums.tie_term == (ties**3 - ties).sum()
    ranked = sig.mann_whitney_ranked(sums.n1, sums.n2, sums.rank_sum_1, sums.tie_term)
    assert ranked == sig.mann_whitney(a, b)
    scipy_stats = pytest.importorskip("scipy.stats")
    theirs = scipy_stats.mannwhitneyu(known, b, method="asymptotic", use_continuity=True)
    assert ranked.p_value == pytest.approx(theirs.pvalue, rel=1e-9)


def test_histogram_bins_are_numpys_floor_division() -> None:
    width, bins = 0.1, 5
    values = np.array([0.0, 0.3, 0.29999999999999993, 0.7, 0.1 * 3, 0.2, 0.5, 9.0, 0.45, 0.4])
    counted = engine.throughput_bins(_cases(values, np.array([])), width, bins)
    expected = (pd.Series(values) // width).clip(upper=bins - 1).astype(int).value_counts().to_dict()
    assert counted == expected
