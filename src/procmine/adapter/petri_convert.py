"""procmine's own Petri nets (``procmine.petri``) into the shapes the conformance engines take.

``procmine.petri`` sits beside this package in the layer order, so it is not imported here: any object
with ``net`` (places, transitions with ``name``/``label``/``element_id``, arcs with ``source``/``target``),
``initial`` and ``final`` converts, which is exactly what ``procmine.petri.translate.Translation`` is.
"""

from __future__ import annotations

from typing import Any

from pm4py.objects.petri_net.obj import Marking, PetriNet

from procmine.adapter.conformance import netspec_to_pm4py
from procmine.adapter.netspec import NetSpec, TransitionSpec


def netspec_from_translation(translation: Any) -> NetSpec:
    """A BPMN translation as plain data; transition ids are the translation's (unique) transition names."""
    net = translation.net
    return NetSpec(
        places=tuple(p.name for p in net.places),
        transitions=tuple(TransitionSpec(t.name, t.label, t.element_id) for t in net.transitions),
        arcs=tuple((a.source.name, a.target.name, 1) for a in net.arcs),
        initial={p.name: int(n) for p, n in translation.initial.items()},
        final={p.name: int(n) for p, n in translation.final.items()},
        name=net.name or "net",
    )


def to_pm4py(translation: Any) -> tuple[PetriNet, Marking, Marking]:
    """pm4py's net, initial and final marking for a BPMN translation."""
    return netspec_to_pm4py(netspec_from_translation(translation))
