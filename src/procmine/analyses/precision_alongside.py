"""Precision from the alignments, computed alongside the rest of the check: started in a child process
(``adapter.alongside``) as soon as the alignments are known, and collected when the conformance section is
assembled; in this process when the alignments were to use one process only."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from procmine import progress
from procmine.analyses.precision import METHOD

if TYPE_CHECKING:
    from procmine.adapter.alongside import Alongside
    from procmine.adapter.netspec import NetSpec
    from procmine.analyses.precision import Precision


def start_precision(
    net: NetSpec,
    traces: Sequence[tuple[str, ...]],
    counts: Sequence[int],
    alignments: list,
    wanted: bool,
    time_budget: float | None,
    processes: int | None,
) -> Alongside[Precision] | None:
    """None without precision (``wanted`` false, or no variant)."""
    if not wanted or not traces:
        return None
    from procmine.adapter.alongside import Alongside
    from procmine.adapter.compiled_net import CompiledNet
    from procmine.analyses.precision import alignment_precision

    deadline = time.monotonic() + time_budget if time_budget is not None else None

    def work() -> Precision:
        return alignment_precision(CompiledNet(net), traces, counts, alignments, deadline)

    # the child stops itself at the deadline; one that has not answered well past it is stuck
    patience = time_budget + 30 if time_budget is not None else None
    return Alongside(work, elsewhere=processes != 1, patience=patience)


def finish_precision(pending: Alongside[Precision] | None) -> Precision | None:
    if pending is None:
        return None
    with progress.step("computing precision from the alignments"):
        return pending.result()


def precision_fields(precision: Precision | None) -> dict[str, Any]:
    """The conformance section's precision fields."""
    return {
        "precision": precision.value if precision else None,
        "precision_method": METHOD if precision else None,
        "precision_note": precision.reason if precision else "not computed (--no-precision)",
    }
