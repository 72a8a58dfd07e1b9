"""Conformance of an event log against a documented model: figures, per-task statistics and findings.

Steps: match task names to activities, align every variant once (r4pm, fallback token replay), read the
alignments move by move (``alignment_stats``), read the model's mandatory tasks and order off its state space
(``model_order``), look for steps gone silent (``drift``), and turn the evidence into findings.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from procmine import progress
from procmine.analyses import conformance_findings as cf
from procmine.analyses.alignment_stats import (
    VariantDeviation,
    Variants,
    case_fitness,
    fitness_figures,
    fitness_histogram,
    log_variants,
    per_variant_cases,
    variant_deviations,
)
from procmine.analyses.drift import recent_period, silent_activities
from procmine.analyses.matching import Matching
from procmine.analyses.model_order import ModelRelations, model_relations
from procmine.model.log import ACTIVITY, CASE, TIMESTAMP
from procmine.sections import conformance as cs
from procmine.sections.conformance import ConformanceSection
from procmine.timefmt import iso_utc

if TYPE_CHECKING:
    from procmine.adapter.netspec import NetSpec
    from procmine.findings import Finding
    from procmine.model.log import EventLog


@dataclass
class ConformanceOptions:
    min_fitness: float | None = None
    max_skip_share: float = 0.05
    max_order_share: float = 0.05
    recent_period: str | None = None  # "90d", "2026-07-01"; None: the last quarter of the log's span
    time_cap: float | None = 10.0  # seconds per variant before falling back to token replay
    processes: int | None = None
    precision: bool = True


@dataclass
class ConformanceResult:
    section: ConformanceSection
    findings: list[Finding]
    per_case: pd.DataFrame  # case_id, variant, fitness, method
    # case id -> the kinds of deviation in it (empty: conforming); see ``case_deviation_kinds``
    case_deviations: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass
class ModelSide:
    """What the check needs to know about the documented model besides its net."""

    file: str
    places: dict[str, cf.TaskPlace] = field(default_factory=dict)  # task name -> where it is in the file
    warnings: list[Any] = field(default_factory=list)  # TranslationWarning-like (element_id, type, line, msg)


def check_conformance(
    log: EventLog, net: NetSpec, model: ModelSide, matching: Matching, options: ConformanceOptions
) -> ConformanceResult:
    """``net`` is labelled with the model's task names; ``matching`` pairs them with log activities."""
    from procmine.adapter.alignments import align_traces, empty_trace_cost

    variants = log_variants(log)
    aligned_net = net.relabelled(matching.pairs)
    with progress.step(f"aligning {len(variants.traces):,} variants ({sum(variants.counts):,} cases)"):
        alignments = align_traces(
            aligned_net, variants.traces, processes=options.processes, time_cap=options.time_cap
        )
        empty_cost = empty_trace_cost(aligned_net)
    given_up = [i for i, a in enumerate(alignments) if a.cost is None]
    replay = _fallback(aligned_net, variants, given_up, alignments)
    deviations = variant_deviations(variants.traces, alignments, replay, net, matching.pairs, empty_cost)
    relations = model_relations(net)
    per_case = case_fitness(variants, deviations)
    figures = fitness_figures(deviations, variants.counts)
    precision = None
    if options.precision and variants.traces:
        from procmine.adapter.conformance import precision as etc_precision

        with progress.step("computing precision (ETConformance)"):
            precision = etc_precision(aligned_net, variants.traces, variants.counts)
    period = recent_period(_drift_events(log), options.recent_period)
    tasks = _task_rows(log, variants, deviations, net, matching, relations)
    activities = _activity_rows(log, variants, deviations, matching)
    section = ConformanceSection(
        method="optimal alignments (r4pm), once per variant",
        cost_function={"log_move": 10_000, "model_move": 10_000, "silent_move": 1, "sync_move": 0},
        cases=sum(variants.counts),
        variants=len(variants.traces),
        **figures,
        precision=precision,
        precision_method="ETConformance (token replay, pm4py)" if precision is not None else None,
        fallback=cs.Fallback.from_dict(_fallback_summary(given_up, alignments, variants, options)),
        case_fitness=cs.CaseFitness.from_dict(
            {"histogram": fitness_histogram(per_case), "worst_cases": _worst_cases(per_case)}
        ),
        recent_period=cs.RecentPeriod.from_dict(period.to_dict()) if period else None,
        thresholds=cs.Thresholds(
            min_fitness=options.min_fitness,
            max_skip_share=options.max_skip_share,
            max_order_share=options.max_order_share,
        ),
        model_relations=cs.ModelRelations.from_dict(relations.to_dict()),
        matching=cs.NameMatching.from_dict(matching.to_dict()),
        tasks=[cs.TaskRow.from_dict(_with_skip_share(row, sum(variants.counts))) for row in tasks],
        activities=[cs.ActivityRow.from_dict(row) for row in activities],
    )
    findings, outdated = _findings(
        log, variants, deviations, model, matching, relations, tasks, figures, period, options
    )
    kinds = case_deviation_kinds(variants, deviations, set(matching.unmatched_log), outdated)
    return ConformanceResult(section, findings, per_case, kinds)


