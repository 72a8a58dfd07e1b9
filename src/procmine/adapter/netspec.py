"""A labelled Petri net as plain data, the one shape the conformance code (alignments, precision, the
model's order) is fed from.

procmine's BPMN translation, pm4py nets built in tests and nets discovered by pm4py all become a ``NetSpec``
first, so that code never cares where a net came from. Pure Python: importing this module costs nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace


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
        return self._weights(consumed=True)

    def postset(self) -> dict[str, dict[str, int]]:
        """transition id -> {place id: weight} produced."""
        return self._weights(consumed=False)

    def _weights(self, consumed: bool) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {t.id: {} for t in self.transitions}
        for source, target, weight in self.arcs:
            transition, place = (target, source) if consumed else (source, target)
            if transition in out:
                out[transition][place] = out[transition].get(place, 0) + weight
        return out
