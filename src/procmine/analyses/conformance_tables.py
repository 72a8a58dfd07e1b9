"""The conformance section's tables: per task, per activity, per choice, the worst cases, and how much of
the log the alignments cover."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np

from procmine.analyses.alignment_stats import CaseFitness, VariantDeviation, Variants
from procmine.engine.conformance_inputs import ActivityTimes
from procmine.model.log import ACTIVITY, CASE, TIMESTAMP
from procmine.timefmt import iso_utc

if TYPE_CHECKING:
    from procmine.adapter.alignments import Limits, TraceAlignment
    from procmine.adapter.netspec import NetSpec
    from procmine.analyses.matching import Matching
    from procmine.analyses.model_order import ModelRelations
    from procmine.model.log import EventLog


def coverage(variants: Variants, alignments: list[TraceAlignment], limits: Limits) -> dict[str, Any]:
    """How many variants and cases the alignment figures cover, and why the others are not aligned."""
    missing = [i for i, a in enumerate(alignments) if a.cost is None]
    reasons = Counter(alignments[i].failure or "unknown" for i in missing)
    cases = sum(variants.counts)
    cases_missing = sum(variants.counts[i] for i in missing)
    return {
        "variants_aligned": len(alignments) - len(missing),
        "variants_not_aligned": len(missing),
        "cases_aligned": cases - cases_missing,
        "cases_not_aligned": cases_missing,
        "share_of_cases": (cases - cases_missing) / cases if cases else None,
        "reasons": dict(sorted(reasons.items())),
        "limits": {
            "time_cap_seconds": limits.time_cap,
            "time_budget_seconds": limits.time_budget,
            "max_states": limits.max_states,
        },
    }


RAISE = {
    "time cap": "--time-cap",
    "time budget": "--time-budget",
    "state cap": "--limit alignment-states=N",
}


def coverage_sentence(block: dict[str, Any]) -> str:
    reasons = ", ".join(f"{n} {r}" for r, n in block["reasons"].items())
    options = " / ".join(RAISE[r] for r in block["reasons"] if r in RAISE) or "the limits"
    return (
        f"{block['variants_not_aligned']:,} variant(s) ({block['cases_not_aligned']:,} cases) not aligned "
        f"({reasons}); the alignment figures cover {block['variants_aligned']:,} variants, "
        f"{block['share_of_cases']:.1%} of the cases (raise {options} to align more)"
    )


def choice_rows(variants: Variants, deviations: list[VariantDeviation]) -> list[dict[str, Any]]:
    """Exclusive choices the alignments found skipped as a whole: the tasks, and the cases skipping them,
    most cases first."""
    cases: Counter = Counter()
    for deviation, n in zip(deviations, variants.counts, strict=True):
        for choice in deviation.skipped_choices:
            cases[tuple(sorted(choice))] += n
    return [
        {"tasks": list(tasks), "cases": n}
        for tasks, n in sorted(cases.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def activity_times(log: EventLog, con: Any = None) -> dict[str, ActivityTimes]:
    """Per activity, by name: first and last time, cases and events (in SQL when the log lives in the
    engine: on ``con``, a connection to the log's events, if given)."""
    if not log.has_frame and log.store is not None:
        from procmine.engine.conformance_inputs import activity_times as engine_activity_times
        from procmine.engine.db import connect

        return engine_activity_times(con if con is not None else connect(log))
    grouped = log.events.groupby(ACTIVITY)
    first, last = grouped[TIMESTAMP].min(), grouped[TIMESTAMP].max()
    cases, events = grouped[CASE].nunique(), grouped.size()
    return {
        str(a): ActivityTimes(_moment(first[a]), _moment(last[a]), int(cases[a]), int(events[a]))
        for a in sorted(first.index, key=str)
    }


def _moment(value: Any) -> Any:
    return None if value != value else value  # NaT: the log has no times


def _weighted_moves(variants: Variants, deviations: list[VariantDeviation], attribute: str) -> Counter:
    """name -> moves over all cases: each variant's ``model_moves`` or ``log_moves`` times its cases."""
    total: Counter = Counter()
    for deviation, n in zip(deviations, variants.counts, strict=True):
        for name, k in getattr(deviation, attribute).items():
            total[name] += k * n
    return total


def task_rows(
    times: dict[str, ActivityTimes],
    variants: Variants,
    deviations: list[VariantDeviation],
    net: NetSpec,
    matching: Matching,
    relations: ModelRelations,
) -> list[dict[str, Any]]:
    """One row per task; ``times``: ``activity_times`` of the log."""
    executed = per_variant_cases(variants, deviations, "synced")
    skipped = per_variant_cases(variants, deviations, "skipped")
    disordered = per_variant_cases(variants, deviations, "out_of_order")
    moves = _weighted_moves(variants, deviations, "model_moves")
    element_ids: dict[str, set[str]] = {}
    for t in net.transitions:
        if t.label is not None:
            element_ids.setdefault(t.label, set()).update([t.element_id] if t.element_id else [])
    rows = []
    for task in net.labels:
        activity = matching.pairs.get(task)
        seen = times.get(activity) if activity is not None else None
        rows.append(
            {
                "task": task,
                "element_ids": sorted(element_ids.get(task, ())),
                "activity": activity,
                "mandatory": (task in relations.mandatory) if relations.known else None,
                "cases_executed": executed.get(task, 0),
                "cases_skipped": skipped.get(task, 0),
                "cases_out_of_order": disordered.get(task, 0),
                "model_moves": moves.get(task, 0),
                "first_seen": iso_utc(seen.first) if seen is not None else None,
                "last_seen": iso_utc(seen.last) if seen is not None else None,
            }
        )
    return rows


def activity_rows(
    times: dict[str, ActivityTimes],
    variants: Variants,
    deviations: list[VariantDeviation],
    matching: Matching,
) -> list[dict[str, Any]]:
    """One row per log activity; ``times``: ``activity_times`` of the log."""
    inserted = per_variant_cases(variants, deviations, "inserted")
    with_moves = _weighted_moves(variants, deviations, "log_moves")
    tasks_of: dict[str, list[str]] = {}
    for task, activity in matching.pairs.items():
        tasks_of.setdefault(activity, []).append(task)
    rows = []
    for activity, row in sorted(times.items()):
        rows.append(
            {
                "activity": activity,
                "documented": activity in tasks_of,
                "tasks": sorted(tasks_of.get(activity, [])),
                "cases": row.cases,
                "events": row.events,
                "cases_inserted": inserted.get(activity, 0),
                "log_moves": with_moves.get(activity, 0),
                "first_seen": iso_utc(row.first),
                "last_seen": iso_utc(row.last),
            }
        )
    return rows


def fitness_histogram(per_case: CaseFitness, bins: int = 10) -> list[dict]:
    """Cases per fitness band [0, 0.1), ..., [0.9, 1.0), and exactly 1.0 on its own."""
    values, counts = per_case.fitness, np.asarray(per_case.counts, dtype=np.int64)

    def cases(inside: np.ndarray) -> int:
        return int(counts[inside].sum())

    out = []
    for i in range(bins):
        low, high = i / bins, (i + 1) / bins
        out.append({"from": low, "to": high, "cases": cases((values >= low) & (values < high))})
    out.append({"from": 1.0, "to": 1.0, "cases": cases(values >= 1.0)})
    return out


def fitness_values(per_case: CaseFitness) -> list[dict[str, float | int]]:
    """Aligned cases per distinct case fitness, to 4 decimals as the report prints figures, lowest first."""
    values, counts = np.round(per_case.fitness, 4), np.asarray(per_case.counts, dtype=np.int64)
    aligned = ~np.isnan(values)
    totals: Counter = Counter()
    for value, n in zip(values[aligned].tolist(), counts[aligned].tolist(), strict=True):
        totals[value] += n
    return [{"fitness": value, "cases": n} for value, n in sorted(totals.items())]


def per_variant_cases(variants: Variants, deviations: list[VariantDeviation], attribute: str) -> Counter:
    """name -> number of cases whose variant has the name in ``attribute`` (a set of tasks/activities)."""
    counts: Counter = Counter()
    for deviation, n in zip(deviations, variants.counts, strict=True):
        for name in getattr(deviation, attribute):
            counts[name] += n
    return counts


def variant_deviation_kinds(
    variants: Variants, deviations: list[VariantDeviation], undocumented: set[str], outdated: set[str]
) -> list[frozenset[str] | None]:
    """Per variant, how its cases depart from the documented model, in the finding kinds' words:
    ``undocumented_step`` (an activity no task matches), ``skipped_step`` (a documented task left out),
    ``outdated_step`` (left out a task reported as outdated), ``order_violation`` (documented order
    reversed), ``extra_step`` (a documented activity where the model does not allow it), and
    ``deviating`` for any other departure. None: the variant was not aligned."""
    per_variant: list[frozenset[str] | None] = []
    for trace, d in zip(variants.traces, deviations, strict=True):
        kinds = {"undocumented_step"} if undocumented and not undocumented.isdisjoint(trace) else set()
        if not d.aligned:
            per_variant.append(None)
            continue
        if (d.skipped - outdated) or d.skipped_choices:
            kinds.add("skipped_step")
        if d.skipped & outdated:
            kinds.add("outdated_step")
        if d.out_of_order:
            kinds.add("order_violation")
        if d.inserted - undocumented:
            kinds.add("extra_step")
        if d.fitness < 1 and not kinds:
            kinds.add("deviating")
        per_variant.append(frozenset(kinds))
    return per_variant
