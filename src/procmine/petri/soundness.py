"""Soundness of a translated process: can every case finish, cleanly, and can every step happen?

Explores the reachability graph of the Petri net breadth first (so every example path is a shortest one),
up to a state limit, and reports, each with the BPMN element at fault and an example path of task labels:

- deadlock: a reachable marking where nothing can fire but tokens remain outside the end (typically a
  parallel join waiting for a branch an exclusive split never started);
- no option to complete (livelock): a set of markings the case can never leave, without an end in it;
- lack of synchronisation: two tokens on one place (parallel branches merged by an exclusive gateway, so
  everything after it runs twice);
- improper completion: the end is reached more than once in one case;
- dead transitions: BPMN elements that no case can ever reach.

A marking counts as completed when all its tokens lie on the places of the final marking. Markings that
strictly cover one of their ancestors (unbounded growth, e.g. a loop that forks without joining) are not
explored further: the growth itself is reported as lack of synchronisation, and verdicts that need the whole
graph (livelocks, dead transitions) are only given when nothing was cut off.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from procmine.petri.net import PetriNet, Place

MAX_PATH = 30
ANCESTOR_WINDOW = 64


@dataclass(frozen=True)
class Problem:
    kind: str  # deadlock | livelock | unsafe | improper_completion | dead
    element_id: str | None  # the BPMN element at fault
    path: tuple[str, ...] = ()  # labels of the visible steps from the start to the problem
    tokens: tuple[str, ...] = ()  # element ids (or place names) holding tokens in the problem marking
    elements: tuple[str, ...] = ()  # further elements involved (the loop's elements, the producers...)
    reason: str = ""  # improper_completion: "twice" (the end reached twice) or "left" (work left behind)


@dataclass
class SoundnessResult:
    states: int = 0
    complete: bool = True  # False when the state limit stopped the exploration
    truncated: int = 0  # markings not explored because they grow without bound
    problems: list[Problem] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Problem]:
        return [p for p in self.problems if p.kind == kind]

    @property
    def decided(self) -> bool:
        """Whether verdicts that need the whole state space (livelock, dead elements) could be given."""
        return self.complete and not self.truncated

    def to_dict(self) -> dict[str, object]:
        counts: dict[str, int] = {}
        for p in self.problems:
            counts[p.kind] = counts.get(p.kind, 0) + 1
        return {
            "states": self.states,
            "complete": self.complete,
            "truncated": self.truncated,
            "sound": self.decided and not self.problems,
            "problems": dict(sorted(counts.items())),
        }


class _Graph:
    """The net compiled to integer indices, and the reachability graph explored so far."""

    def __init__(self, net: PetriNet, initial: Mapping[Place, int], final: Mapping[Place, int]):
        self.net = net
        self.places = list(net.places)
        index = {p: i for i, p in enumerate(self.places)}
        self.transitions = list(net.transitions)
        self.pre = [tuple(index[p] for p in net.preset(t)) for t in self.transitions]
        self.post = [tuple(index[p] for p in net.postset(t)) for t in self.transitions]
        self.consumers: list[list[int]] = [[] for _ in self.places]
        self.producers: list[list[int]] = [[] for _ in self.places]
        for t, places in enumerate(self.pre):
            for p in places:
                self.consumers[p].append(t)
        for t, places in enumerate(self.post):
            for p in places:
                self.producers[p].append(t)
        self.initial = _key({index[p]: n for p, n in initial.items() if n})
        self.final_places = frozenset(index[p] for p, n in final.items() if n)
        self.markings: list[tuple[tuple[int, int], ...]] = []
        self.ids: dict[tuple[tuple[int, int], ...], int] = {}
        self.parent: list[tuple[int, int]] = []  # (state, transition) that first reached each state
        self.edges: list[list[tuple[int, int]]] = []  # state -> [(transition, successor)]

    def add(self, marking: tuple[tuple[int, int], ...], parent: tuple[int, int]) -> int:
        self.ids[marking] = len(self.markings)
        self.markings.append(marking)
        self.parent.append(parent)
        self.edges.append([])
        return len(self.markings) - 1

    def enabled(self, marking: dict[int, int]) -> list[int]:
        consumers = self.consumers
        candidates = sorted(set().union(*(consumers[p] for p in marking))) if marking else []
        return [t for t in candidates if all(p in marking for p in self.pre[t])]

    def completed(self, marking: tuple[tuple[int, int], ...]) -> bool:
        return all(p in self.final_places for p, _ in marking)

    def path(self, state: int) -> tuple[str, ...]:
        steps: list[str] = []
        while state > 0:
            state, t = self.parent[state]
            label = self.transitions[t].label
            if label:
                steps.append(label)
        steps.reverse()
        return tuple(steps[-MAX_PATH:])

    def covers_ancestor(self, marking: dict[int, int], parent: int) -> bool:
        """Whether ``marking`` strictly covers one of its last ANCESTOR_WINDOW ancestors (unbounded growth).

        Growing loops are short, so a window suffices; growth it misses still ends at the state limit.
        """
        state, steps = parent, 0
        total = sum(marking.values())
        while state >= 0 and steps < ANCESTOR_WINDOW:
            ancestor = self.markings[state]
            if sum(n for _, n in ancestor) < total and all(marking.get(p, 0) >= n for p, n in ancestor):
                return True
            state = self.parent[state][0] if state > 0 else -1
            steps += 1
        return False

    def where(self, place: int) -> str:
        p = self.places[place]
        return p.element_id or p.name

    def element(self, transition: int) -> str | None:
        return self.transitions[transition].element_id


def _key(marking: dict[int, int]) -> tuple[tuple[int, int], ...]:
    return tuple(sorted((p, n) for p, n in marking.items() if n))


def check_soundness(translation: object, state_limit: int = 50_000) -> SoundnessResult:
    """Explore ``translation`` (``.net``, ``.initial``, ``.final``); report what keeps it from being sound."""
    graph = _Graph(translation.net, translation.initial, translation.final)  # type: ignore[attr-defined]
    return explore(graph, state_limit)


def explore(graph: _Graph, state_limit: int) -> SoundnessResult:
    result = SoundnessResult()
    if not graph.initial:
        return result
    graph.add(graph.initial, (-1, -1))
    queue: deque[int] = deque([0])
    unsafe_seen: set[int] = set()
    improper_seen = False
    truncated: set[int] = set()
    dead_states: list[int] = []
    while queue:
        state = queue.popleft()
        marking = dict(graph.markings[state])
        moves = graph.enabled(marking)
        if not moves:
            dead_states.append(state)
        for t in moves:
            after = marking.copy()
            for p in graph.pre[t]:
                if after[p] == 1:
                    del after[p]
                else:
                    after[p] -= 1
            for p in graph.post[t]:
                after[p] = after.get(p, 0) + 1
            key = tuple(sorted(after.items()))
            successor = graph.ids.get(key)
            if successor is None:
                if len(graph.markings) >= state_limit:
                    result.complete = False
                    queue.clear()
                    break
                successor = graph.add(key, (state, t))
                crowded = [p for p in graph.post[t] if after[p] >= 2]
                for p in crowded:
                    if p in graph.final_places:
                        if not improper_seen:
                            improper_seen = True
                            result.problems.append(_improper(graph, successor, p))
                    elif p not in unsafe_seen:
                        unsafe_seen.add(p)
                        if not unsafe_seen.intersection(graph.pre[t]):  # not just passed on downstream
                            result.problems.append(_unsafe(graph, successor, p))
                if crowded and graph.covers_ancestor(after, state):
                    truncated.add(successor)
                else:
                    queue.append(successor)
            graph.edges[state].append((t, successor))
    result.states = len(graph.markings)
    result.truncated = len(truncated)
    result.problems.extend(_deadlocks(graph, dead_states))
    if result.complete and not truncated:
        result.problems.extend(_livelocks(graph, set(dead_states)))
        result.problems.extend(_dead_elements(graph))
    return result


def _unsafe(graph: _Graph, state: int, place: int) -> Problem:
    """Two tokens on one place: blame the element that passed them on (a merging gateway), else the next."""
    producers = sorted({graph.element(t) or "" for t in graph.producers[place]} - {""})
    consumers = sorted({graph.element(t) or "" for t in graph.consumers[place]} - {""})
    blamed = producers[0] if len(producers) == 1 else (consumers[0] if consumers else graph.where(place))
    return Problem(
        "unsafe",
        blamed,
        graph.path(state),
        tokens=(graph.where(place),),
        elements=tuple(consumers),
    )


def _improper(graph: _Graph, state: int, place: int) -> Problem:
    producers = sorted({graph.element(t) or "" for t in graph.producers[place]} - {""})
    return Problem(
        "improper_completion",
        producers[0] if producers else graph.where(place),
        graph.path(state),
        tokens=(graph.where(place),),
        elements=tuple(producers),
        reason="twice",
    )


def _deadlocks(graph: _Graph, dead_states: list[int]) -> list[Problem]:
    """Dead markings with tokens outside the end, blamed on the element each stuck token waits for.

    When the end is already marked, the case has completed with work left behind: improper completion;
    otherwise it is a deadlock.
    """
    out: list[Problem] = []
    blamed: set[tuple[str, str]] = set()
    for state in dead_states:
        marking = graph.markings[state]
        if graph.completed(marking):
            continue
        stuck = [p for p, _ in marking if p not in graph.final_places]
        ended = any(p in graph.final_places for p, _ in marking)
        kind = "improper_completion" if ended else "deadlock"
        waiting = sorted({graph.element(t) or "" for p in stuck for t in graph.consumers[p]} - {""})
        element = waiting[0] if waiting else graph.where(stuck[0])
        if (kind, element) in blamed:
            continue
        blamed.add((kind, element))
        out.append(
            Problem(
                kind,
                element,
                graph.path(state),
                tokens=tuple(sorted({graph.where(p) for p in stuck})),
                elements=tuple(waiting),
                reason="left" if ended else "",
            )
        )
    return out


def _livelocks(graph: _Graph, dead: set[int]) -> list[Problem]:
    """Bottom strongly connected components (no way out) that contain no completed marking."""
    out = []
    for component in _bottom_components(graph):
        if len(component) == 1 and component[0] in dead:
            continue  # a deadlock, reported as such
        if any(graph.completed(graph.markings[s]) for s in component):
            continue
        members = set(component)
        inside = [t for s in sorted(component) for t, succ in graph.edges[s] if succ in members]
        labelled = [t for t in inside if graph.transitions[t].label]
        elements = sorted({graph.element(t) or "" for t in inside} - {""})
        blamed = graph.element((labelled or inside)[0]) if inside else None
        first = min(component)
        out.append(
            Problem(
                "livelock",
                blamed,
                graph.path(first),
                tokens=tuple(sorted({graph.where(p) for p, _ in graph.markings[first]})),
                elements=tuple(elements),
            )
        )
    return out


def _dead_elements(graph: _Graph) -> list[Problem]:
    fired = {t for edges in graph.edges for t, _ in edges}
    by_element: dict[str, list[int]] = {}
    for t, transition in enumerate(graph.transitions):
        if transition.element_id:
            by_element.setdefault(transition.element_id, []).append(t)
    out = []
    for element, transitions in sorted(by_element.items()):
        if not any(t in fired for t in transitions):
            labels = sorted({graph.transitions[t].label or "" for t in transitions} - {""})
            out.append(Problem("dead", element, elements=tuple(labels)))
    return out


def _bottom_components(graph: _Graph) -> list[list[int]]:
    """Tarjan's algorithm (iterative), keeping the components no edge leaves."""
    n = len(graph.markings)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    component_of = [-1] * n
    components: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] != -1:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack[v] = True
            successors = graph.edges[v]
            if i < len(successors):
                work.append((v, i + 1))
                w = successors[i][1]
                if index[w] == -1:
                    work.append((w, 0))
                elif on_stack[w]:
                    low[v] = min(low[v], index[w])
                continue
            for _, w in successors:
                if on_stack[w] and component_of[w] == -1:
                    low[v] = min(low[v], low[w])
            if low[v] == index[v]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    component_of[w] = len(components)
                    component.append(w)
                    if w == v:
                        break
                components.append(component)
    bottom = []
    for c, component in enumerate(components):
        if all(component_of[w] == c for s in component for _, w in graph.edges[s]):
            bottom.append(component)
    return bottom
