"""A labelled Petri net as plain data, the one shape the conformance engines (r4pm, pm4py) are fed from.

procmine's BPMN translation, pm4py nets built in tests and nets discovered by pm4py all become a ``NetSpec``
first, so the alignment code, the token-replay fallback and the model-order analysis never care where a
net came from. Pure Python: importing this module costs nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

# Fixed namespace so the UUIDs r4pm needs are the same on every run (deterministic output).
_NAMESPACE = uuid.UUID("6f1c2d4e-8a7b-4c3d-9e0f-a1b2c3d4e5f6")


@dataclass(frozen=True)
class TransitionSpec:
    id: str
    label: str | None  # None: silent (tau)
    element_id: str | None = None  # the BPMN element it stands for, when known


@dataclass(frozen=True)
class NetSpec:
    places: tuple[str, ...]
    transitions: tuple[TransitionSpec, ...]
    arcs: tuple[tuple[str, str, int], ...]  # (source id, target id, weight): place->transition or back
    initial: Mapping[str, int]
    final: Mapping[str, int]
    name: str = "net"
    _index: dict[str, TransitionSpec] = field(default_factory=dict, compare=False, repr=False)

    def transition(self, transition_id: str) -> TransitionSpec:
        if not self._index:
            self._index.update({t.id: t for t in self.transitions})
        return self._index[transition_id]

    @property
    def labels(self) -> list[str]:
        """The visible labels, sorted, each once."""
        return sorted({t.label for t in self.transitions if t.label is not None})

    def relabelled(self, mapping: Mapping[str, str]) -> NetSpec:
        """The same net with visible labels renamed (model task name -> log activity name)."""
        transitions = tuple(
            replace(t, label=mapping.get(t.label, t.label)) if t.label is not None else t
            for t in self.transitions
        )
        return replace(self, transitions=transitions, _index={})

    def preset(self) -> dict[str, dict[str, int]]:
        """transition id -> {place id: weight} consumed."""
        ids = {t.id for t in self.transitions}
        out: dict[str, dict[str, int]] = {t.id: {} for t in self.transitions}
        for source, target, weight in self.arcs:
            if target in ids:
                out[target][source] = out[target].get(source, 0) + weight
        return out

    def postset(self) -> dict[str, dict[str, int]]:
        """transition id -> {place id: weight} produced."""
        ids = {t.id for t in self.transitions}
        out: dict[str, dict[str, int]] = {t.id: {} for t in self.transitions}
        for source, target, weight in self.arcs:
            if source in ids:
                out[source][target] = out[source].get(target, 0) + weight
        return out

    def to_r4pm(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The net as r4pm's PetriNet dict, and r4pm transition UUID -> our transition id."""

        def uid(kind: str, name: str) -> str:
            return str(uuid.uuid5(_NAMESPACE, f"{kind}:{name}"))

        places = {uid("p", p): {"id": uid("p", p)} for p in self.places}
        transitions = {uid("t", t.id): {"id": uid("t", t.id), "label": t.label} for t in self.transitions}
        place_ids = set(self.places)
        arcs = []
        for source, target, weight in self.arcs:
            if source in place_ids:
                arc_type = {"type": "PlaceTransition", "nodes": [uid("p", source), uid("t", target)]}
            else:
                arc_type = {"type": "TransitionPlace", "nodes": [uid("t", source), uid("p", target)]}
            arcs.append({"from_to": arc_type, "weight": weight})
        net = {
            "places": places,
            "transitions": transitions,
            "arcs": arcs,
            "initial_marking": {uid("p", p): n for p, n in self.initial.items()},
            "final_markings": [{uid("p", p): n for p, n in self.final.items()}],
        }
        back = {uid("t", t.id): t.id for t in self.transitions}
        return net, back
