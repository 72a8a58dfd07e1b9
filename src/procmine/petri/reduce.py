"""Language-preserving reductions: the same visible traces from a net with far fewer silent steps.

A BPMN translation has one place per sequence flow and a silent transition for every gateway, event and
merge; most of them only pass a token on. Each rule below removes such plumbing and keeps exactly the set
of label sequences that lead from the initial to the final marking (the classic Murata / Berthelot
reductions, restricted to silent transitions and plain arcs). Alignment costs, fitness and every
deviation only depend on that set, so they do not change; the search spaces shrink, often by orders of
magnitude, because fewer silent steps can interleave.

Rules, applied until none matches (``t`` is always silent; a rule never creates an arc of weight 2):

- *self-loop*: ``t`` takes and gives back the same places: it changes nothing; removed.
- *duplicate*: two silent transitions with the same input and output places: one is removed.
- *forward fusion*: ``t`` is the only consumer of its one input place ``p``: whoever puts a token on
  ``p`` may as well fire ``t`` at once, so the producers of ``p`` produce ``t``'s outputs directly.
- *backward fusion*: ``t`` is the only producer of its one output place ``p``: ``t`` may as well wait
  until a consumer of ``p`` fires, so the consumers of ``p`` take ``t``'s inputs directly.
- *parallel places*: two places with the same producers, consumers and markings: one is removed.

The fused place must be empty initially and finally. Fusions that would multiply arcs (many producers and
many outputs, or many consumers and many inputs) are left alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from procmine.petri.net import Marking, PetriNet, Place, Transition


@dataclass
class Reduced:
    net: PetriNet
    initial: Marking
    final: Marking
    removed_transitions: int
    removed_places: int


class _Net:
    """A mutable incidence structure over the original Place and Transition objects (insertion ordered,
    so the reductions and the resulting net do not depend on hashing)."""

    def __init__(self, net: PetriNet, initial: Mapping[Place, int], final: Mapping[Place, int]):
        self.places: dict[Place, None] = dict.fromkeys(net.places)
        self.transitions: dict[Transition, None] = dict.fromkeys(net.transitions)
        self.pre: dict[Transition, dict[Place, None]] = {}
        self.post: dict[Transition, dict[Place, None]] = {}
        self.producers: dict[Place, dict[Transition, None]] = {p: {} for p in net.places}
        self.consumers: dict[Place, dict[Transition, None]] = {p: {} for p in net.places}
        for t in net.transitions:
            self.pre[t], self.post[t] = {}, {}
            for p in net.preset(t):
                self.link(p, t)
            for p in net.postset(t):
                self.link(t, p)
        self.initial = {p: n for p, n in initial.items() if n}
        self.final = {p: n for p, n in final.items() if n}

    def link(self, source: Place | Transition, target: Place | Transition) -> None:
        if isinstance(source, Place):
            self.pre[target][source] = None  # type: ignore[index]
            self.consumers[source][target] = None  # type: ignore[index]
        else:
            self.post[source][target] = None  # type: ignore[index]
            self.producers[target][source] = None  # type: ignore[index]

    def drop_transition(self, t: Transition) -> None:
        for p in self.pre.pop(t):
            del self.consumers[p][t]
        for p in self.post.pop(t):
            del self.producers[p][t]
        del self.transitions[t]

    def drop_place(self, p: Place) -> None:
        for t in self.producers.pop(p):
            del self.post[t][p]
        for t in self.consumers.pop(p):
            del self.pre[t][p]
        del self.places[p]

    def empty(self, p: Place) -> bool:
        return not self.initial.get(p) and not self.final.get(p)


def reduce_net(net: PetriNet, initial: Mapping[Place, int], final: Mapping[Place, int]) -> Reduced:
    """The reduced net (a new PetriNet sharing the surviving Place and Transition objects) and its
    markings. The input net is not changed."""
    work = _Net(net, initial, final)
    changed = True
    while changed:
        changed = False
        for t in list(work.transitions):
            if t in work.transitions and t.is_silent and _reduce_transition(work, t):
                changed = True
        changed |= _parallel_places(work)
    return _rebuild(net, work)


def _reduce_transition(work: _Net, t: Transition) -> bool:
    pre, post = work.pre[t], work.post[t]
    if set(pre) == set(post):
        work.drop_transition(t)
        return True
    if _duplicate(work, t):
        work.drop_transition(t)
        return True
    return _forward(work, t) or _backward(work, t)


def _duplicate(work: _Net, t: Transition) -> bool:
    """An earlier silent transition with the same input and output places exists."""
    pre, post = set(work.pre[t]), set(work.post[t])
    candidates = work.consumers[next(iter(work.pre[t]))] if work.pre[t] else work.transitions
    return any(
        other is not t and other.is_silent and set(work.pre[other]) == pre and set(work.post[other]) == post
        for other in candidates
    )


def _forward(work: _Net, t: Transition) -> bool:
    """t is the only consumer of its single input place: its producers produce t's outputs themselves."""
    if len(work.pre[t]) != 1:
        return False
    (p,) = work.pre[t]
    producers = list(work.producers[p])
    outputs = list(work.post[t])
    if (
        list(work.consumers[p]) != [t]
        or not work.empty(p)
        or t in producers
        or _multiplies(len(producers), len(outputs))
        or any(set(work.post[s]) & set(outputs) for s in producers)
    ):
        return False
    work.drop_transition(t)
    work.drop_place(p)
    for s in producers:
        for q in outputs:
            work.link(s, q)
    return True


def _backward(work: _Net, t: Transition) -> bool:
    """t is the only producer of its single output place: its consumers take t's inputs themselves."""
    if len(work.post[t]) != 1:
        return False
    (p,) = work.post[t]
    consumers = list(work.consumers[p])
    inputs = list(work.pre[t])
    if (
        list(work.producers[p]) != [t]
        or not work.empty(p)
        or t in consumers
        or _multiplies(len(consumers), len(inputs))
        or any(set(work.pre[u]) & set(inputs) for u in consumers)
    ):
        return False
    work.drop_transition(t)
    work.drop_place(p)
    for u in consumers:
        for q in inputs:
            work.link(q, u)
    return True


def _multiplies(copies: int, arcs: int) -> bool:
    """Whether fusing would copy ``arcs`` arcs onto ``copies`` transitions for more arcs than it removes
    (plus two): the net would grow instead of shrink."""
    return copies * arcs > copies + arcs + 2


def _parallel_places(work: _Net) -> bool:
    """Remove places that are copies of an earlier one (same producers, consumers and markings)."""
    seen: dict[tuple, Place] = {}
    copies = []
    for p in work.places:
        key = (
            frozenset(work.producers[p]),
            frozenset(work.consumers[p]),
            work.initial.get(p, 0),
            work.final.get(p, 0),
        )
        if key in seen:
            copies.append(p)
        else:
            seen[key] = p
    for p in copies:
        work.drop_place(p)
        work.initial.pop(p, None)
        work.final.pop(p, None)
    return bool(copies)


def _rebuild(original: PetriNet, work: _Net) -> Reduced:
    """A fresh PetriNet in the original's order, over the surviving places and transitions."""
    net = PetriNet(name=original.name)
    for p in work.places:
        net.adopt(p)
    for t in work.transitions:
        net.adopt(t)
        net.connect(list(work.pre[t]), t, list(work.post[t]))
    return Reduced(
        net,
        dict(work.initial),
        dict(work.final),
        len(original.transitions) - len(net.transitions),
        len(original.places) - len(net.places),
    )
