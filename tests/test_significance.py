"""Each significance test against scipy.stats, the independent computation, on data with and without ties."""

from __future__ import annotations

import numpy as np
import pytest

from procmine.analyses import significance as sig

RNG = np.random.default_rng(7)
A = RNG.exponential(3.0, 80)
B = RNG.exponential(4.0, 95)
TIED = np.round(RNG.exponential(2.0, 60))  # many ties
TIED2 = np.round(RNG.exponential(2.6, 70))


@pytest.mark.parametrize(("a", "b"), [(A, B), (TIED, TIED2), (A[:12], B[:9]), (B, A)])
def test_mann_whitney_matches_scipy(scipy_stats, a, b):
    mine = sig.mann_whitney(a, b)
    ref = scipy_stats.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic")
    assert mine.statistic == pytest.approx(ref.statistic)
    assert mine.p_value == pytest.approx(ref.pvalue, rel=1e-9)


def test_mann_whitney_identical_samples_is_not_significant():
    result = sig.mann_whitney([5.0] * 40, [5.0] * 40)
    assert result.p_value == 1.0 and not result.significant


@pytest.mark.parametrize(("k1", "n1", "k2", "n2"), [(30, 200, 55, 210), (5, 16, 120, 243), (0, 50, 3, 60)])
def test_two_proportions_matches_the_chi_square_of_the_2x2_table(scipy_stats, k1, n1, k2, n2):
    mine = sig.two_proportions(k1, n1, k2, n2)
    ref = scipy_stats.chi2_contingency([[k1, n1 - k1], [k2, n2 - k2]], correction=False)
    assert mine.p_value == pytest.approx(ref.pvalue, rel=1e-9)
    assert mine.statistic**2 == pytest.approx(ref.statistic)


@pytest.mark.parametrize(
    ("c1", "t1", "c2", "t2"), [(260, 92.0, 243, 90.0), (260, 92.0, 16, 66.0), (3, 1, 9, 1)]
)
def test_count_rate_matches_scipy_binomtest(scipy_stats, c1, t1, c2, t2):
    mine = sig.count_rate(c1, t1, c2, t2)
    ref = scipy_stats.binomtest(c2, c1 + c2, t2 / (t1 + t2), alternative="two-sided")
    assert mine.p_value == pytest.approx(ref.pvalue, rel=1e-6)


def test_spearman_matches_scipy_one_sided(scipy_stats):
    x = RNG.integers(0, 12, 150).astype(float)
    y = x * 2.0 + RNG.normal(0, 6, 150)
    mine = sig.spearman_positive(x, y)
    ref = scipy_stats.spearmanr(x, y, alternative="greater")
    assert mine.statistic == pytest.approx(ref.statistic)
    assert mine.p_value == pytest.approx(ref.pvalue, rel=1e-9)
    assert mine.significant
    noise = RNG.normal(0, 1, 150)
    unrelated = sig.spearman_positive(x, noise)
    ref = scipy_stats.spearmanr(x, noise, alternative="greater")
    assert unrelated.p_value == pytest.approx(ref.pvalue, rel=1e-9)


def test_kruskal_and_chi_square_match_scipy(scipy_stats):
    groups = [A, B, TIED]
    assert sig.kruskal(groups).p_value == pytest.approx(scipy_stats.kruskal(*groups).pvalue, rel=1e-9)
    table = [[12, 30], [25, 20], [5, 40]]
    ref = scipy_stats.chi2_contingency(table, correction=False)
    assert sig.chi_square(table).p_value == pytest.approx(ref.pvalue, rel=1e-9)


def test_benjamini_hochberg_matches_scipy(scipy_stats):
    p = [0.001, 0.2, 0.03, 0.04, 0.5, 0.012, 0.9]
    assert sig.benjamini_hochberg(p) == pytest.approx(list(scipy_stats.false_discovery_control(p)))
