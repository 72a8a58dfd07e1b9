"""The significance tests behind every claimed difference in a report, each with its name and p value.

- durations (throughput times, waits) of two groups: Mann-Whitney U, two-sided, normal approximation with
  tie and continuity correction (scipy's ``mannwhitneyu(method="asymptotic")``);
- shares of two groups (SLA breaches, conforming cases): the two-proportion z test with a pooled share
  (the same p value as a chi-square test of the 2x2 table without continuity correction);
- case counts of two periods of given lengths: the exact binomial test of the second period's share of the
  cases against its share of the time (a Poisson rate comparison);
- a monotone relation of two figures (the wait against the work in progress at arrival): Spearman's rank
  correlation with the t approximation;
- several groups: Kruskal-Wallis H for durations and scores, the chi-square test of independence for
  shares; and Benjamini-Hochberg adjusted p values when many attributes are tested at once.

Only ``scipy.special`` is imported (a few tenths of a second; ``scipy.stats`` costs seconds); the tests
compare each function with ``scipy.stats``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

ALPHA = 0.05


@dataclass(frozen=True)
class TestResult:
    """A test's name, its statistic and its p value (None when the test could not be run)."""

    __test__ = False  # not a pytest class

    name: str
    statistic: float | None
    p_value: float | None

    @property
    def significant(self) -> bool:
        return self.p_value is not None and self.p_value < ALPHA

    def to_dict(self) -> dict[str, object]:
        return {"test": self.name, "statistic": self.statistic, "p_value": self.p_value}


MANN_WHITNEY = "Mann-Whitney U (two-sided)"
TWO_PROPORTIONS = "two-proportion z test (two-sided)"
COUNT_RATE = "exact binomial test of case counts per day (two-sided)"
SPEARMAN = "Spearman rank correlation (one-sided, positive)"
KRUSKAL = "Kruskal-Wallis H"
CHI_SQUARE = "chi-square test of independence"


def _ranks(values: np.ndarray) -> np.ndarray:
    return pd.Series(values).rank(method="average").to_numpy(dtype=float)


def _tie_term(ranks: np.ndarray) -> float:
    _, ties = np.unique(ranks, return_counts=True)
    t = ties.astype(float)
    return float((t**3 - t).sum())


def _normal_two_sided(z: float) -> float:
    return min(1.0, math.erfc(abs(z) / math.sqrt(2)))


def mann_whitney(first: Sequence[float], second: Sequence[float]) -> TestResult:
    """Do the two samples come from the same distribution? Two-sided."""
    a = np.asarray(first, dtype=float)
    b = np.asarray(second, dtype=float)
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    n1, n2 = len(a), len(b)
    if not n1 or not n2:
        return TestResult(MANN_WHITNEY, None, None)
    ranks = _ranks(np.concatenate([a, b]))
    return mann_whitney_ranked(n1, n2, float(ranks[:n1].sum()), _tie_term(ranks))


def mann_whitney_ranked(n1: int, n2: int, rank_sum_1: float, tie_term: float) -> TestResult:
    """``mann_whitney`` from what it reads off the ranks of both samples together: the first sample's
    rank sum (tied values get their mean rank) and the sum of t^3 - t over the groups of t tied values
    (so an engine can rank the values without handing them over)."""
    if not n1 or not n2:
        return TestResult(MANN_WHITNEY, None, None)
    u1 = float(rank_sum_1 - n1 * (n1 + 1) / 2)
    n = n1 + n2
    spread = math.sqrt(n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1)))) if n > 1 else 0.0
    if spread == 0:
        return TestResult(MANN_WHITNEY, u1, 1.0)
    u = max(u1, n1 * n2 - u1)
    z = (u - n1 * n2 / 2 - 0.5) / spread
    return TestResult(MANN_WHITNEY, u1, _normal_two_sided(z) if z > 0 else 1.0)


def mann_whitney_counted(first: dict[float, int], second: dict[float, int]) -> TestResult:
    """``mann_whitney`` of two samples given as cases per value (a value's cases are ties: their mean
    rank), without expanding them: two quarters' throughput bins or case fitness values."""
    twice_rank_sum_1, tie_term, below = 0, 0, 0
    for value in sorted(set(first) | set(second)):
        a, tied = first.get(value, 0), first.get(value, 0) + second.get(value, 0)
        twice_rank_sum_1 += a * (2 * below + tied + 1)  # (mean ranks are halves: exact in integers)
        tie_term += tied**3 - tied
        below += tied
    n1, n2 = sum(first.values()), sum(second.values())
    return mann_whitney_ranked(n1, n2, twice_rank_sum_1 / 2, float(tie_term))