def case_deviation_kinds(
    variants: Variants, deviations: list[VariantDeviation], undocumented: set[str], outdated: set[str]
) -> dict[str, frozenset[str]]:
    """Case id -> how the case departs from the documented model, in the finding kinds' words:
    ``undocumented_step`` (an activity no task matches), ``skipped_step`` (a documented task left out),
    ``outdated_step`` (left out a task reported as outdated), ``order_violation`` (documented order
    reversed), ``extra_step`` (a documented activity where the model does not allow it), and
    ``deviating`` for any other departure (say, a variant whose alignment was given up: token replay says
    how much, not how)."""
    per_variant = []
    for trace, d in zip(variants.traces, deviations, strict=True):
        kinds = {"undocumented_step"} if undocumented & set(trace) else set()
        if d.method != "alignment":
            per_variant.append(frozenset(kinds | ({"deviating"} if d.fitness < 1 else set())))
            continue
        if d.skipped - outdated:
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
    cases = variants.cases
    return {str(c): per_variant[v] for c, v in zip(cases[CASE], cases["variant"], strict=True)}


def _fallback(net: NetSpec, variants: Variants, given_up: list[int], alignments: list) -> dict[int, float]:
    if not given_up:
        return {}
    from procmine.adapter.conformance import token_replay_fitness

    reasons = Counter(alignments[i].failure for i in given_up)
    cases = sum(variants.counts[i] for i in given_up)
    progress.warn(
        f"{len(given_up)} variant(s) ({cases:,} cases) not aligned ("
        + ", ".join(f"{n} {r}" for r, n in sorted(reasons.items()))
        + "); their fitness comes from token replay instead"
    )
    values = token_replay_fitness(net, [variants.traces[i] for i in given_up])
    return dict(zip(given_up, values, strict=True))


def _fallback_summary(
    given_up: list[int], alignments: list, variants: Variants, options: ConformanceOptions
) -> dict[str, Any]:
    reasons = Counter(alignments[i].failure for i in given_up)
    return {
        "method": "token replay",
        "time_cap_seconds": options.time_cap,
        "variants": len(given_up),
        "cases": sum(variants.counts[i] for i in given_up),
        "reasons": dict(sorted(reasons.items())),
    }


def _with_skip_share(row: dict[str, Any], cases: int) -> dict[str, Any]:
    """A task row with the share of all checked cases that skipped the task."""
    return {**row, "skip_share": row["cases_skipped"] / cases if cases else None}


def _worst_cases(per_case: pd.DataFrame, limit: int = 10) -> list[dict[str, Any]]:
    worst = per_case.sort_values(["fitness", CASE], kind="stable").head(limit)
    return [
        {"case_id": str(r[CASE]), "fitness": float(r["fitness"])}
        for _, r in worst.iterrows()
        if r["fitness"] < 1.0
    ]




def _drift_events(log: EventLog) -> pd.DataFrame:
    """The columns the drift checks read (not the whole frame of a log held in the engine)."""
    return log.event_frame([CASE, ACTIVITY, TIMESTAMP])


def _activity_times(log: EventLog) -> pd.DataFrame:
    if not log.has_frame and log.store is not None:  # per-activity counts and times in SQL
        from procmine.engine.conformance_inputs import activity_times
        from procmine.engine.db import connect

        return activity_times(connect(log))
    ev = log.events
    grouped = ev.groupby(ACTIVITY)
    return pd.DataFrame(
        {
            "first": grouped[TIMESTAMP].min(),
            "last": grouped[TIMESTAMP].max(),
            "cases": grouped[CASE].nunique(),
            "events": grouped.size(),
        }
    )


def _weighted_moves(variants: Variants, deviations: list[VariantDeviation], attribute: str) -> Counter:
    """name -> moves over all cases: each variant's ``model_moves`` or ``log_moves`` times its cases."""
    total: Counter = Counter()
    for deviation, n in zip(deviations, variants.counts, strict=True):
        for name, k in getattr(deviation, attribute).items():
            total[name] += k * n
    return total


def _task_rows(
    log: EventLog,
    variants: Variants,
    deviations: list[VariantDeviation],
    net: NetSpec,
    matching: Matching,
    relations: ModelRelations,
) -> list[dict[str, Any]]:
    times = _activity_times(log)
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
        seen = times.loc[activity] if activity in times.index else None
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
                "first_seen": iso_utc(seen["first"]) if seen is not None else None,
                "last_seen": iso_utc(seen["last"]) if seen is not None else None,
            }
        )
    return rows


