"""What the documented model says about its tasks, read off the net's state space.

- mandatory tasks: every run from the initial to the final marking fires a transition of the task
  (so a case without it *skipped* a documented step, rather than taking another documented path);
- the order relation: which tasks can still happen after a given task in some run. When the model lets
  ``q`` follow ``p`` but never ``p`` follow ``q``, a case doing ``q`` before ``p`` reverses the documented
  order.

The reachability graph is explored up to ``MAX_STATES`` markings; beyond that (or for an unbounded net)
the relations are unknown and the findings that need them are not produced (the report says so).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from procmine.adapter.netspec import NetSpec

MAX_STATES = 50_000
MAX_TOKENS = 20  # tokens in one place beyond which the net is treated as unbounded

Marking = tuple[tuple[str, int], ...]
Graph = tuple[list, list[list[tuple[str, str | None, int]]], set[int]]  # states, edges, final states


@dataclass
class ModelRelations:
    known: bool
    reason: str | None = None  # why not known
    states: int = 0
    mandatory: set[str] = field(default_factory=set)  # labels
    can_follow: dict[str, set[str]] = field(default_factory=dict)  # label -> labels that may come later

    def documented_before(self, first: str, second: str) -> bool:
        """The model lets ``second`` follow ``first`` but never ``first`` follow ``second``."""
        return second in self.can_follow.get(first, set()) and first not in self.can_follow.get(second, set())

    def to_dict(self) -> dict:
        return {
            "computed": self.known,
            "reason": self.reason,
            "states": self.states,
            "mandatory_tasks": sorted(self.mandatory),
        }


def model_relations(net: NetSpec) -> ModelRelations:
    graph = _reachability_graph(net)
    if isinstance(graph, str):
        return ModelRelations(known=False, reason=graph)
    states, edges, final_states = graph
    labels = sorted({label for out in edges for _, label, _ in out if label is not None})
    mandatory = {label for label in labels if not _reaches_final_avoiding(edges, final_states, {label})}
    return ModelRelations(
        known=True,
        states=len(states),
        mandatory=mandatory,
        can_follow=_can_follow(edges, labels),
    )


def _reachability_graph(net: NetSpec) -> Graph | str:
    """The markings reachable from the initial one, each with its (transition, label, next marking)
    edges in the order of the sorted transition ids; a sentence instead when the net is unbounded or the
    markings are too many."""
    safe = _safe_graph(net)
    return safe if safe is not None else _counted_graph(net)


def _safe_graph(net: NetSpec) -> Graph | str | None:
    """``_reachability_graph`` with markings as bit sets (one bit per place), the quick way for a net
    whose places never hold two tokens; None as soon as one would (or an arc or a marking has a weight
    above one): the net is then explored with counts."""
    pre, post = net.preset(), net.postset()
    bit = {place: 1 << i for i, place in enumerate(net.places)}
    touched = {p for m in (net.initial, net.final, *pre.values(), *post.values()) for p in dict(m)}
    weights = [n for m in (net.initial, net.final, *pre.values(), *post.values()) for n in dict(m).values()]
    if not touched <= bit.keys() or any(n > 1 for n in weights):
        return None
    labels = {t.id: t.label for t in net.transitions}
    steps = [(tid, labels[tid], _mask(pre[tid], bit), _mask(post[tid], bit)) for tid in sorted(pre)]
    space = _Space(_mask(dict(net.initial), bit))
    while space.queue:
        current = space.queue.popleft()
        marking = space.states[current]
        for tid, label, needs, gives in steps:
            if marking & needs != needs:
                continue
            rest = marking & ~needs
            if rest & gives:
                return None  # a second token in a place
            if not space.reach(current, tid, label, rest | gives):
                return _too_many()
    return space.graph(_mask(dict(net.final), bit))


def _too_many() -> str:
    return f"the state space exceeds {MAX_STATES:,} markings"


def _mask(marking: dict[str, int], bit: dict[str, int]) -> int:
    return sum(bit[p] for p, n in marking.items() if n)


def _counted_graph(net: NetSpec) -> Graph | str:
    """``_reachability_graph`` with markings as token counts per place."""
    pre, post = net.preset(), net.postset()
    labels = {t.id: t.label for t in net.transitions}
    space = _Space(_freeze(net.initial))
    while space.queue:
        current = space.queue.popleft()
        marking = dict(space.states[current])
        for tid in sorted(pre):
            needs = pre[tid]
            if not all(marking.get(p, 0) >= n for p, n in needs.items()):
                continue
            after = dict(marking)
            for p, n in needs.items():
                after[p] -= n
            for p, n in post[tid].items():
                after[p] = after.get(p, 0) + n
                if after[p] > MAX_TOKENS:
                    return f"the net is unbounded (place {p} exceeds {MAX_TOKENS} tokens)"
            if not space.reach(current, tid, labels[tid], _freeze(after)):
                return _too_many()
    return space.graph(_freeze(net.final))


class _Space:
    """The markings found so far, numbered in the order found (breadth first), with their edges."""

    def __init__(self, start: object):
        self.index = {start: 0}
        self.states = [start]
        self.edges: list[list[tuple[str, str | None, int]]] = [[]]
        self.queue = deque([0])

    def reach(self, source: int, tid: str, label: str | None, marking: object) -> bool:
        """The edge from ``source`` to ``marking``; False when the marking is new and there are already
        ``MAX_STATES``."""
        target = self.index.get(marking)
        if target is None:
            if len(self.states) >= MAX_STATES:
                return False
            target = self.index[marking] = len(self.states)
            self.states.append(marking)
            self.edges.append([])
            self.queue.append(target)
        self.edges[source].append((tid, label, target))
        return True

    def graph(self, final: object) -> Graph:
        return self.states, self.edges, {i for i, m in enumerate(self.states) if m == final}


def _freeze(marking: dict[str, int] | object) -> Marking:
    return tuple(sorted((p, n) for p, n in dict(marking).items() if n))  # type: ignore[call-overload]


def _reaches_final_avoiding(edges: list, final_states: set[int], avoided: set[str]) -> bool:
    seen = {0}
    queue = deque([0])
    while queue:
        state = queue.popleft()
        if state in final_states:
            return True
        for _, edge_label, target in edges[state]:
            if edge_label not in avoided and target not in seen:
                seen.add(target)
                queue.append(target)
    return False


def _can_follow(edges: list, labels: list[str]) -> dict[str, set[str]]:
    """label -> labels that can fire at some point after it (fixpoint over the graph, labels as bits)."""
    bit = {label: 1 << i for i, label in enumerate(labels)}
    later = [0] * len(edges)  # state -> labels that can fire from it onwards
    predecessors: list[list[int]] = [[] for _ in edges]
    for source, out in enumerate(edges):
        for _, _, target in out:
            predecessors[target].append(source)
    work = deque(range(len(edges)))
    queued = set(work)
    while work:
        state = work.popleft()
        queued.discard(state)
        value = 0
        for _, label, target in edges[state]:
            value |= later[target] | bit.get(label, 0)
        if value != later[state]:
            later[state] = value
            for p in predecessors[state]:
                if p not in queued:
                    queued.add(p)
                    work.append(p)
    follows: dict[str, int] = {label: 0 for label in labels}
    for out in edges:
        for _, label, target in out:
            if label is not None:
                follows[label] |= later[target]
    return {label: {other for other in labels if mask & bit[other]} for label, mask in follows.items()}
