"""Per-case values and groups as arrays in the order of ``Timing.cases`` (sorted by case id).

The customer lens splits the cases many ways (segments, deviating or not, over the SLA or not, through a
bottleneck or not). Doing that with pandas indexes of case-id strings (``reindex``, ``isin``,
``difference``) costs a hash of every id per split; at a million events (over 100,000 cases) that was
seconds. Here each split is a boolean mask in the order of one index of case ids, built once. Each
case's deviation kinds are a small code per case (``CaseKinds``), not a Python set per case.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from procmine.analyses.bottlenecks import Timing

CaseDeviations = Mapping[str, Collection[str]]  # case id -> deviation kinds (empty: conforming)


@dataclass(frozen=True)
class VariantKinds:
    """The conformance analysis's deviation kinds per variant (``kinds[v]``: empty when conforming, None
    when not aligned) and its cases' variants, read a batch of (case id, variant) rows at a time, only
    when the cases are split."""

    batches: Callable[[], Iterable[Sequence[tuple[Any, Any]]]]
    kinds: Sequence[frozenset[str] | None]


Deviations = CaseDeviations | VariantKinds


@dataclass(frozen=True)
class CaseKinds:
    """Each case's deviation kinds as a code: ``code[i]`` indexes ``kinds`` for the i-th case (-1: the
    conformance analysis said nothing about it; a ``kinds`` entry of None: not aligned)."""

    code: np.ndarray
    kinds: list[frozenset[str] | None]

    @classmethod
    def of(cls, ids: pd.Index, deviations: Deviations) -> CaseKinds:
        """The codes of the cases ``ids`` (unique)."""
        code = np.full(len(ids), -1, dtype=np.int64)
        if isinstance(deviations, VariantKinds):
            for batch in deviations.batches():
                cls._place(code, ids, [str(c) for c, _ in batch], [int(v) for _, v in batch])
            return cls(code, list(deviations.kinds))
        distinct = list(dict.fromkeys(frozenset(k) for k in deviations.values()))
        number = {k: i for i, k in enumerate(distinct)}
        cls._place(code, ids, list(deviations), [number[frozenset(k)] for k in deviations.values()])
        return cls(code, list(distinct))

    @staticmethod
    def _place(code: np.ndarray, ids: pd.Index, cases: list[Any], codes: list[int]) -> None:
        at = ids.get_indexer(pd.Index(cases, dtype=object))
        found = at >= 0
        code[at[found]] = np.asarray(codes, dtype=np.int64)[found]

    def where(self, test: Callable[[frozenset[str]], bool]) -> np.ndarray:
        """Per case: known, and its kinds pass ``test``."""
        per_code = np.array([k is not None and bool(test(k)) for k in self.kinds] + [False], dtype=bool)
        return per_code[self.code]  # code -1: the last entry, False

    def names(self) -> list[str]:
        """Every kind of deviation found, sorted."""
        return sorted({d for k in self.kinds if k for d in k})


@dataclass
class CaseGroups:
    ids: pd.Index  # case ids in the order of Timing.cases (Arrow strings: ~17 bytes a case, not ~66)
    throughput: np.ndarray  # seconds
    breached: np.ndarray | None  # over the throughput SLA; None when no SLA was set
    kinds: CaseKinds | None  # each case's deviation kinds; None without a conformance analysis
    known: np.ndarray | None  # the conformance analysis said something about the case
    deviating: np.ndarray | None  # ... and it deviates

    @classmethod
    def of(cls, timing: Timing, breach_target: float | None, deviations: Deviations | None) -> CaseGroups:
        """``breach_target``: the throughput-time SLA in seconds (None: no SLA set)."""
        ids = pd.Index(timing.cases["case_id"].array)
        kinds = None if deviations is None else CaseKinds.of(ids, deviations)
        throughput = timing.cases["throughput"].to_numpy(dtype=float)
        return cls(
            ids=ids,
            throughput=throughput,
            breached=None if breach_target is None else throughput > breach_target,
            kinds=kinds,
            known=None if kinds is None else kinds.where(lambda k: True),
            deviating=None if kinds is None else kinds.where(bool),
        )

    def align(self, values: pd.Series) -> np.ndarray:
        """``values`` (indexed by case id) in the order of the cases; missing where a case has none."""
        if values.index.equals(self.ids):
            return values.to_numpy()
        return values.reindex(self.ids).to_numpy()
