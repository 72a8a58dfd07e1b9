"""The marking-equation heuristic of the alignment search: a linear program over transition counts.

For a marking ``m`` and the events still to align (``r[a]`` of each activity ``a``), any alignment fires
model transitions ``x`` (counts) with ``m + C·x = final`` (C: the incidence matrix). Of the ``X[a]`` firings
labelled ``a`` at most ``min(X[a], r[a])`` are synchronous, so at least ``|X[a] - r[a]|`` moves on ``a``
are deviations (model moves or log moves). Minimising ``MOVE_COST·Σ|X[a] - r[a]|`` over real
``x >= 0`` therefore never overestimates the remaining cost, and is exact in most states of real runs.
Silent steps cost nothing (see ``aligner``).
Events whose activity no transition carries are log moves whatever happens: added as a constant.

This is the marking equation of the synchronous product (the classic alignment heuristic) with the trace
part summed per activity, which loses nothing: the equation never saw the order of the events anyway.
One HiGHS model per net; each solve only changes the right-hand sides, so HiGHS starts from the last basis.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from procmine.adapter.compiled_net import CompiledNet

MOVE_COST = 10_000
_ROUNDING = 1e-6
_LOCK = threading.Lock()


def _quiet_highs():  # type: ignore[no-untyped-def]
    """A HiGHS instance without its banner: the C++ constructor prints it to stdout, which belongs to
    procmine's machine formats, so file descriptor 1 points at /dev/null while it is made."""
    import highspy

    with _LOCK:
        import sys

        sys.stdout.flush()
        saved = os.dup(1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            highs = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("presolve", "off")
    return highs


class MarkingEquation:
    def __init__(self, net: CompiledNet):
        import highspy

        self.net = net
        self.places = len(net.places)
        self.labels = len(net.labels)
        self.highs = _quiet_highs()
        transitions, labels = len(net.transition_ids), self.labels
        n = transitions + 2 * labels
        costs = np.zeros(n)  # transitions cost nothing themselves; deviations are the u, v columns
        costs[transitions:] = MOVE_COST
        self.highs.addVars(n, np.zeros(n), np.full(n, highspy.kHighsInf))
        self.highs.changeColsCost(n, np.arange(n, dtype=np.int32), costs)
        for place in range(self.places):
            self._row(*net.incidence_row(place))
        for label, members in enumerate(net.by_label):
            columns = [*members, transitions + label, transitions + labels + label]
            self._row(columns, [1.0] * len(members) + [-1.0, 1.0])
        self.rows = np.arange(self.places + labels, dtype=np.int32)
        self.transitions = transitions
        self.solves = 0

    def reset(self) -> None:
        """Forget the last basis: the next solves (one trace's search) then do not depend on which traces
        this process aligned before, so alignments are the same whatever the order and the workers."""
        self.highs.clearSolver()

    def _row(self, columns: list[int], values: list[float]) -> None:
        self.highs.addRow(0.0, 0.0, len(columns), np.asarray(columns, np.int32), np.asarray(values, float))

    def solve(self, marking: np.ndarray, remaining: np.ndarray) -> tuple[int, dict[int, float]] | None:
        """(lower bound on the remaining cost, transition counts of the optimum), or None when the final
        marking cannot be reached from ``marking`` at all (the equation has no solution)."""
        import highspy

        bounds = np.concatenate([self.net.final_vector - marking, remaining]).astype(float)
        self.highs.changeRowsBounds(len(self.rows), self.rows, bounds, bounds)
        self.highs.run()
        self.solves += 1
        status = self.highs.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            return None
        value = self.highs.getObjectiveValue()  # (getInfo() copies every statistic: 40x slower)
        counts = self.highs.getSolution().col_value[: self.transitions]
        used = {t: v for t, v in enumerate(counts) if v > _ROUNDING}
        return int(np.ceil(value - _ROUNDING)), used
