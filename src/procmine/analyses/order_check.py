"""Order in the log against order in the model, and where undocumented activities sit.

A documented order is *reversed* in a case when the model lets ``second`` follow ``first`` but never the
other way round, and the case does ``second`` before ``first`` (some occurrence of ``second`` precedes some
occurrence of ``first``). Shares are taken over the cases that contain both.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from procmine.analyses.alignment_stats import Variants
    from procmine.analyses.model_order import ModelRelations


def reversed_pairs(
    variants: Variants, relations: ModelRelations, task_activity: dict[str, str]
) -> list[tuple[str, str, int, int]]:
    """(first task, second task, cases with the order reversed, cases with both), for every documented
    order that at least one case reverses; sorted by task names."""
    tasks_of: dict[str, list[str]] = {}
    for task, activity in task_activity.items():
        tasks_of.setdefault(activity, []).append(task)
    ordered = [
        (p, q) for p in sorted(task_activity) for q in sorted(task_activity) if relations.documented_before(p, q)
    ]
    if not ordered:
        return []
    reversed_cases: Counter = Counter()
    both: Counter = Counter()
    for trace, n in zip(variants.traces, variants.counts, strict=True):
        first: dict[str, int] = {}
        last: dict[str, int] = {}
        for position, activity in enumerate(trace):
            for task in tasks_of.get(activity, ()):
                first.setdefault(task, position)
                last[task] = position
        for p, q in ordered:
            if p in first and q in first:
                both[(p, q)] += n
                if first[q] < last[p]:
                    reversed_cases[(p, q)] += n
    return [(p, q, reversed_cases[(p, q)], both[(p, q)]) for p, q in ordered if reversed_cases[(p, q)]]


def typical_predecessors(variants: Variants, activities: set[str]) -> dict[str, tuple[str, float]]:
    """activity -> (the activity most often directly before it, share of its occurrences); "(case start)"
    when it most often opens the case. Immediate repeats of the activity are counted once."""
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
