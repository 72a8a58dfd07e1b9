"""Conformance of an event log against a documented model: figures, per-task statistics and findings.

Steps: match task names to activities, align every variant once within the limits (``adapter.alignments``:
optimal alignments, or a variant marked as not aligned), read the alignments move by move
(``alignment_stats``, skips at choices: ``choices``), precision from the same alignments (``precision``),
read the model's mandatory tasks and order off its state space (``model_order``), look for steps gone
silent (``drift``), and turn the evidence into findings.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from procmine import progress
from procmine.analyses import conformance_findings as cf
from procmine.analyses import conformance_tables as tables
from procmine.analyses import precision_alongside as alongside
from procmine.analyses.alignment_stats import (
    MOVE_COST,
    CaseFitness,
    VariantDeviation,
    Variants,
    case_fitness,
    fitness_bounds,
    fitness_figures,
    variant_deviations,
)
from procmine.analyses.drift import log_period
from procmine.analyses.log_side import LogSide
from procmine.analyses.matching import Matching
from procmine.analyses.model_order import ModelRelations, model_relations
from procmine.errors import InputError
from procmine.sections.conformance import ConformanceSection
from procmine.timefmt import iso_utc

METHOD = "optimal alignments (A* search with the marking equation), once per variant"

if TYPE_CHECKING:
    from procmine.adapter.netspec import NetSpec
    from procmine.analyses.drift import Silence
    from procmine.engine.conformance_inputs import ActivityTimes
    from procmine.findings import Finding
    from procmine.model.log import EventLog


@dataclass
class ConformanceOptions:
    min_fitness: float | None = None
    max_skip_share: float = 0.05
    max_order_share: float = 0.05
    recent_period: str | None = None  # "90d", "2026-07-01"; None: the last quarter of the log's span
    time_cap: float | None = 10.0  # seconds per variant before its alignment is given up
    time_budget: float | None = None  # seconds for all alignments together
    max_states: int | None = None  # search states per variant (None: --limit alignment-states)
    processes: int | None = None
    precision: bool = True


@dataclass
class ConformanceResult:
    section: ConformanceSection
    findings: list[Finding]
    per_case: CaseFitness  # case_id, variant, fitness, deviations, method (in the engine)
    # per variant: the kinds of deviation in its cases (empty: conforming; None: not aligned)
    variant_kinds: list[frozenset[str] | None] = field(default_factory=list)

    def case_deviations(self) -> dict[str, frozenset[str]]:
        """case id -> the kinds of deviation in it (empty: conforming; absent: not aligned); one entry
        per case, read from the engine in batches."""
        kinds = self.variant_kinds
        return {
            str(c): kinds[v]
            for rows in self.per_case.cases.batches()
            for c, v in rows  # type: ignore[misc]
            if kinds[v] is not None
        }


@dataclass
class ModelSide:
    """What the check needs to know about the documented model besides its net."""

    file: str
    places: dict[str, cf.TaskPlace] = field(default_factory=dict)  # task name -> where it is in the file
    warnings: list[Any] = field(default_factory=list)  # TranslationWarning-like (element_id, type, line, msg)
    choices: dict[frozenset[str], cf.TaskPlace] = field(default_factory=dict)  # tasks -> their gateway


def check_conformance(
    log: EventLog,
    net: NetSpec,
    model: ModelSide,
    matching: Matching,
    options: ConformanceOptions,
    log_side: LogSide | None = None,
) -> ConformanceResult:
    """``net`` is labelled with the model's task names; ``matching`` pairs them with log activities;
    ``log_side``: the log's variants, when they are already being counted."""
    relations = model_relations(net)  # the model's order, while the log's variants are counted
    side = log_side or LogSide(log, log_period(log, options.recent_period))
    variants = side.variants()
    aligned_net = net.relabelled(matching.pairs)
    alignments, empty_cost, coverage = _align(aligned_net, variants, options, log)
    with _collector_resting():
        precision = alongside.start_precision(  # in a child process, while the rest is computed here
            aligned_net,
            variants.traces,
            variants.counts,
            alignments,
            options.precision,
            options.time_budget,
            options.processes,
        )
        deviations = variant_deviations(variants.traces, alignments, net, matching.pairs, empty_cost)
        coverage["fitness_bounds"] = fitness_bounds(deviations, variants.counts)
        per_case = case_fitness(variants, deviations)
        figures = fitness_figures(deviations, variants.counts)
        period, log_times = side.period, side.times()
        times = log_times.activities  # (one pass over the events for the task and activity tables)
        tasks = tables.task_rows(times, variants, deviations, net, matching, relations)
        context = _Context(
            log,
            times,
            variants,
            deviations,
            model,
            matching,
            relations,
            tasks,
            period,
            options,
            log_times.silences,
        )
        findings, outdated = _findings(context, figures)
        kinds = tables.variant_deviation_kinds(variants, deviations, set(matching.unmatched_log), outdated)
        choices = tables.choice_rows(variants, deviations)
        activities = tables.activity_rows(times, variants, deviations, matching)
        section = ConformanceSection.from_dict(
            {
                "method": METHOD,
                "cost_function": {
                    "log_move": MOVE_COST,
                    "model_move": MOVE_COST,
                    "silent_move": 0,
                    "sync_move": 0,
                },
                "cases": sum(variants.counts),
                "variants": len(variants.traces),
                **figures,
                "coverage": coverage,
                **alongside.precision_fields(alongside.finish_precision(precision)),
                "case_fitness": {
                    "histogram": tables.fitness_histogram(per_case),
                    "worst_cases": per_case.worst(),
                    "values": tables.fitness_values(per_case),
                },
                "recent_period": period.to_dict() if period else None,
                "thresholds": {
                    "min_fitness": options.min_fitness,
                    "max_skip_share": options.max_skip_share,
                    "max_order_share": options.max_order_share,
                },
                "model_relations": relations.to_dict(),
                "matching": matching.to_dict(),
                "tasks": [_with_skip_share(row, coverage["cases_aligned"]) for row in tasks],
                "choices": choices,
                "activities": activities,
            }
        )
        return ConformanceResult(section, findings, per_case, kinds)


