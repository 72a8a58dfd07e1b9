"""pm4py's miners, run on the variant-compressed log, and their models turned into procmine's BpmnModel.

The engine hands over the log as *variants with counts* (a few thousand tuples even for millions of
events), never the raw frame:

- inductive: pm4py's IM / IMf over the variant counter (pm4py's own "UVCL" input, exactly what it builds
  from a full log); for very many variants IMd over the directly-follows graph instead.
- heuristics: pm4py's heuristics miner over the DFG, window-2 DFG and triples computed from the variants
  (the same inputs pm4py computes from a full log).
- split: pm4py's Split Miner over a log holding one trace object per variant, shared ``count`` times
  (its frequency filter needs the counts; shared traces cost one pointer per case).

The facade (``pm4py.discover_process_tree_inductive``) does not accept a variant counter, so the inductive
miner is called through ``pm4py.algo.discovery.inductive`` — the module the facade itself calls.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pm4py
from pm4py.objects.bpmn.obj import BPMN
from pm4py.objects.log.obj import Event, EventLog, Trace
from pm4py.util import constants as pm4py_constants

from procmine.adapter.faster_cuts import faster_cuts
from procmine.model.bpmn import BpmnModel, Node, Process, SequenceFlow
from procmine.model.log import ACTIVITY, CASE, START, TIMESTAMP

ALGORITHMS = ("inductive", "heuristics", "split")
IMD_VARIANT_LIMIT = 20_000  # above this many variants the inductive miner works on the DFG (IMd)
# The inductive miner's fall-throughs on variants grow with activities² x variants: BPIC 2012 (24 activities,
# 4,336 variants: 2.5 M) takes 5 s, the BPIC 2020 permit log (51, 1,402: 3.6 M) 15 s, BPIC 2015 (398, 1,170:
# 185 M) more than 5 minutes, where IMd takes 0.5 s. Above this effort the miner works on the DFG.
IMD_EFFORT_LIMIT = 20_000_000
# The inductive miner on variants is quadratic in a variant's length (one case of 4,000 events: 3.6 s; of
# 100,000: minutes); real logs' longest cases have a few hundred events (BPIC 2012: 175).
IMD_TRACE_LIMIT = 2_000
PM4PY_CASE, PM4PY_ACTIVITY, PM4PY_TIMESTAMP = "case:concept:name", "concept:name", "time:timestamp"

pm4py_constants.SHOW_PROGRESS_BAR = False  # progress bars would interleave with procmine's stderr lines

VariantCounts = Sequence[tuple[tuple[str, ...], int]]


@dataclass
class Discovered:
    """A mined model as procmine's BpmnModel (no layout yet), with how it was mined and how well it fits."""

    model: BpmnModel
    algorithm: str
    mined_from: str  # "variants" or "dfg"
    parameters: dict[str, Any]
    fitness: dict[str, float] | None  # token-based replay of the variants, weighted by their counts


def to_pm4py_frame(events: pd.DataFrame, with_start: bool = False) -> pd.DataFrame:
    """Our canonical frame with pm4py's column names (for pm4py functions, tests and benchmarks).

    The start column is left out unless asked for: pm4py would order its DFG by start but its variants by
    completion, and procmine orders both by completion then file row."""
    frame = events.rename(columns={CASE: PM4PY_CASE, ACTIVITY: PM4PY_ACTIVITY, TIMESTAMP: PM4PY_TIMESTAMP})
    if not with_start and START in frame.columns:
        frame = frame.drop(columns=[START])
    return frame


def variant_log(variants: VariantCounts, repeat: bool = False) -> EventLog:
    """A pm4py EventLog with one trace per variant (``repeat``: the trace object shared count times)."""
    traces = []
    for activities, count in variants:
        trace = Trace([Event({PM4PY_ACTIVITY: a}) for a in activities])
        traces.extend([trace] * (count if repeat else 1))
    return EventLog(traces)


