"""A plain place/transition net, small enough to read in one sitting, with the token game.

procmine builds these from BPMN models (``procmine.petri.translate``) without pm4py, so lint can check
soundness quickly; the adapter layer converts them to pm4py's nets for alignments. Places and transitions
compare by identity (like pm4py's); their names are unique within one net.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

# What a transition stands for, so soundness messages and diagrams can tell BPMN steps from plumbing.
TRANSITION_KINDS = frozenset(
    {"task", "start", "end", "event", "gateway", "enter", "exit", "loop", "boundary", "link", "merge"}
)


@dataclass(eq=False)
class Place:
    name: str
    element_id: str | None = None  # the sequence flow or node this place belongs to, when there is one

    def __repr__(self) -> str:
        return f"Place({self.name!r})"


@dataclass(eq=False)
class Transition:
    name: str
    label: str | None = None  # the activity name a log shows; None for a silent (tau) transition
    element_id: str | None = None  # the BPMN element it was translated from
    kind: str = "task"

    @property
    def is_silent(self) -> bool:
        return self.label is None

    def __repr__(self) -> str:
        return f"Transition({self.name!r}, label={self.label!r})"


@dataclass(frozen=True, eq=False)
class Arc:
    source: Place | Transition
    target: Place | Transition


Marking = dict[Place, int]


@dataclass
class PetriNet:
    name: str = ""
    places: list[Place] = field(default_factory=list)
    transitions: list[Transition] = field(default_factory=list)
    arcs: list[Arc] = field(default_factory=list)
    _pre: dict[Transition, list[Place]] = field(default_factory=dict, repr=False)
    _post: dict[Transition, list[Place]] = field(default_factory=dict, repr=False)
    _names: set[str] = field(default_factory=set, repr=False)
    _consumers: dict[Place, list[Transition]] = field(default_factory=dict, repr=False)
    _order: dict[Transition, int] = field(default_factory=dict, repr=False)
    _sources: set[Transition] = field(default_factory=set, repr=False)  # transitions without input places

    def _unique(self, name: str) -> str:
        candidate, n = name, 1
        while candidate in self._names:
            n += 1
            candidate = f"{name}#{n}"
        self._names.add(candidate)
        return candidate

    def add_place(self, name: str, element_id: str | None = None) -> Place:
        place = Place(self._unique(name), element_id)
        self.places.append(place)
        return place

    def add_transition(
        self, name: str, label: str | None = None, element_id: str | None = None, kind: str = "task"
    ) -> Transition:
        transition = Transition(self._unique(name), label, element_id, kind)
        self._order[transition] = len(self.transitions)
        self.transitions.append(transition)
        self._pre[transition] = []
        self._sources.add(transition)
        self._post[transition] = []
        return transition

    def adopt(self, node: Place | Transition) -> None:
        """Add a place or transition of another net (same object), e.g. one a reduction kept."""
        self._names.add(node.name)
        if isinstance(node, Place):
            self.places.append(node)
            return
        self._order[node] = len(self.transitions)
        self.transitions.append(node)
        self._pre[node], self._post[node] = [], []
        self._sources.add(node)

    def connect(self, inputs: list[Place], transition: Transition, outputs: list[Place]) -> Transition:
        """Arcs from each input place to the transition and from it to each output place (no repeats)."""
        for place in inputs:
            if place not in self._pre[transition]:
                self.arcs.append(Arc(place, transition))
                self._pre[transition].append(place)
                self._consumers.setdefault(place, []).append(transition)
                self._sources.discard(transition)
        for place in outputs:
            if place not in self._post[transition]:
                self.arcs.append(Arc(transition, place))
                self._post[transition].append(place)
        return transition

    def preset(self, transition: Transition) -> list[Place]:
        return self._pre[transition]

    def postset(self, transition: Transition) -> list[Place]:
        return self._post[transition]

    def order(self, transition: Transition) -> int:
        """Position of the transition in the net, so search results do not depend on hashing."""
        return self._order[transition]

    def source_transitions(self) -> set[Transition]:
        return self._sources

    def consumers(self, place: Place) -> list[Transition]:
        """The transitions that take tokens from ``place``."""
        return self._consumers.get(place, [])

    def labels(self) -> set[str]:
        return {t.label for t in self.transitions if t.label is not None}


def is_enabled(net: PetriNet, transition: Transition, marking: Mapping[Place, int]) -> bool:
    return all(marking.get(p, 0) >= 1 for p in net.preset(transition))


def enabled(net: PetriNet, marking: Mapping[Place, int]) -> list[Transition]:
    """Enabled transitions, in the net's order; only those consuming from a marked place are looked at."""
    candidates = {t for p, n in marking.items() if n for t in net.consumers(p)}
    candidates.update(net.source_transitions())  # no input place: always enabled (legal, if unusual)
    return sorted((t for t in candidates if is_enabled(net, t, marking)), key=net.order)


def fire(net: PetriNet, transition: Transition, marking: Mapping[Place, int]) -> Marking:
    """The marking after firing ``transition`` (which must be enabled); the input is not changed."""
    after = dict(marking)
    for place in net.preset(transition):
        after[place] -= 1
        if after[place] == 0:
            del after[place]
    for place in net.postset(transition):
        after[place] = after.get(place, 0) + 1
    return after


def freeze(marking: Mapping[Place, int]) -> frozenset[tuple[Place, int]]:
    """A hashable form of a marking, for visited sets."""
    return frozenset((p, n) for p, n in marking.items() if n)


def reachable_markings(net: PetriNet, initial: Mapping[Place, int], limit: int = 10_000) -> Iterator[Marking]:
    """Markings reachable from ``initial``, breadth first, at most ``limit`` of them."""
    seen = {freeze(initial)}
    queue: deque[Marking] = deque([dict(initial)])
    while queue:
        marking = queue.popleft()
        yield marking
        for transition in enabled(net, marking):
            after = fire(net, transition, marking)
            key = freeze(after)
            if key not in seen:
                if len(seen) >= limit:
                    return
                seen.add(key)
                queue.append(after)