def _activity_rows(
    log: EventLog, variants: Variants, deviations: list[VariantDeviation], matching: Matching
) -> list[dict[str, Any]]:
    times = _activity_times(log)
    inserted = per_variant_cases(variants, deviations, "inserted")
    with_moves = _weighted_moves(variants, deviations, "log_moves")
    tasks_of: dict[str, list[str]] = {}
    for task, activity in matching.pairs.items():
        tasks_of.setdefault(activity, []).append(task)
    rows = []
    for activity, row in times.sort_index().iterrows():
        rows.append(
            {
                "activity": str(activity),
                "documented": activity in tasks_of,
                "tasks": sorted(tasks_of.get(activity, [])),
                "cases": int(row["cases"]),
                "events": int(row["events"]),
                "cases_inserted": inserted.get(activity, 0),
                "log_moves": with_moves.get(activity, 0),
                "first_seen": iso_utc(row["first"]),
                "last_seen": iso_utc(row["last"]),
            }
        )
    return rows


def _findings(
    log: EventLog,
    variants: Variants,
    deviations: list[VariantDeviation],
    model: ModelSide,
    matching: Matching,
    relations: ModelRelations,
    tasks: list[dict[str, Any]],
    figures: dict,
    period: Any,
    options: ConformanceOptions,
) -> tuple[list[Finding], set[str]]:
    """The findings, and the documented tasks reported as outdated."""
    from procmine.analyses.order_check import reversals, typical_predecessors

    def place(task: str) -> cf.TaskPlace:
        return model.places.get(task, cf.TaskPlace(model.file))

    findings = [cf.untranslated(w, model.file) for w in model.warnings]
    findings += [cf.ambiguous(t, names, place(t)) for t, names in sorted(matching.ambiguous.items())]
    total = sum(variants.counts)
    by_task = {row["task"]: row for row in tasks}
    outdated: set[str] = set()
    for task, row in by_task.items():
        if row["activity"] is None or row["last_seen"] is None:
            outdated.add(task)
            findings.append(
                cf.never_executed(task, place(task), [s.name for s in matching.suggestions.get(task, [])])
            )
    if period is not None:
        activity_tasks: dict[str, list[str]] = {}
        for task, activity in matching.pairs.items():
            activity_tasks.setdefault(activity, []).append(task)
        for silence in silent_activities(_drift_events(log), period, set(activity_tasks)):
            for task in sorted(activity_tasks[silence.activity]):
                outdated.add(task)
                findings.append(
                    cf.not_since(
                        task,
                        silence.activity,
                        place(task),
                        iso_utc(silence.last_seen),
                        silence.cases_before,
                        silence.expected_recent,
                        period.to_dict(),
                        silence.cases_since,
                    )
                )
    cases_with = _activity_times(log)["cases"].to_dict()
    predecessors = typical_predecessors(variants, set(matching.unmatched_log))
    for activity in matching.unmatched_log:
        after, share = predecessors.get(activity, (None, 0.0))
        findings.append(
            cf.undocumented(
                activity,
                int(cases_with.get(activity, 0)),
                total,
                after,
                share,
                str(log.source),
                [s.name for s in matching.suggestions.get(activity, [])],
            )
        )
    if relations.known:
        findings += _skip_findings(log, variants, deviations, relations, by_task, outdated, place, options)
        out_of_order = {task: row["cases_out_of_order"] for task, row in by_task.items()}
        for reversal in reversals(variants, relations, matching.pairs, options.max_order_share, out_of_order):
            findings.append(cf.order_reversed(reversal, place(reversal.task), options.max_order_share))
    if options.min_fitness is not None and figures["fitness"] < options.min_fitness:
        findings.append(cf.low_fitness(figures["fitness"], options.min_fitness, model.file))
    return findings, outdated


def _skip_findings(
    log: EventLog,
    variants: Variants,
    deviations: list[VariantDeviation],
    relations: ModelRelations,
    by_task: dict,
    outdated: set[str],
    place: Any,
    options: ConformanceOptions,
) -> list[Finding]:
    """Skips of mandatory tasks, counted over the cases that started while the task was still done
    (so a retired step is reported once, as outdated, and not again as skipped)."""
    out = []
    cases = variants.cases
    for task in sorted(relations.mandatory):
        row = by_task.get(task)
        if row is None or task in outdated or row["last_seen"] is None:
            continue
        in_use = cases[cases["start"] <= pd.Timestamp(row["last_seen"])]
        if in_use.empty:
            continue
        skipping = {i for i, d in enumerate(deviations) if task in d.skipped}
        skipped_cases = int(in_use["variant"].isin(skipping).sum())
        if skipped_cases / len(in_use) > options.max_skip_share:
            out.append(
                cf.skipped(
                    task, row["activity"], place(task), skipped_cases, len(in_use), options.max_skip_share
                )
            )
    return out