def discover(
    variants: VariantCounts,
    algorithm: str = "inductive",
    noise: float = 0.0,
    replay: VariantCounts | None = None,
) -> Discovered:
    """Mine a model from ``variants`` (activity tuple, number of cases) with one of ``ALGORITHMS``.

    ``noise`` is the inductive miner's noise threshold (IMf when > 0); the other miners run with pm4py's
    default thresholds. The fitness is measured on ``replay`` (default: ``variants``); an empty ``replay``
    skips it."""
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown algorithm {algorithm!r}")
    variants = [(tuple(v), int(n)) for v, n in variants if v]
    if not variants:
        raise ValueError("no cases to discover a model from")
    mined_from = "variants"
    parameters: dict[str, Any] = {}
    net = None
    if algorithm == "inductive":
        parameters["noise_threshold"] = noise
        mined_from = "dfg" if needs_dfg(variants) else "variants"
        tree = _inductive(Counter(dict(variants)), noise, use_dfg=mined_from == "dfg")
        net = pm4py.convert_to_petri_net(tree)
        bpmn = pm4py.convert_to_bpmn(tree)
    elif algorithm == "heuristics":
        parameters["dependency_threshold"] = 0.5  # pm4py's default
        net = _heuristics(variants, parameters["dependency_threshold"])
        bpmn = pm4py.convert_to_bpmn(*net)
    else:
        parameters.update(epsilon=0.1, eta=0.4)  # pm4py's defaults
        bpmn = pm4py.discover_bpmn_split_miner(variant_log(variants, repeat=True), **parameters)
        net = pm4py.convert_to_petri_net(bpmn)
    replay = variants if replay is None else [(tuple(v), int(n)) for v, n in replay if v]
    fitness = replay_fitness(replay, *net) if replay else None
    return Discovered(from_pm4py_bpmn(bpmn), algorithm, mined_from, parameters, fitness)


def needs_dfg(variants: list[tuple[tuple[str, ...], int]]) -> bool:
    """Whether the inductive miner should work on the DFG (IMd): too many variants, too much effort, or a
    variant so long that the miner's time (quadratic in its length) runs away."""
    activities = len({a for trace, _ in variants for a in trace})
    longest = max((len(trace) for trace, _ in variants), default=0)
    return (
        len(variants) > IMD_VARIANT_LIMIT
        or activities**2 * len(variants) > IMD_EFFORT_LIMIT
        or longest > IMD_TRACE_LIMIT
    )


def _inductive(uvcl: Counter, noise: float, use_dfg: bool) -> Any:
    from pm4py.algo.discovery.inductive import algorithm as inductive_miner
    from pm4py.objects.dfg.obj import DFG

    params = {"noise_threshold": noise, "multiprocessing": False, "disable_fallthroughs": False}
    if use_dfg:
        graph, starts, ends = _dfg_of(uvcl)
        with faster_cuts():
            return inductive_miner.apply(
                DFG(graph, starts, ends), variant=inductive_miner.Variants.IMd, parameters=params
            )
    # pm4py checks ``type(obj) in [UVCL]`` against its typing alias: hand the counter to the variant
    # classes the same way apply() does for a log it compressed itself.
    from pm4py.algo.discovery.inductive.dtypes.im_ds import IMDataStructureUVCL
    from pm4py.algo.discovery.inductive.variants.im import IMUVCL
    from pm4py.algo.discovery.inductive.variants.imf import IMFUVCL
    from pm4py.objects.process_tree.utils import generic as pt_util

    miner = IMFUVCL(params) if noise > 0 else IMUVCL(params)
    with faster_cuts():
        tree = miner.apply(IMDataStructureUVCL(uvcl), params)
    tree = pt_util.fold(tree)
    pt_util.tree_sort(tree)
    return tree


def _dfg_of(uvcl: Counter) -> tuple[Counter, Counter, Counter]:
    graph: Counter = Counter()
    starts: Counter = Counter()
    ends: Counter = Counter()
    for trace, n in uvcl.items():
        starts[trace[0]] += n
        ends[trace[-1]] += n
        for pair in itertools.pairwise(trace):
            graph[pair] += n
    return graph, starts, ends


