"""Discovering the process model: pm4py's miners on the variant-compressed log, with the model's fit.

``coverage`` < 1 mines from the most frequent variants that together cover that share of the cases (the
"happy path"); the fitness is measured on the log's most frequent variants (up to ``REPLAY_VARIANT_LIMIT``,
fewer when the model is very wide: token replay tries every transition at every step, so variants times
activities stays under ``REPLAY_EFFORT``; none longer than ``REPLAY_TRACE_LIMIT`` events), whatever was
mined from, so a reader sees what the simplification
costs; ``fitness_cases_share`` says which share of the cases those variants hold. With ``precision`` every
variant is aligned with the mined model anyway, and the fitness is read from those optimal alignments (as
``check`` computes it) instead of replaying tokens: over every case aligned within the budget.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from procmine import progress
from procmine.analyses.bpmn_tidy import tidy
from procmine.engine import variants

if TYPE_CHECKING:
    import duckdb

    from procmine.model.bpmn import BpmnModel

REPLAY_VARIANT_LIMIT = 100  # fitness is measured on the most frequent variants only (replay is slow)
REPLAY_EFFORT = 60_000  # variants replayed x activities: a 3,000-activity log replays 20 variants
PRECISION_BUDGET = 60.0  # seconds for the alignments and the precision of the mined model
PRECISION_CAP = 5.0  # seconds (CPU) per variant
REPLAY_TRACE_LIMIT = 2_000  # variants longer than this are not replayed (token replay per event is slow)
CHOICES = ("exclusiveGateway", "inclusiveGateway")  # the splits a "flower" is made of
FLOWER_BRANCHES = 10  # a choice on a loop with this many tasks (and at least half of them) is a flower


@dataclass
class DiscoveryResult:
    model: BpmnModel
    section: dict[str, Any]  # the report's "discovery" section


def discover_model(
    con: duckdb.DuckDBPyConnection,
    algorithm: str = "inductive",
    noise: float = 0.0,
    coverage: float = 1.0,
    precision: bool = False,
) -> DiscoveryResult:
    from procmine.adapter import discovery as miner  # lazy: pm4py costs ~2 s to import

    every = [(v.activities, v.cases) for v in variants.variants(con)]
    used = (
        every
        if coverage >= 1
        else [(v.activities, v.cases) for v in variants.variants_covering(con, coverage)]
    )
    replayed = [] if precision else _replayed(every)  # (with precision: the fitness of the alignments)
    mined = miner.discover(used, algorithm=algorithm, noise=noise, replay=replayed)
    model = tidy(mined.model)
    cases_total = sum(n for _, n in every)
    cases_used = sum(n for _, n in used)
    fitness = mined.fitness
    fitness_share = sum(n for _, n in replayed) / cases_total if cases_total else 0.0
    measured = None
    if precision:
        fitness, measured = _aligned_fit(model, every)
        fitness_share = measured["cases_share"]
    section = {
        "algorithm": algorithm,
        "mined_from": mined.mined_from,
        "parameters": mined.parameters,
        "coverage": coverage,
        "variants_used": len(used),
        "cases_used": cases_used,
        "cases_used_share": cases_used / cases_total if cases_total else 0.0,
        "fitness": fitness,
        "fitness_cases_share": fitness_share,
        "precision": measured,
        "largest_choice": largest_choice(model, model_counts(model)["tasks"]),
        "model": model_counts(model),
    }
    return DiscoveryResult(model, section)


def _replayed(every: list[tuple[tuple[str, ...], int]]) -> list[tuple[tuple[str, ...], int]]:
    """The most frequent variants token replay measures the fitness on (``REPLAY_VARIANT_LIMIT``...)."""
    activities = len({a for trace, _ in every for a in trace})
    budget = max(1, min(REPLAY_VARIANT_LIMIT, REPLAY_EFFORT // max(activities, 1)))
    return [v for v in every if len(v[0]) <= REPLAY_TRACE_LIMIT][:budget]


def _aligned_fit(
    model: BpmnModel, variants: list[tuple[tuple[str, ...], int]]
) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """The fitness (None when no variant was aligned in time) and the precision of the mined model on
    all of the log's ``variants``, both from the variants' optimal alignments, as ``check`` computes them;
    within ``PRECISION_BUDGET`` seconds. The precision is the counterweight to the fitness: a model that
    allows any order (a "flower") fits every log perfectly and has a precision near 0."""
    from procmine.adapter.alignments import Limits, align_traces, empty_trace_cost
    from procmine.adapter.compiled_net import CompiledNet
    from procmine.analyses.alignment_stats import fitness_figures, variant_deviations
    from procmine.analyses.model_net import choose_process, netspec_from_translation
    from procmine.analyses.precision import METHOD, TOO_SLOW, alignment_precision
    from procmine.petri.translate import lean

    traces, counts = [t for t, _ in variants], [n for _, n in variants]
    translation = choose_process(model, {a for t in traces for a in t}, None).translation
    net = netspec_from_translation(lean(translation))
    deadline = time.monotonic() + PRECISION_BUDGET
    limits = Limits(time_cap=PRECISION_CAP, time_budget=PRECISION_BUDGET)
    with progress.step(f"fitness and precision of the mined model on {len(traces):,} variants"):
        empty_cost = empty_trace_cost(net, limits)
        alignments = align_traces(net, traces, limits)
        result = alignment_precision(CompiledNet(net), traces, counts, alignments, deadline)
    aligned = sum(n for n, a in zip(counts, alignments, strict=True) if a.cost is not None)
    reason = f"not computed within {PRECISION_BUDGET:.0f} s" if result.reason == TOO_SLOW else result.reason
    precision = {
        "value": result.value,
        "method": METHOD,
        "reason": reason,
        "cases": aligned,
        "cases_share": aligned / sum(counts) if counts else 0.0,
    }
    if empty_cost is None or not aligned:
        return None, precision
    tasks = {t.label: t.label for t in net.transitions if t.label is not None}  # (mined: named as the log)
    figures = fitness_figures(variant_deviations(traces, alignments, net, tasks, empty_cost), counts)
    fitness = {
        "log_fitness": figures["fitness"],
        "average_trace_fitness": figures["average_trace_fitness"],
        "fitting_cases_share": figures["fitting_share"],
        "method": "optimal alignments",
    }
    return fitness, precision


def largest_choice(model: BpmnModel, tasks: int) -> dict[str, Any]:
    """The exclusive split with the most branches, and whether it sits on a loop (a branch leads back to
    it). One choice on a loop between most of the ``tasks`` is a "flower": the model then accepts those
    tasks in any order and any number of times, so it fits every log and says little about the process."""
    following: dict[str, list[str]] = {}
    for flow in model.flows.values():
        following.setdefault(flow.source_id, []).append(flow.target_id)
    splits = [
        (len(targets), node) for node, targets in following.items() if model.nodes[node].type in CHOICES
    ]
    if not splits:
        return {"branches": 0, "in_loop": False, "flower": False}
    branches, gateway = max(splits)
    in_loop = _reaches(following, following[gateway], gateway)
    flower = in_loop and branches >= max(FLOWER_BRANCHES, tasks / 2)
    return {"branches": branches, "in_loop": in_loop, "flower": flower}


def _reaches(following: dict[str, list[str]], starts: list[str], goal: str) -> bool:
    seen, todo = set(starts), list(starts)
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        for nxt in following.get(node, []):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def model_counts(model: BpmnModel) -> dict[str, int]:
    nodes = list(model.nodes.values())
    return {
        "tasks": sum(n.is_task for n in nodes),
        "gateways": sum(n.is_gateway for n in nodes),
        "events": sum(n.is_event for n in nodes),
        "flows": len(model.flows),
    }
