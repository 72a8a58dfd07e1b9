"""From alignments (one per variant) to what happened to each documented task and each logged activity.

Reading an optimal alignment move by move:
- a synchronous move on task T: the case executed T where the model expects it;
- a model move on T while T's activity never occurs in the case: the case *skipped* T;
- a model move on T plus a log move of T's activity: the case did T, but *out of the documented order*;
- any other log move: the activity was *inserted* (undocumented, or done once more than documented).
Figures are counted per variant and weighted by the variant's number of cases.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from procmine.engine.conformance_inputs import CaseVariants, case_variants_of
from procmine.model.log import ACTIVITY, CASE, START, TIMESTAMP

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import pandas as pd

    from procmine.adapter.aligner import TraceAlignment
    from procmine.adapter.compiled_net import CompiledNet
    from procmine.adapter.netspec import NetSpec
    from procmine.model.log import EventLog

MOVE_COST = 10_000  # pm4py's standard cost of a log or model move (silent steps are free here)


@dataclass
class Variants:
    """The log's distinct traces (activity sequences), their case counts, and each case's variant."""

    traces: list[tuple[str, ...]]
    counts: list[int]
    cases: CaseVariants  # case_id, variant (index into traces), start, end: kept in the engine


def log_variants(log: EventLog) -> Variants:
    """Variants without a Python call per case: activities become integer codes, each case's code
    sequence a 64-bit polynomial hash, and every case is then checked position by position against its
    variant's first case, so a hash collision can never merge two different traces."""
    from procmine.engine.db import connect

    if not log.has_frame and log.store is not None:  # the log lives in the engine: variants in SQL
        from procmine.engine.conformance_inputs import variants_with_cases

        return Variants(*variants_with_cases(connect(log), log))
    traces, counts, cases = _frame_variants(log.events)
    return Variants(traces, counts, case_variants_of(connect(log), cases, log))


def _frame_variants(ev: pd.DataFrame) -> tuple[list[tuple[str, ...]], list[int], pd.DataFrame]:
    """``log_variants`` of a log held as a frame: the traces, counts and the cases' frame."""
    import pandas as pd

    if ev.empty:
        empty = pd.DataFrame(
            {
                CASE: pd.Series(dtype=object),
                "variant": pd.Series(dtype="int64"),
                "start": pd.Series(dtype="datetime64[us, UTC]"),
                "end": pd.Series(dtype="datetime64[us, UTC]"),
            }
        )
        return [], [], empty
    case_code, case_ids = pd.factorize(ev[CASE], sort=True)
    order = np.argsort(case_code, kind="stable")  # by case id; file order kept within a case
    case_code = case_code[order]
    activity_code, activity_names = pd.factorize(ev[ACTIVITY].to_numpy()[order])
    n = len(case_code)
    first = np.flatnonzero(np.concatenate([[True], case_code[1:] != case_code[:-1]]))
    lengths = np.diff(np.append(first, n))
    position = np.arange(n) - np.repeat(first, lengths)
    variant_of_case = _group_sequences(activity_code.astype(np.uint64), first, lengths, position)
    counts = np.bincount(variant_of_case)
    # most frequent first; ties in the order the variants first appear by case id (deterministic)
    first_case = np.full(len(counts), len(first))
    np.minimum.at(first_case, variant_of_case, np.arange(len(first)))
    ranking = np.lexsort((first_case, -counts))
    rank = np.empty_like(ranking)
    rank[ranking] = np.arange(len(ranking))
    names = np.asarray(activity_names, dtype=object)
    traces = []
    for v in ranking:
        at = first[first_case[v]]
        traces.append(tuple(str(a) for a in names[activity_code[at : at + lengths[first_case[v]]]]))
    cases = pd.DataFrame(
        {
            CASE: np.asarray(case_ids, dtype=object).astype(str),
            "variant": rank[variant_of_case],
            **_case_span(ev, order, first),
        }
    )
    return traces, [int(counts[v]) for v in ranking], cases


