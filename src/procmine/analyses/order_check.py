"""Order in the log against order in the model, and where undocumented activities sit.

A documented order is *reversed* in a case when the model lets ``second`` follow ``first`` but never the
other way round, and the case does ``second`` before ``first`` (some occurrence of ``second`` precedes some
occurrence of ``first``). Shares are taken over the cases that contain both.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from procmine.analyses.alignment_stats import Variants
    from procmine.analyses.model_order import ModelRelations


@dataclass(frozen=True)
class Reversal:
    """A task done on the wrong side of one or more others, in ``cases_reversed`` of the cases with both."""

    task: str
    others: tuple[str, ...]
    too_early: bool  # True: done before the others although documented after them
    cases_reversed: int
    cases_with_both: int

    @property
    def share(self) -> float:
        return self.cases_reversed / self.cases_with_both if self.cases_with_both else 0.0


def reversals(
    variants: Variants,
    relations: ModelRelations,
    task_activity: dict[str, str],
    max_share: float,
    out_of_order: dict[str, int],
) -> list[Reversal]:
    """Documented orders reversed in more than ``max_share`` of the cases containing both tasks, grouped by
    the task that is out of place: one task moved to the front reverses its order with every task it
    jumped over, and is reported once. The task covering most reversed pairs is taken first (ties: the one
    the alignments found out of order most often, then by name)."""
    pairs = _reversed_pairs(variants, relations, task_activity)
    counts = variants.counts
    over = {
        pair: sets
        for pair, sets in pairs.items()
        if sum(counts[v] for v in sets[0]) > max_share * sum(counts[v] for v in sets[1])
    }
    out = []
    while over:
        cover: Counter = Counter()
        for p, q in over:
            cover[p] += 1
            cover[q] += 1
        task = min(cover, key=lambda t: (-cover[t], -out_of_order.get(t, 0), t))
        group = sorted(pair for pair in over if task in pair)
        reversed_variants = set().union(*(over[pair][0] for pair in group))
        both_variants = set().union(*(over[pair][1] for pair in group))
        others = tuple(sorted({p if q == task else q for p, q in group}))
        too_early = all(q == task for _, q in group)
        out.append(
            Reversal(
                task,
                others,
                too_early,
                sum(counts[v] for v in reversed_variants),
                sum(counts[v] for v in both_variants),
            )
        )
        for pair in group:
            del over[pair]
    return sorted(out, key=lambda r: (r.task, r.others))


def _reversed_pairs(
    variants: Variants, relations: ModelRelations, task_activity: dict[str, str]
) -> dict[tuple[str, str], tuple[set[int], set[int]]]:
    """(first task, second task) documented in that order -> (variants reversing it, variants with both),
    for the pairs at least one variant reverses. Counted on arrays (variant x activity: the first and last
    position of the activity in the variant), one comparison per documented pair over all variants."""
    tasks = sorted(task_activity)
    ordered = [(p, q) for p in tasks for q in tasks if relations.documented_before(p, q)]
    if not ordered or not variants.traces:
        return {}
    column = {activity: i for i, activity in enumerate(sorted(set(task_activity.values())))}
    first, last = _first_and_last(variants.traces, column)
    found = {}
    for p, q in ordered:
        i, j = column[task_activity[p]], column[task_activity[q]]
        both = (first[:, i] >= 0) & (first[:, j] >= 0)
        reversing = both & (first[:, j] < last[:, i])
        if reversing.any():
            found[(p, q)] = (set(np.flatnonzero(reversing).tolist()), set(np.flatnonzero(both).tolist()))
    return found


class _Codes(dict):
    """activity -> its column; -1 for an activity no task carries."""

    def __missing__(self, activity: str) -> int:
        return -1


def _first_and_last(traces: list[tuple[str, ...]], column: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Per variant and activity column, the first and the last position of the activity (-1: absent)."""
    lengths = np.fromiter(map(len, traces), dtype=np.int64, count=len(traces))
    codes = np.fromiter(
        map(_Codes(column).__getitem__, chain.from_iterable(traces)), dtype=np.int64, count=int(lengths.sum())
    )
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    position = np.arange(len(codes)) - np.repeat(starts, lengths)
    variant = np.repeat(np.arange(len(traces)), lengths)
    kept = codes >= 0
    cells = (variant[kept], codes[kept])
    shape = (len(traces), len(column))
    first = np.full(shape, np.iinfo(np.int64).max)
    np.minimum.at(first, cells, position[kept])
    first[first == np.iinfo(np.int64).max] = -1
    last = np.full(shape, -1)
    np.maximum.at(last, cells, position[kept])
    return first, last


def typical_predecessors(variants: Variants, activities: set[str]) -> dict[str, tuple[str, float]]:
    """activity -> (the activity most often directly before it, share of its occurrences); "(case start)"
    when it most often opens the case. Immediate repeats of the activity are counted once."""
    if not activities:  # (every activity documented: nothing to place)
        return {}
    before: dict[str, Counter] = {a: Counter() for a in activities}
    for trace, n in zip(variants.traces, variants.counts, strict=True):
        for position, activity in enumerate(trace):
            if activity not in before:
                continue
            if position and trace[position - 1] == activity:
                continue  # a repeat: its predecessor is itself
            before[activity][trace[position - 1] if position else "(case start)"] += n
    out = {}
    for activity, counter in before.items():
        if counter:
            total = sum(counter.values())
            name, count = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            out[activity] = (name, count / total)
    return out
