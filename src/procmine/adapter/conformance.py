"""pm4py's side of conformance checking: converting nets, token replay (the fallback) and precision.

Alignments themselves are computed by ``procmine.adapter.alignments`` (r4pm); pm4py is used where it is
the reference: token-based replay for a trace whose alignment hit the time cap, and ETConformance precision.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd
import pm4py
from pm4py.objects.petri_net.obj import Marking, PetriNet
from pm4py.objects.petri_net.utils import petri_utils

from procmine.adapter.netspec import NetSpec, TransitionSpec

pm4py.util.constants.SHOW_PROGRESS_BAR = False  # stderr belongs to procmine's own progress lines

if TYPE_CHECKING:
    from collections.abc import Mapping

_CASE, _ACT, _TIME = "case:concept:name", "concept:name", "time:timestamp"


def netspec_from_pm4py(
    net: PetriNet, initial: Marking, final: Marking, element_ids: Mapping[str, str] | None = None
) -> NetSpec:
    """A pm4py net as plain data; transition ids are pm4py's transition names."""
    element_ids = element_ids or {}
    places = tuple(sorted(p.name for p in net.places))
    transitions = tuple(
        TransitionSpec(t.name, t.label, element_ids.get(t.name))
        for t in sorted(net.transitions, key=lambda t: t.name)
    )
    arcs = tuple(sorted((a.source.name, a.target.name, int(a.weight)) for a in net.arcs))
    return NetSpec(
        places=places,
        transitions=transitions,
        arcs=arcs,
        initial={p.name: int(n) for p, n in initial.items()},
        final={p.name: int(n) for p, n in final.items()},
        name=net.name or "net",
    )


def netspec_to_pm4py(spec: NetSpec) -> tuple[PetriNet, Marking, Marking]:
    net = PetriNet(spec.name)
    places = {name: PetriNet.Place(name) for name in spec.places}
    transitions = {t.id: PetriNet.Transition(t.id, t.label) for t in spec.transitions}
    net.places.update(places.values())
    net.transitions.update(transitions.values())
    nodes: dict[str, Any] = {**places, **transitions}
    for source, target, weight in spec.arcs:
        petri_utils.add_arc_from_to(nodes[source], nodes[target], net, weight=weight)
    initial = Marking({places[p]: n for p, n in spec.initial.items()})
    final = Marking({places[p]: n for p, n in spec.final.items()})
    return net, initial, final


def _traces_frame(traces: Sequence[tuple[str, ...]]) -> pd.DataFrame:
    rows = [(f"{i:09d}", a, j) for i, trace in enumerate(traces) for j, a in enumerate(trace)]
    df = pd.DataFrame(rows, columns=[_CASE, _ACT, "position"])
    df[_TIME] = pd.Timestamp("2000-01-01", tz="UTC") + pd.to_timedelta(df["position"], unit="s")
    df[_CASE] = df[_CASE].astype(object)
    df[_ACT] = df[_ACT].astype(object)
    return df


def token_replay_fitness(spec: NetSpec, traces: Sequence[tuple[str, ...]]) -> list[float]:
    """pm4py's token-based replay fitness of each trace (the fallback when an alignment is given up)."""
    if not traces:
        return []
    net, initial, final = netspec_to_pm4py(spec)
    df = _traces_frame(traces)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = pm4py.conformance_diagnostics_token_based_replay(
            df, net, initial, final, activity_key=_ACT, case_id_key=_CASE, timestamp_key=_TIME
        )
    # zero-padded case ids: pm4py's case order is the traces' order
    return [float(result["trace_fitness"]) for result in results]


def precision(spec: NetSpec, traces: Sequence[tuple[str, ...]], counts: Sequence[int]) -> float:
    """ETConformance precision (pm4py, token replay) of the log, given as variants with their case counts."""
    expanded = [trace for trace, n in zip(traces, counts, strict=True) for _ in range(n)]
    if not expanded:
        return float("nan")
    net, initial, final = netspec_to_pm4py(spec)
    df = _traces_frame(expanded)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(
            pm4py.precision_token_based_replay(
                df, net, initial, final, activity_key=_ACT, case_id_key=_CASE, timestamp_key=_TIME
            )
        )
