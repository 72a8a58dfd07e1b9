"""The alignments of a log held in Spark, computed on Spark's executors: the distinct variants become a
small Spark DataFrame, each partition aligns its variants with procmine's own search (``aligner``) inside
``mapInPandas``, and one row per variant (its alignment, pickled) comes back to the driver.

Each search is deterministic and depends only on the net and the trace, so the alignments are those of
``alignments.align_traces`` on one machine. Variant ``i`` goes to partition ``i mod n`` and every
partition works most frequent first, so a time budget cuts the rarest variants, as on one machine. The
budget's deadline travels as wall-clock time (executors have their own monotonic clocks). The executors
need procmine installed (locally they run this Python).
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Iterator, Sequence
from typing import Any

from procmine.adapter.aligner import TraceAlignment
from procmine.adapter.alignments import Limits, _align_one
from procmine.adapter.compiled_net import CompiledNet
from procmine.adapter.netspec import NetSpec

SCHEMA_IN = "variant long, trace array<string>, part int"
SCHEMA_OUT = "variant long, alignment binary"


def align_on_executors(
    spark: Any, net: NetSpec, traces: Sequence[tuple[str, ...]], limits: Limits
) -> list[TraceAlignment]:
    """One alignment per trace (most frequent first), in the traces' order, computed by Spark's executors."""
    if not traces:
        return []
    budget_wall = time.time() + limits.time_budget if limits.time_budget is not None else None
    parts = max(1, min(len(traces), 4 * spark.sparkContext.defaultParallelism))
    rows = [(i, list(trace), i % parts) for i, trace in enumerate(traces)]
    frame = spark.createDataFrame(rows, SCHEMA_IN).repartition(parts, "part").sortWithinPartitions("variant")
    aligned = frame.mapInPandas(_aligner(net, limits, budget_wall), SCHEMA_OUT).collect()
    results: list[TraceAlignment | None] = [None] * len(traces)
    for row in aligned:
        results[row["variant"]] = pickle.loads(row["alignment"])
    return [r if r is not None else TraceAlignment(None, failure="worker lost") for r in results]


def _aligner(net: NetSpec, limits: Limits, budget_wall: float | None) -> Any:
    """The function each partition runs (it travels to the executors with the net and the limits)."""

    def align_partition(batches: Iterator[Any]) -> Iterator[Any]:
        import pandas as pd

        compiled = CompiledNet(net)
        for batch in batches:
            out = []
            for variant, trace in zip(batch["variant"], batch["trace"], strict=True):
                budget_end = None if budget_wall is None else time.monotonic() + budget_wall - time.time()
                result = _align_one(compiled, tuple(str(a) for a in trace), limits, budget_end)
                out.append((int(variant), pickle.dumps(result)))
            if out:
                yield pd.DataFrame(out, columns=["variant", "alignment"])

    return align_partition
