"""Nets between pm4py and procmine: a pm4py Petri net as a ``NetSpec`` and back.

Alignments and precision are procmine's own (``adapter.alignments``, ``analyses.precision``); pm4py stays
the reference the tests and benchmarks compare them with, on the nets converted here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pm4py
from pm4py.objects.petri_net.obj import Marking, PetriNet
from pm4py.objects.petri_net.utils import petri_utils

from procmine.adapter.netspec import NetSpec, TransitionSpec

pm4py.util.constants.SHOW_PROGRESS_BAR = False  # stderr belongs to procmine's own progress lines

if TYPE_CHECKING:
    from collections.abc import Mapping


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