def two_proportions(hits1: int, n1: int, hits2: int, n2: int) -> TestResult:
    """Is the share hits1/n1 different from hits2/n2? Pooled z test, two-sided."""
    if not n1 or not n2:
        return TestResult(TWO_PROPORTIONS, None, None)
    pooled = (hits1 + hits2) / (n1 + n2)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if spread == 0:
        return TestResult(TWO_PROPORTIONS, 0.0, 1.0)
    z = (hits2 / n2 - hits1 / n1) / spread
    return TestResult(TWO_PROPORTIONS, z, _normal_two_sided(z))


def count_rate(count1: int, length1: float, count2: int, length2: float) -> TestResult:
    """Did cases arrive (or complete) at a different rate in the second period? ``count2`` out of
    ``count1 + count2`` against the binomial with the second period's share of the time; the two-sided p
    value sums every outcome no more likely than the one observed (as ``scipy.stats.binomtest``)."""
    n = count1 + count2
    if n == 0 or length1 <= 0 or length2 <= 0:
        return TestResult(COUNT_RATE, None, None)
    share = length2 / (length1 + length2)
    k = np.arange(n + 1, dtype=float)
    from scipy.special import gammaln

    log_pmf = gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1) + k * math.log(share)
    log_pmf += (n - k) * math.log1p(-share)
    observed = log_pmf[count2]
    p = float(np.exp(log_pmf[log_pmf <= observed + 1e-7 * abs(observed) + 1e-12]).sum())
    return TestResult(COUNT_RATE, float(count2), min(1.0, p))


def spearman_positive(x: Sequence[float], y: Sequence[float]) -> TestResult:
    """Does ``y`` grow with ``x``? Spearman's rho, one-sided p value (t approximation, as scipy)."""
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = len(xs)
    if n < 3:
        return TestResult(SPEARMAN, None, None)
    rx, ry = _ranks(xs), _ranks(ys)
    if rx.std() == 0 or ry.std() == 0:
        return TestResult(SPEARMAN, 0.0, 1.0)
    rho = float(np.corrcoef(rx, ry)[0, 1])
    rho = max(-1.0, min(1.0, rho))
    if rho >= 1.0:
        return TestResult(SPEARMAN, 1.0, 0.0)
    from scipy.special import stdtr

    t = rho * math.sqrt((n - 2) / ((1 - rho) * (1 + rho)))
    return TestResult(SPEARMAN, rho, float(stdtr(n - 2, -t)))


def kruskal(groups: Sequence[Sequence[float]]) -> TestResult:
    """Do several groups share one distribution? Kruskal-Wallis H with tie correction."""
    arrays = [np.asarray(g, dtype=float) for g in groups]
    arrays = [g[~np.isnan(g)] for g in arrays]
    arrays = [g for g in arrays if len(g)]
    if len(arrays) < 2:
        return TestResult(KRUSKAL, None, None)
    ranks = _ranks(np.concatenate(arrays))
    n = len(ranks)
    h, at = 0.0, 0
    for g in arrays:
        h += ranks[at : at + len(g)].sum() ** 2 / len(g)
        at += len(g)
    h = 12.0 / (n * (n + 1)) * h - 3 * (n + 1)
    correction = 1 - _tie_term(ranks) / (n**3 - n)
    if correction == 0:
        return TestResult(KRUSKAL, 0.0, 1.0)
    from scipy.special import chdtrc

    h /= correction
    return TestResult(KRUSKAL, float(h), float(chdtrc(len(arrays) - 1, h)))


def chi_square(table: Sequence[Sequence[float]]) -> TestResult:
    """Are rows and columns of a contingency table independent? Pearson's chi-square, no correction."""
    observed = np.asarray(table, dtype=float)
    observed = observed[observed.sum(axis=1) > 0][:, observed.sum(axis=0) > 0]
    if observed.ndim != 2 or min(observed.shape) < 2:
        return TestResult(CHI_SQUARE, None, None)
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / observed.sum()
    statistic = float(((observed - expected) ** 2 / expected).sum())
    dof = (observed.shape[0] - 1) * (observed.shape[1] - 1)
    from scipy.special import chdtrc

    return TestResult(CHI_SQUARE, statistic, float(chdtrc(dof, statistic)))


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Adjusted p values controlling the false discovery rate over all the tests made together."""
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if not m:
        return []
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(scaled[::-1])[::-1].clip(max=1.0)
    out = np.empty(m)
    out[order] = adjusted
    return [float(v) for v in out]


def share_text(share: float) -> str:
    """A share as the report prints it: one decimal below 10 % ("4.6%"), "< 0.1%" for a sliver above 0
    (a queue costing 0.04 % of case time is not "0%")."""
    if 0 < share < 0.001:
        return "< 0.1%"
    return f"{share:.1%}" if share < 0.1 else f"{share:.0%}"


def rho_text(rho: float) -> str:
    """Spearman's rho as the report prints it, two decimals; a correlation that rounds to zero is
    "0.00", never "-0.00"."""
    return f"Spearman ρ = {round(rho, 2) + 0.0:.2f}"


def p_text(p: float | None) -> str:
    """A p value as a reader sees it."""
    if p is None:
        return "not tested"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
