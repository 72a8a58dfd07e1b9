"""A labelled Petri net (``NetSpec``) compiled for search: index arrays, markings as integers (one bit per
place, while the net is safe) or byte strings (a count per place), the token game, and the silent closure.

Shared by the alignment search, alignment-based precision and the reading of skips at choices. Pure Python
and numpy; transitions keep the NetSpec's order, so every search over it is deterministic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from procmine.adapter.netspec import NetSpec

if TYPE_CHECKING:
    from procmine.adapter.marking_equation import MarkingEquation

FAR = 1 << 30


class Unsafe(Exception):
    """A place would hold two tokens: the bit representation of markings does not fit this net."""


class CompiledNet:
    """A NetSpec as index arrays, with the token game on bit markings or byte markings."""

    def __init__(self, spec: NetSpec, *, bits: bool | None = None):
        self.spec = spec
        self.places = list(spec.places)
        index = {p: i for i, p in enumerate(self.places)}
        self.transition_ids = [t.id for t in spec.transitions]
        self.index_of = {tid: i for i, tid in enumerate(self.transition_ids)}
        self.labels = sorted({t.label for t in spec.transitions if t.label is not None})
        self.label_id = {label: i for i, label in enumerate(self.labels)}
        self.label_of = [self.label_id[t.label] if t.label is not None else -1 for t in spec.transitions]
        self.by_label: list[list[int]] = [[] for _ in self.labels]
        for t, label in enumerate(self.label_of):
            if label >= 0:
                self.by_label[label].append(t)
        presets, postsets = spec.preset(), spec.postset()
        self.pre = [_arcs(presets[t], index) for t in self.transition_ids]
        self.post = [_arcs(postsets[t], index) for t in self.transition_ids]
        self.consumers: list[list[int]] = [[] for _ in self.places]
        for t, pre in enumerate(self.pre):
            for p, _ in pre:
                self.consumers[p].append(t)
        self.sources = [t for t, pre in enumerate(self.pre) if not pre]
        self.final_vector = self._vector(spec.final)
        self.initial_vector = self._vector(spec.initial)
        self.distance = self._silent_distances()
        plain = all(w == 1 for arcs in (*self.pre, *self.post) for _, w in arcs)
        small = max(self.initial_vector, default=0) <= 1 and max(self.final_vector, default=0) <= 1
        self.bits = plain and small if bits is None else bits
        self._enabled: dict[object, tuple[int, ...]] = {}
        self._silent_after: dict[object, tuple[object, ...]] = {}
        if self.bits:
            self.pre_mask = [sum(1 << p for p, _ in pre) for pre in self.pre]
            self.post_mask = [sum(1 << p for p, _ in post) for post in self.post]
        self.equation: MarkingEquation | None = None

    def _vector(self, marking: object) -> np.ndarray:
        vector = np.zeros(len(self.places), dtype=np.int64)
        for place, count in dict(marking).items():  # type: ignore[call-overload]
            vector[self.places.index(place)] = count
        return vector

    def _silent_distances(self) -> list[list[int]]:
        """Per transition and per goal (each label, then the end), how many silent steps at least lie
        between its outputs and a transition carrying the label (for the end: a transition emptying a
        place, or a place of the final marking); ``FAR`` when none. Synchronisation is ignored: this
        only orders the silent steps a replay tries, it never rules one in or out on its own."""
        goals = len(self.labels) + 1
        place_distance = [[FAR] * goals for _ in self.places]
        for t, label in enumerate(self.label_of):
            for p, _ in self.pre[t]:
                if label >= 0:
                    place_distance[p][label] = 0
                elif not self.post[t]:
                    place_distance[p][-1] = 0
        for p in np.flatnonzero(self.final_vector):
            place_distance[int(p)][-1] = 0
        changed = True
        while changed:
            changed = False
            for t, label in enumerate(self.label_of):
                if label >= 0 or not self.post[t]:
                    continue
                after = [min(place_distance[q][g] for q, _ in self.post[t]) + 1 for g in range(goals)]
                for p, _ in self.pre[t]:
                    row = place_distance[p]
                    for g in range(goals):
                        if after[g] < row[g]:
                            row[g], changed = after[g], True
        ending = [FAR] * (goals - 1) + [0]  # a transition without outputs ends its token's way
        return [
            [min((place_distance[q][g] for q, _ in post), default=FAR) for g in range(goals)]
            if post
            else ending
            for post in self.post
        ]

    def incidence_row(self, place: int) -> tuple[list[int], list[float]]:
        """Transition columns and effects (produced minus consumed) on one place, for the equation."""
        effect: dict[int, float] = {}
        for t, (pre, post) in enumerate(zip(self.pre, self.post, strict=True)):
            for p, w in pre:
                if p == place:
                    effect[t] = effect.get(t, 0.0) - w
            for p, w in post:
                if p == place:
                    effect[t] = effect.get(t, 0.0) + w
        columns = [t for t, v in effect.items() if v]
        return columns, [effect[t] for t in columns]

    # ---- markings -----------------------------------------------------------------------------------

    def encode(self, vector: np.ndarray) -> object:
        if self.bits:
            return sum(1 << int(p) for p in np.flatnonzero(vector))
        return bytes(int(v) for v in vector)

    def decode(self, marking: object) -> np.ndarray:
        if self.bits:
            value = int(marking)  # type: ignore[call-overload]
            return np.array([(value >> p) & 1 for p in range(len(self.places))], dtype=np.int64)
        return np.frombuffer(marking, dtype=np.uint8).astype(np.int64)  # type: ignore[call-overload]

    def enabled(self, marking: object) -> tuple[int, ...]:
        cached = self._enabled.get(marking)
        if cached is not None:
            return cached
        if self.bits:
            m = int(marking)  # type: ignore[call-overload]
            candidates, rest = set(self.sources), m
            while rest:
                low = rest & -rest
                candidates.update(self.consumers[low.bit_length() - 1])
                rest ^= low
            masks = self.pre_mask
            found = tuple(sorted(t for t in candidates if m & masks[t] == masks[t]))
        else:
            counts = marking  # bytes
            candidates = set(self.sources)
            for p, n in enumerate(counts):  # type: ignore[arg-type]
                if n:
                    candidates.update(self.consumers[p])
            found = tuple(sorted(t for t in candidates if all(counts[p] >= w for p, w in self.pre[t])))  # type: ignore[index]
        if len(self._enabled) < 200_000:
            self._enabled[marking] = found
        return found

    def fire(self, marking: object, t: int) -> object:
        """The marking after firing ``t`` (enabled); None when a place would hold more than 255 tokens
        (a net that keeps producing: such states are left out of every search)."""
        if self.bits:
            after = int(marking) ^ self.pre_mask[t]  # type: ignore[call-overload]
            if after & self.post_mask[t]:
                raise Unsafe
            return after | self.post_mask[t]
        counts = bytearray(marking)  # type: ignore[arg-type]
        for p, w in self.pre[t]:
            counts[p] -= w
        for p, w in self.post[t]:
            if counts[p] + w > 255:
                return None
            counts[p] += w
        return bytes(counts)

    def silent_closure(self, markings: frozenset[object], limit: int) -> frozenset[object] | None:
        """Every marking reachable from ``markings`` through silent transitions (None beyond ``limit``)."""
        found, todo = set(markings), list(markings)
        while todo:
            for after in self._silent_successors(todo.pop()):
                if after not in found:
                    if len(found) >= limit:
                        return None
                    found.add(after)
                    todo.append(after)
        return frozenset(found)

    def _silent_successors(self, marking: object) -> tuple[object, ...]:
        """The markings one silent step after ``marking``, in transition order (cached: precision closes
        thousands of sets of markings that share most of their members)."""
        cached = self._silent_after.get(marking)
        if cached is None:
            fired = (self.fire(marking, t) for t in self.enabled(marking) if self.label_of[t] < 0)
            cached = self._silent_after[marking] = tuple(after for after in fired if after is not None)
        return cached

    def counted(self) -> CompiledNet:
        """The same net with a token count per place (for nets that turn out not to be safe)."""
        if self.bits:
            if not hasattr(self, "_counted"):
                self._counted = CompiledNet(self.spec, bits=False)
            return self._counted
        return self

    def heuristic(self) -> MarkingEquation:
        """The marking equation of this net (one HiGHS model, made on first use in each process)."""
        if self.equation is None:
            from procmine.adapter.marking_equation import MarkingEquation

            self.equation = MarkingEquation(self)
        return self.equation


def _arcs(weights: dict[str, int], index: dict[str, int]) -> tuple[tuple[int, int], ...]:
    return tuple(sorted((index[p], w) for p, w in weights.items()))
