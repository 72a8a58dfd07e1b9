"""Per-case values and groups as arrays in the order of ``Timing.cases`` (sorted by case id).

The customer lens splits the cases many ways (segments, deviating or not, over the SLA or not, through a
bottleneck or not). Doing that with pandas indexes of case-id strings (``reindex``, ``isin``,
``difference``) costs a hash of every id per split; at a million events (over 100,000 cases) that was
seconds. Here each split is a boolean mask over one array of case ids, built once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from procmine.analyses.bottlenecks import Timing

CaseDeviations = Mapping[str, Collection[str]]
# case id -> deviation kinds, or how to get them: one entry per case, so asked for only when needed
Deviations = CaseDeviations | Callable[[], CaseDeviations]


def resolved(deviations: Deviations | None) -> CaseDeviations | None:
    return deviations() if callable(deviations) else deviations


@dataclass
class CaseGroups:
    ids: pd.Index  # case ids (object dtype: hashed isin) in the order of Timing.cases
    throughput: np.ndarray  # seconds
    breached: np.ndarray | None  # over the throughput SLA; None when no SLA was set
    known: np.ndarray | None  # the conformance analysis said something about the case
    deviating: np.ndarray | None  # ... and it deviates

    @classmethod
    def of(
        cls,
        timing: Timing,
        breach_target: float | None,
        deviations: CaseDeviations | None,
    ) -> CaseGroups:
        """``breach_target``: the throughput-time SLA in seconds (None: no SLA set)."""
        ids = pd.Index(timing.cases["case_id"].to_numpy(dtype=object), dtype=object)
        known = deviating = None
        if deviations is not None:
            known = ids.isin(list(deviations))
            deviating = ids.isin([c for c, kinds in deviations.items() if kinds])
        throughput = timing.cases["throughput"].to_numpy(dtype=float)
        return cls(
            ids=ids,
            throughput=throughput,
            breached=None if breach_target is None else throughput > breach_target,
            known=known,
            deviating=deviating,
        )

    def mask(self, members: Collection[str]) -> np.ndarray:
        return self.ids.isin(list(members))

    def align(self, values: pd.Series) -> np.ndarray:
        """``values`` (indexed by case id) in the order of the cases; missing where a case has none."""
        if len(values.index) == len(self.ids) and np.array_equal(
            values.index.to_numpy(dtype=object), self.ids.to_numpy()
        ):
            return values.to_numpy()
        return values.reindex(self.ids).to_numpy()
