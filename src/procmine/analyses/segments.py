"""Which case attributes are segments worth a table: the ones that matter.

A candidate has a few values (``MIN_VALUES`` to ``MAX_VALUES``; more is an identifier or a measurement) and
one value per case (the reader checks that). It **matters** when its groups differ, beyond chance and by
enough to act on, in one of:

- throughput time: Kruskal-Wallis H over the groups' throughput times, and the slowest group's median at
  least ``MIN_RATIO`` times the fastest's;
- conformance (with a model): the chi-square test of deviating vs conforming cases per group, and shares at
  least ``MIN_SHARE_GAP`` apart;
- satisfaction (with a score column): Kruskal-Wallis H over the scores, and group means at least a tenth of
  the scale apart.

Only groups of ``MIN_GROUP`` cases or more are compared. All p values of all candidates are adjusted together
(Benjamini-Hochberg), because testing twenty attributes three ways finds a "difference" by chance alone. At
most ``MAX_SHOWN`` segments get a table, the strongest first; the others that matter are listed by name.
``--segment`` still shows the attributes it names, tested or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from procmine.analyses import significance as sig
from procmine.sections.customer import SegmentTest

if TYPE_CHECKING:
    from procmine.analyses.case_groups import CaseGroups

MIN_VALUES, MAX_VALUES = 2, 12
MIN_GROUP = 10
MAX_SHOWN = 5
MIN_RATIO = 1.2
MIN_SHARE_GAP = 0.05
MIN_SCORE_GAP_SHARE = 0.10
ASPECTS = ("throughput", "conformance", "satisfaction")


@dataclass(frozen=True)
class Selection:
    shown: list[str]  # the columns that get a table, strongest first
    more: list[str]  # columns that matter beyond MAX_SHOWN
    tests: list[SegmentTest]  # every candidate, in column order


def candidates(attrs: pd.DataFrame, exclude: set[str | None]) -> list[str]:
    """Case attributes with 2..12 distinct values, timestamps left out."""
    out = []
    for name in attrs.columns:
        if name in exclude or pd.api.types.is_datetime64_any_dtype(attrs[name]):
            continue
        if MIN_VALUES <= attrs[name].nunique(dropna=True) <= MAX_VALUES:
            out.append(str(name))
    return out


def select(
    attrs: pd.DataFrame,
    columns: list[str],
    groups: CaseGroups,
    scores: pd.Series | None,
    score_range: float | None,
) -> Selection:
    """Test each column; keep those that matter after adjusting for all the tests made."""
    score = None if scores is None else groups.align(scores).astype(float)
    raw = {name: _tests(groups.align(attrs[name]), groups, score, score_range) for name in columns}
    flat = [(name, aspect) for name, per in raw.items() for aspect, (p, _) in per.items() if p is not None]
    adjusted = dict(zip(flat, sig.benjamini_hochberg([raw[n][a][0] for n, a in flat]), strict=True))
    tests = [_summary(name, attrs[name], raw[name], adjusted) for name in columns]
    ranked = sorted((t for t in tests if t.matters), key=lambda t: (_best_q(t), t.column))
    return Selection(
        shown=[t.column for t in ranked[:MAX_SHOWN]],
        more=[t.column for t in ranked[MAX_SHOWN:]],
        tests=tests,
    )


def _tests(
    values: np.ndarray, groups: CaseGroups, score: np.ndarray | None, score_range: float | None
) -> dict[str, tuple[float | None, bool]]:
    """aspect -> (p value or None when untested, whether the difference is large enough)."""
    labels = pd.Series(values, dtype=object)
    keep = labels.notna().to_numpy()
    counts = labels[keep].value_counts()
    big = set(counts[counts >= MIN_GROUP].index)
    members = [np.flatnonzero(keep & labels.isin([v]).to_numpy()) for v in sorted(big, key=str)]
    out: dict[str, tuple[float | None, bool]] = dict.fromkeys(ASPECTS, (None, False))
    if len(members) < 2:
        return out
    durations = [groups.throughput[m] for m in members]
    medians = [float(np.median(d)) for d in durations]
    slowest, fastest = max(medians), min(medians)
    large = slowest >= MIN_RATIO * fastest and slowest > 0
    out["throughput"] = (sig.kruskal(durations).p_value, large)
    if groups.known is not None and groups.deviating is not None:
        deviating, conforming = groups.deviating & groups.known, ~groups.deviating & groups.known
        rows = [[int(deviating[m].sum()), int(conforming[m].sum())] for m in members]
        shares = [d / (d + c) for d, c in rows if d + c]
        apart = bool(shares) and max(shares) - min(shares) >= MIN_SHARE_GAP
        out["conformance"] = (sig.chi_square(rows).p_value, apart)
    if score is not None and score_range:
        scored = [score[m][~np.isnan(score[m])] for m in members]
        means = [float(s.mean()) for s in scored if len(s) >= MIN_GROUP]
        if len(means) >= 2:
            gap = max(means) - min(means) >= MIN_SCORE_GAP_SHARE * score_range
            out["satisfaction"] = (sig.kruskal([s for s in scored if len(s) >= MIN_GROUP]).p_value, gap)
    return out


def _summary(
    name: str, values: pd.Series, tests: dict[str, tuple[float | None, bool]], adjusted: dict
) -> SegmentTest:
    q = {aspect: adjusted.get((name, aspect)) for aspect in tests}
    differs = [a for a, (_, large) in tests.items() if large and q[a] is not None and q[a] < sig.ALPHA]
    return SegmentTest(
        column=name,
        values=int(values.nunique(dropna=True)),
        throughput_p=tests["throughput"][0],
        throughput_q=q["throughput"],
        conformance_p=tests["conformance"][0],
        conformance_q=q["conformance"],
        satisfaction_p=tests["satisfaction"][0],
        satisfaction_q=q["satisfaction"],
        matters=bool(differs),
        differs_in=differs,
    )


def _best_q(test: SegmentTest) -> float:
    qs = [getattr(test, f"{aspect}_q") for aspect in test.differs_in]
    return min(q for q in qs if q is not None)