def _group_sequences(
    codes: np.ndarray, first: np.ndarray, lengths: np.ndarray, position: np.ndarray, base: int = 1_000_003
) -> np.ndarray:
    """Per case, a group number shared exactly by the cases with the same code sequence."""
    import pandas as pd

    base = np.uint64(base)
    powers = np.ones(int(lengths.max()), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(1, len(powers)):
            powers[i] = powers[i - 1] * base
        hashed = np.add.reduceat((codes + np.uint64(1)) * powers[position], first)
    keys = pd.MultiIndex.from_arrays([hashed, lengths])
    group = pd.factorize(keys)[0]
    representative = np.zeros(group.max() + 1, dtype=np.int64)
    representative[group[::-1]] = np.arange(len(group))[::-1]  # the first case of each group
    case_of_event = np.repeat(np.arange(len(first)), lengths)
    expected = codes[first[representative[group]][case_of_event] + position]
    clash = np.unique(case_of_event[expected != codes])
    if clash.size:  # a hash collision: these cases get groups of their own, by their exact sequence
        fresh = group.max() + 1
        exact: dict[tuple[int, ...], int] = {}
        for c in clash:
            trace = tuple(codes[first[c] : first[c] + lengths[c]].tolist())
            group[c] = exact.setdefault(trace, fresh + len(exact))
        group = pd.factorize(group)[0]
    return group


def _case_span(ev: pd.DataFrame, order: np.ndarray, first: np.ndarray) -> dict[str, pd.DatetimeIndex]:
    """Each case's start (its earliest start or completion time) and end (its latest completion time)."""
    done = _instants(ev[TIMESTAMP])[order]
    start = np.minimum.reduceat(done, first)
    if START in ev.columns:
        begun = _instants(ev[START])[order]
        begun = np.where(np.isnat(begun), done, begun)  # a missing start time must not win
        start = np.minimum(start, np.minimum.reduceat(begun, first))
    end = np.maximum.reduceat(done, first)
    return {"start": _utc(start), "end": _utc(end)}


def _utc(values: np.ndarray) -> pd.DatetimeIndex:
    import pandas as pd

    return pd.DatetimeIndex(values).tz_localize("UTC")


def _instants(column: pd.Series) -> np.ndarray:
    """A timestamp column as naive UTC datetime64 (the canonical frame's timestamps are UTC)."""
    import pandas as pd

    if isinstance(column.dtype, pd.DatetimeTZDtype):
        column = column.dt.tz_convert("UTC").dt.tz_localize(None)
    return column.to_numpy()


@dataclass
class VariantDeviation:
    """What one variant's alignment says, in model task names (tasks) and log activity names."""

    cost: int | None  # MOVE_COST x deviations; None: not aligned (a limit was hit)
    worst_cost: int  # the cost of aligning nothing (model only) plus every event as a log move
    fitness: float | None  # None: not aligned
    method: str  # "alignment" | "not aligned"
    synced: set[str] = field(default_factory=set)
    skipped: set[str] = field(default_factory=set)  # skipped for sure (every equally good alignment does)
    skipped_choices: set[frozenset[str]] = field(default_factory=set)  # none of these done, one was needed
    out_of_order: set[str] = field(default_factory=set)
    model_moves: Counter = field(default_factory=Counter)  # task -> model moves (not those at a choice)
    log_moves: Counter = field(default_factory=Counter)  # activity -> log moves
    inserted: set[str] = field(default_factory=set)  # activities with log moves not explained by order
    failure: str | None = None  # why not aligned
    lower_bound: int = 0  # what is known of the cost when not aligned

    @property
    def aligned(self) -> bool:
        return self.cost is not None


def variant_deviations(
    traces: list[tuple[str, ...]],
    alignments: list[TraceAlignment],
    net: NetSpec,
    task_activity: dict[str, str],
    empty_cost: int,
) -> list[VariantDeviation]:
    """``net`` carries the model's task names as labels; ``task_activity`` maps task -> log activity;
    ``empty_cost``: the cost of the cheapest run through the model (no log)."""
    from procmine.adapter.compiled_net import CompiledNet

    # the compiled net reads skips; a log whose variants all fit has none to read
    compiled = CompiledNet(net) if any(a.cost for a in alignments) else None
    # transition id -> its task (labelled transitions only), looked up once per move
    task_of = {t.id: t.label for t in net.transitions if t.label is not None}
    sole_task = _sole_tasks(net, task_activity)
    out = []
    for trace, alignment in zip(traces, alignments, strict=True):
        worst = len(trace) * MOVE_COST + empty_cost
        if alignment.cost is None:
            out.append(
                VariantDeviation(
                    None,
                    worst,
                    None,
                    "not aligned",
                    failure=alignment.failure,
                    lower_bound=alignment.lower_bound,
                )
            )
            continue
        out.append(_read_alignment(compiled, task_of, sole_task, trace, alignment, worst, task_activity))
    return out


def _sole_tasks(net: NetSpec, task_activity: dict[str, str]) -> dict[str, str]:
    """Log activity -> the one task whose transitions carry it once the net is relabelled with
    ``task_activity`` (activities several tasks carry are left out)."""
    carriers: dict[str, set[str]] = {}
    for t in net.transitions:
        if t.label is not None:
            carriers.setdefault(task_activity.get(t.label, t.label), set()).add(t.label)
    return {activity: next(iter(tasks)) for activity, tasks in carriers.items() if len(tasks) == 1}


def _synced_tasks(
    task_of: dict[str, str], sole_task: dict[str, str], trace: tuple[str, ...], alignment: TraceAlignment
) -> set[str]:
    """The tasks of the alignment's synchronous moves. A variant that fits moves synchronously on every
    event, each time on a transition carrying the event's activity: its tasks are its activities' sole
    tasks (read move by move when some activity has none)."""
    if not alignment.cost:
        tasks = {sole_task.get(activity) for activity in set(trace)}
        if None not in tasks:
            return tasks  # type: ignore[return-value]
    return {task_of[m.transition_id] for m in alignment.moves if m.kind == "sync"}  # type: ignore[index]


def _read_alignment(
    net: CompiledNet | None,
    task_of: dict[str, str],
    sole_task: dict[str, str],
    trace: tuple[str, ...],
    alignment: TraceAlignment,
    worst: int,
    task_activity: dict[str, str],
) -> VariantDeviation:
    from procmine.analyses.choices import skipped_tasks

    fitness = 1 - alignment.cost / worst if worst > 0 else 0.0  # type: ignore[operator]
    deviation = VariantDeviation(alignment.cost, worst, fitness, "alignment")
    moves = alignment.moves
    deviation.synced = _synced_tasks(task_of, sole_task, trace, alignment)
    if not deviation.cost:  # a fitting trace (most variants of a real log): no log move, no skip
        return deviation
    deviation.log_moves.update(trace[m.event_index] for m in moves if m.kind == "log")  # type: ignore[index]
    present = set(trace)
    skips = skipped_tasks(net, alignment)  # type: ignore[arg-type]
    for task in skips.certain:
        deviation.model_moves[task] += 1
    for choice in skips.choices:
        done = {task for task in choice if task_activity.get(task) in present}
        if done:
            deviation.out_of_order |= done
        else:
            deviation.skipped_choices.add(choice)
    for task in deviation.model_moves:
        activity = task_activity.get(task)
        if activity is None or activity not in present:
            deviation.skipped.add(task)
        elif deviation.log_moves.get(activity):
            deviation.out_of_order.add(task)
    explained = {task_activity[t] for t in deviation.out_of_order if t in task_activity}
    deviation.inserted = set(deviation.log_moves) - explained
    return deviation


def fitness_figures(deviations: list[VariantDeviation], counts: list[int]) -> dict:
    """Log fitness as pm4py computes it (1 - total cost / total worst cost, silent steps free) and the
    trace averages, over the aligned variants; ``None`` figures when none is aligned."""
    pairs = [(d, n) for d, n in zip(deviations, counts, strict=True) if d.aligned]
    cases = sum(n for _, n in pairs)
    total_cost = sum(d.cost * n for d, n in pairs)  # type: ignore[operator]
    total_worst = sum(d.worst_cost * n for d, n in pairs)
    fitting = sum(n for d, n in pairs if d.cost == 0)
    if not cases:
        return {"fitness": None, "average_trace_fitness": None, "fitting_cases": 0, "fitting_share": None}
    return {
        "fitness": 1 - total_cost / total_worst if total_worst else 0.0,
        "average_trace_fitness": sum(d.fitness * n for d, n in pairs) / cases,  # type: ignore[operator]
        "fitting_cases": fitting,
        "fitting_share": fitting / cases,
    }


def fitness_bounds(deviations: list[VariantDeviation], counts: list[int]) -> tuple[float, float] | None:
    """The log fitness over every case, aligned or not: a variant not aligned costs at least its known
    lower bound and at most its worst cost. None when every variant is aligned (the figure is exact)."""
    if all(d.aligned for d in deviations):
        return None
    total_worst = sum(d.worst_cost * n for d, n in zip(deviations, counts, strict=True))
    if not total_worst:
        return None
    low = sum((d.cost if d.aligned else d.lower_bound) * n for d, n in zip(deviations, counts, strict=True))
    high = sum((d.cost if d.aligned else d.worst_cost) * n for d, n in zip(deviations, counts, strict=True))
    return 1 - high / total_worst, 1 - low / total_worst  # type: ignore[operator]


@dataclass
class CaseFitness:
    """Each case's fitness, deviations and method, which are its variant's: the values per variant, and
    the cases in the engine. Read as counts per variant, the worst few cases, or batches of rows."""

    cases: CaseVariants
    counts: list[int]
    fitness: np.ndarray  # per variant; NaN: not aligned
    deviations: list[int | None]  # per variant; None: not aligned
    method: list[str]

    COLUMNS = (CASE, "variant", "fitness", "deviations", "method")

    def rows(self, cases: list[tuple[object, int]]) -> list[tuple[str, int, float, int | None, str]]:
        """case_id, variant, fitness (NaN: not aligned), deviations, method of these (case id, variant)
        rows."""
        fitness, deviations, method = self.fitness.tolist(), self.deviations, self.method
        return [(str(c), v, fitness[v], deviations[v], method[v]) for c, v in cases]

    def batches(self) -> Iterator[list[tuple[str, int, float, int | None, str]]]:
        """Every case (``rows``), sorted by case id, a batch at a time; one empty batch without cases."""
        empty = True
        for cases in self.cases.batches():
            empty = False
            yield self.rows(cases)
        if empty:
            yield []

    def worst(self, limit: int = 10) -> list[dict[str, object]]:
        """The ``limit`` least fitting aligned cases (lowest fitness, then case id) that do not fit."""
        if not self._register("_deviating_variants", lambda f: f < 1.0):
            return []
        rows = self.cases.first_by("_deviating_variants", "fitness", limit)
        return [{"case_id": str(c), "fitness": float(f)} for c, f in rows]

    def fitness_sql(self) -> str | None:
        """A query of (case_id, fitness) of the aligned cases, on the connection that holds them (None:
        no variant aligned)."""
        if not self._register("_aligned_variants", lambda f: True):
            return None
        return (
            f"SELECT c.case_id, v.fitness FROM {self.cases.table} c "
            "JOIN _aligned_variants v ON c.variant = v.variant"
        )

    def by_case(self) -> dict[str, float]:
        """case id -> its trace fitness (NaN: not aligned); one entry per case, read in batches."""
        fitness = self.fitness
        return {str(c): float(fitness[v]) for rows in self.cases.batches() for c, v in rows}

    def _register(self, name: str, keep: Callable[[float], bool]) -> bool:
        """The aligned variants whose fitness ``keep`` accepts, as the table ``name`` (variant, fitness) of
        the cases' connection; False when there is none."""
        chosen = [(v, f) for v, f in enumerate(self.fitness) if not np.isnan(f) and keep(f)]
        if not chosen:
            return False
        columns = {
            "variant": np.array([v for v, _ in chosen], dtype=np.int64),
            "fitness": np.array([f for _, f in chosen], dtype=float),
        }
        self.cases.con.register(name, columns)  # (DuckDB reads the arrays as they are)
        return True


def case_fitness(variants: Variants, deviations: list[VariantDeviation]) -> CaseFitness:
    """case_id, fitness, deviations, method for every case (written to case_fitness.csv with -o); the
    fitness and deviations of a case whose variant was not aligned are empty."""
    fitness = np.array([d.fitness if d.fitness is not None else np.nan for d in deviations], dtype=float)
    moves = [d.cost // MOVE_COST if d.cost is not None else None for d in deviations]
    method = [d.method for d in deviations]
    return CaseFitness(variants.cases, variants.counts, fitness, moves, method)
