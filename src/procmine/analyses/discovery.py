"""Discovering the process model: pm4py's miners on the variant-compressed log, with the model's fit.

``coverage`` < 1 mines from the most frequent variants that together cover that share of the cases (the
"happy path"); the fitness is measured on the log's most frequent variants (up to ``REPLAY_VARIANT_LIMIT``,
fewer when the model is very wide: token replay tries every transition at every step, so variants times
activities stays under ``REPLAY_EFFORT``; none longer than ``REPLAY_TRACE_LIMIT`` events), whatever was
mined from, so a reader sees what the simplification
costs; ``fitness_cases_share`` says which share of the cases those variants hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from procmine.analyses.bpmn_tidy import tidy
from procmine.engine import variants

if TYPE_CHECKING:
    import duckdb

    from procmine.model.bpmn import BpmnModel

REPLAY_VARIANT_LIMIT = 100  # fitness is measured on the most frequent variants only (replay is slow)
REPLAY_EFFORT = 60_000  # variants replayed x activities: a 3,000-activity log replays 20 variants
REPLAY_TRACE_LIMIT = 2_000  # variants longer than this are not replayed (token replay per event is slow)


@dataclass
class DiscoveryResult:
    model: BpmnModel
    section: dict[str, Any]  # the report's "discovery" section


def discover_model(
    con: duckdb.DuckDBPyConnection, algorithm: str = "inductive", noise: float = 0.0, coverage: float = 1.0
) -> DiscoveryResult:
    from procmine.adapter import discovery as miner  # lazy: pm4py costs ~2 s to import

    every = [(v.activities, v.cases) for v in variants.variants(con)]
    used = (
        every
        if coverage >= 1
        else [(v.activities, v.cases) for v in variants.variants_covering(con, coverage)]
    )
    activities = len({a for trace, _ in every for a in trace})
    budget = max(1, min(REPLAY_VARIANT_LIMIT, REPLAY_EFFORT // max(activities, 1)))
    replayed = [v for v in every if len(v[0]) <= REPLAY_TRACE_LIMIT][:budget]
    mined = miner.discover(used, algorithm=algorithm, noise=noise, replay=replayed)
    model = tidy(mined.model)
    cases_total = sum(n for _, n in every)
    cases_used = sum(n for _, n in used)
    cases_replayed = sum(n for _, n in replayed)
    section = {
        "algorithm": algorithm,
        "mined_from": mined.mined_from,
        "parameters": mined.parameters,
        "coverage": coverage,
        "variants_used": len(used),
        "cases_used": cases_used,
        "cases_used_share": cases_used / cases_total if cases_total else 0.0,
        "fitness": mined.fitness,
        "fitness_cases_share": cases_replayed / cases_total if cases_total else 0.0,
        "model": model_counts(model),
    }
    return DiscoveryResult(model, section)


def model_counts(model: BpmnModel) -> dict[str, int]:
    nodes = list(model.nodes.values())
    return {
        "tasks": sum(n.is_task for n in nodes),
        "gateways": sum(n.is_gateway for n in nodes),
        "events": sum(n.is_event for n in nodes),
        "flows": len(model.flows),
    }