@contextmanager
def _collector_resting() -> Iterator[None]:
    """The alignments (tens of thousands of objects, made while the workers ran) are frozen and the cyclic
    garbage collector rests while they are read: they live until the report is built and the analyses make
    no cycles, yet the collections their allocations caused walked them (10-15 ms on BPIC 2012), and the
    collector would write into pages the precision child shares (each a copy on write). Left as found:
    objects frozen before (the check pipeline's, once its inputs are read) stay frozen."""
    enabled, frozen_before = gc.isenabled(), gc.get_freeze_count()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        if not frozen_before:
            gc.unfreeze()


def _with_skip_share(row: dict[str, Any], cases: int) -> dict[str, Any]:
    """A task row with the share of the aligned cases that skipped the task."""
    return {**row, "skip_share": row["cases_skipped"] / cases if cases else None}


def _align(
    net: NetSpec, variants: Variants, options: ConformanceOptions, log: EventLog
) -> tuple[list, int, dict[str, Any]]:
    """The alignments of all variants within the limits (on Spark's executors when the log is held in
    Spark), the cost of the empty trace, and the coverage."""
    from procmine.adapter.alignments import Limits, align_traces, empty_trace_cost
    from procmine.engine.spark import session_of
    from procmine.io.limits import current

    limits = Limits(
        time_cap=options.time_cap,
        time_budget=options.time_budget,
        processes=options.processes,
        max_states=options.max_states or current().alignment_states,
    )
    spark = session_of(log)
    what = f"aligning {len(variants.traces):,} variants ({sum(variants.counts):,} cases)"
    with progress.step(what + (" on Spark's executors" if spark is not None else "")):
        empty_cost = empty_trace_cost(net, limits)
        if empty_cost is None:
            raise InputError(net.name, "the model cannot complete: no run from its start reaches its end")
        if spark is not None:
            from procmine.adapter.spark_alignments import align_on_executors

            alignments = align_on_executors(spark, net, variants.traces, limits)
        else:
            alignments = align_traces(net, variants.traces, limits)
    coverage = tables.coverage(variants, alignments, limits)
    if coverage["variants_not_aligned"]:
        progress.warn(tables.coverage_sentence(coverage))
    return alignments, empty_cost, coverage


@dataclass
class _Context:
    """What the finding rules read."""

    log: EventLog
    times: dict[str, ActivityTimes]  # tables.activity_times of the log
    variants: Variants
    deviations: list[VariantDeviation]
    model: ModelSide
    matching: Matching
    relations: ModelRelations
    tasks: list[dict[str, Any]]
    period: Any
    options: ConformanceOptions
    silences: list[Silence]  # drift.silent_activities of all the log's activities (a period's; else none)

    def place(self, task: str) -> cf.TaskPlace:
        return self.model.places.get(task, cf.TaskPlace(self.model.file))

    @property
    def by_task(self) -> dict[str, dict[str, Any]]:
        return {row["task"]: row for row in self.tasks}


def _findings(context: _Context, figures: dict) -> tuple[list[Finding], set[str]]:
    """The findings, and the documented tasks reported as outdated."""
    model, matching, options = context.model, context.matching, context.options
    findings = [cf.untranslated(w, model.file) for w in model.warnings]
    findings += [cf.ambiguous(t, names, context.place(t)) for t, names in sorted(matching.ambiguous.items())]
    outdated_findings = _outdated_findings(context)
    findings += outdated_findings
    outdated = {f.location.task for f in outdated_findings if f.location.task}
    findings += _undocumented_findings(context)
    if context.relations.known:
        findings += _skip_findings(context, outdated)
        findings += _choice_findings(context)
        findings += _order_findings(context)
    fitness = figures["fitness"]
    if options.min_fitness is not None and fitness is not None and fitness < options.min_fitness:
        findings.append(cf.low_fitness(fitness, options.min_fitness, model.file))
    return findings, outdated