def _heuristics(variants: VariantCounts, dependency_threshold: float) -> tuple[Any, Any, Any]:
    from pm4py.algo.discovery.heuristics.variants import classic as heuristics
    from pm4py.objects.conversion.heuristics_net import converter as hn_converter

    uvcl = Counter(dict(variants))
    graph, starts, ends = _dfg_of(uvcl)
    window2: Counter = Counter()
    triples: Counter = Counter()
    occurrences: Counter = Counter()
    for trace, n in uvcl.items():
        for a in trace:
            occurrences[a] += n
        for i in range(2, len(trace)):
            window2[(trace[i - 2], trace[i])] += n
            triples[(trace[i - 2], trace[i - 1], trace[i])] += n
    params = {heuristics.Parameters.DEPENDENCY_THRESH: dependency_threshold}
    heu_net = heuristics.apply_heu_dfg(
        dict(graph),
        activities=list(occurrences),
        activities_occurrences=dict(occurrences),
        start_activities=dict(starts),
        end_activities=dict(ends),
        dfg_window_2=dict(window2),
        freq_triples=dict(triples),
        parameters=params,
    )
    return hn_converter.apply(heu_net, parameters=params)


def replay_fitness(variants: VariantCounts, net: Any, initial: Any, final: Any) -> dict[str, float]:
    """pm4py's token-based replay of each variant once, weighted by its count: equal to replaying the full
    log (the log fitness is a ratio of token sums)."""
    results = pm4py.conformance_diagnostics_token_based_replay(variant_log(variants), net, initial, final)
    counts = [n for _, n in variants]
    sums = {
        k: sum(r[k] * n for r, n in zip(results, counts, strict=True))
        for k in ("missing_tokens", "consumed_tokens", "remaining_tokens", "produced_tokens")
    }
    fitting = sum(n for r, n in zip(results, counts, strict=True) if r["trace_is_fit"])
    total = sum(counts)
    log_fitness = 0.5 * (1 - sums["missing_tokens"] / max(sums["consumed_tokens"], 1)) + 0.5 * (
        1 - sums["remaining_tokens"] / max(sums["produced_tokens"], 1)
    )
    average = sum(r["trace_fitness"] * n for r, n in zip(results, counts, strict=True)) / total
    return {
        "log_fitness": log_fitness,
        "average_trace_fitness": average,
        "fitting_cases_share": fitting / total,
    }


_NODE_TYPES = (  # most specific first
    (BPMN.StartEvent, "startEvent"),
    (BPMN.EndEvent, "endEvent"),
    (BPMN.ExclusiveGateway, "exclusiveGateway"),
    (BPMN.ParallelGateway, "parallelGateway"),
    (BPMN.InclusiveGateway, "inclusiveGateway"),
    (BPMN.Task, "task"),
)


def from_pm4py_bpmn(bpmn: BPMN) -> BpmnModel:
    """procmine's BpmnModel of a pm4py BPMN graph, with provisional ids (``n0``, ``f0``... in pm4py's set
    order): ``analyses.bpmn_tidy.tidy`` gives the final ones, the same for the same model."""
    nodes = list(bpmn.get_nodes())
    ids = {n: f"n{k}" for k, n in enumerate(nodes)}
    process = Process(id="Process_discovered", name="Discovered process")
    model = BpmnModel(path="model.bpmn", processes=[process])
    for n in nodes:
        kind = _node_type(n)
        # pm4py names events "start"/"end" (tidy names them) and gateways not at all
        model.nodes[ids[n]] = Node(
            id=ids[n],
            type=kind,
            name=(n.get_name() or None) if kind == "task" else None,
            process_id=process.id,
        )
        process.node_ids.append(ids[n])
    for k, f in enumerate(bpmn.get_flows()):
        flow = SequenceFlow(f"f{k}", ids[f.get_source()], ids[f.get_target()], process_id=process.id)
        model.flows[flow.id] = flow
        process.flow_ids.append(flow.id)
        model.nodes[flow.source_id].outgoing.append(flow.id)
        model.nodes[flow.target_id].incoming.append(flow.id)
    return model


def _node_type(node: Any) -> str:
    for cls, name in _NODE_TYPES:
        if isinstance(node, cls):
            return name
    raise ValueError(f"pm4py produced an unsupported BPMN element: {type(node).__name__}")