def _outdated_findings(context: _Context) -> list[Finding]:
    """Tasks never executed, and (with a recent period) tasks not executed since some date."""
    out = []
    for task, row in context.by_task.items():
        if row["activity"] is None or row["last_seen"] is None:
            suggestions = [s.name for s in context.matching.suggestions.get(task, [])]
            out.append(cf.never_executed(task, context.place(task), suggestions))
    if context.period is None:
        return out
    activity_tasks: dict[str, list[str]] = {}
    for task, activity in context.matching.pairs.items():
        activity_tasks.setdefault(activity, []).append(task)
    for silence in (s for s in context.silences if s.activity in activity_tasks):
        for task in sorted(activity_tasks[silence.activity]):
            out.append(
                cf.not_since(
                    task,
                    silence.activity,
                    context.place(task),
                    iso_utc(silence.last_seen),
                    silence.cases_before,
                    silence.expected_recent,
                    context.period.to_dict(),
                    silence.cases_since,
                )
            )
    return out


def _undocumented_findings(context: _Context) -> list[Finding]:
    from procmine.analyses.order_check import typical_predecessors

    log, matching = context.log, context.matching
    total = sum(context.variants.counts)
    cases_with = {activity: row.cases for activity, row in context.times.items()}
    predecessors = typical_predecessors(context.variants, set(matching.unmatched_log))
    out = []
    for activity in matching.unmatched_log:
        after, share = predecessors.get(activity, (None, 0.0))
        suggestions = [s.name for s in matching.suggestions.get(activity, [])]
        cases = int(cases_with.get(activity, 0))
        out.append(cf.undocumented(activity, cases, total, after, share, str(log.source), suggestions))
    return out


def _order_findings(context: _Context) -> list[Finding]:
    from procmine.analyses.order_check import reversals

    threshold = context.options.max_order_share
    out_of_order = {task: row["cases_out_of_order"] for task, row in context.by_task.items()}
    found = reversals(context.variants, context.relations, context.matching.pairs, threshold, out_of_order)
    return [cf.order_reversed(r, context.place(r.task), threshold) for r in found]


def _skip_findings(context: _Context, outdated: set[str]) -> list[Finding]:
    """Skips of mandatory tasks, counted over the aligned cases that started while the task was still
    done (so a retired step is reported once, as outdated, and not again as skipped). Without
    timestamps every aligned case counts."""
    out = []
    aligned = _aligned_variants(context)
    cases = context.variants.cases
    timed = any(n and v in aligned for v, n in cases.with_start().items())
    threshold = context.options.max_skip_share
    for task in sorted(context.relations.mandatory):
        row = context.by_task.get(task)
        if row is None or task in outdated or row["activity"] is None:
            continue
        moment = None
        if row["last_seen"] is not None and timed:
            moment = _epoch_us(datetime.fromisoformat(row["last_seen"]))
        started = cases.started_by(moment)
        in_use = sum(n for v, n in started.items() if v in aligned)
        if not in_use:
            continue
        skipping = {i for i, d in enumerate(context.deviations) if task in d.skipped}
        skipped_cases = sum(n for v, n in started.items() if v in skipping)
        if skipped_cases / in_use > threshold:
            place = context.place(task)
            out.append(cf.skipped(task, row["activity"], place, skipped_cases, in_use, threshold))
    return out


def _epoch_us(moment: datetime) -> int:
    """Microseconds since the epoch (the engine compares moments as such, exactly on either engine)."""
    return (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


def _choice_findings(context: _Context) -> list[Finding]:
    """Exclusive choices of which no branch was done although the case's path through the model needed
    one, in more than --max-skip-share of the aligned cases."""
    aligned = sum(context.variants.counts[v] for v in _aligned_variants(context))
    if not aligned:
        return []
    threshold = context.options.max_skip_share
    out = []
    for row in tables.choice_rows(context.variants, context.deviations):
        tasks = row["tasks"]
        share = row["cases"] / aligned
        if share > threshold:
            places = [context.place(t) for t in tasks]
            gateway = _gateway(context.model, set(tasks))
            out.append(cf.skipped_choice(tasks, places, gateway, row["cases"], aligned, threshold))
    return out


def _gateway(model: ModelSide, tasks: set[str]) -> cf.TaskPlace:
    """The gateway whose branches start with exactly these tasks, else the one leading to the fewest tasks
    among those leading to all of them; the model file alone when there is none."""
    fitting = [(len(labels), place) for labels, place in model.choices.items() if tasks <= labels]
    return (
        min(fitting, key=lambda item: (item[0], item[1].line or 0))[1]
        if fitting
        else cf.TaskPlace(model.file)
    )


def _aligned_variants(context: _Context) -> set[int]:
    return {i for i, d in enumerate(context.deviations) if d.aligned}
