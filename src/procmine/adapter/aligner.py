"""Optimal alignments by A* over (marking, trace position), guided by the marking equation: procmine's own
search, deterministic and bounded.

Cost: a log move or a visible model move costs ``MOVE_COST`` (10,000, pm4py's standard), a synchronous
move and a silent step nothing. pm4py charges 1 per silent step, which only breaks ties between equally
deviating alignments by how much invisible plumbing of a particular net they pass; the deviations, the
per-trace fitness and whether a trace fits are the same, and they no longer depend on how a model was
translated into a net. (Searching for the fewest silent steps is what makes an uninformed search explode
on models with many of them.)

- Deterministic: transitions are tried in the net's order and ties in the queue are broken by a fixed rule
  (lower estimate of the total, exact estimates first, smaller remaining estimate, further in the trace,
  then the newest state), so the same inputs give the same alignment in every run, on any number of workers.
- Guided: the estimate of the remaining cost is the marking equation (``marking_equation``), solved only
  where needed. A child inherits its parent's solution minus the fired transition when that remains a
  solution (the estimate is then exact); otherwise it gets a lower bound and is solved again when popped.
- Fitting traces first: when the equation says a trace may fit, a depth-first replay with synchronous and
  silent moves looks for a zero-cost run before any search (most variants of a real log fit).
- Bounded: at most ``max_states`` states, until ``cpu_deadline`` (a ``time.thread_time()`` value: the cap is
  CPU time, so which variants a busy machine aligns does not depend on how busy it is) and until ``deadline``
  (a ``time.monotonic()`` value: the wall-clock budget); a result that hit a limit says which, with the best
  lower bound on its cost known at that point.
- A log move is never directly followed by a model move (the two commute; this halves the states).
"""

from __future__ import annotations

import heapq
import time
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from procmine.adapter.compiled_net import FAR, CompiledNet, Unsafe
from procmine.adapter.marking_equation import MOVE_COST

DEFAULT_MAX_STATES = 200_000
REPLAY_STATES_PER_EVENT = 20  # the depth-first replay of a trace gives up beyond this many states per event
_EPS = 1e-6


@dataclass(frozen=True)
class Move:
    kind: str  # "sync" | "log" | "model" (model moves include silent transitions)
    event_index: int | None  # position in the trace (sync and log moves)
    transition_id: str | None  # the transition (sync and model moves)


@dataclass
class TraceAlignment:
    """One trace's optimal alignment, or why there is none (``failure``) and what is known of its cost."""

    cost: int | None  # MOVE_COST x deviations (log moves + visible model moves); None: not aligned
    moves: tuple[Move, ...] = ()
    states: int = 0
    failure: str | None = None  # "time cap", "state cap", "time budget", "model cannot complete", ...
    lower_bound: int = 0  # the optimal cost is at least this (equal to cost when aligned)


class _Remaining:
    """How many events of each activity are left from a trace position on (per activity, by bisection)."""

    def __init__(self, net: CompiledNet, trace: Sequence[str]):
        self.positions: list[list[int]] = [[] for _ in net.labels]
        self.foreign: list[int] = []  # positions of events no transition carries
        self.codes = [net.label_id.get(activity, -1) for activity in trace]
        for i, code in enumerate(self.codes):
            (self.positions[code] if code >= 0 else self.foreign).append(i)
        self.length = len(trace)
        # row pos: the events of each activity from pos on (one row per position, made once per trace)
        self.suffix = np.zeros((self.length + 1, len(net.labels)), dtype=np.int64)
        for i in range(self.length - 1, -1, -1):
            self.suffix[i] = self.suffix[i + 1]
            if self.codes[i] >= 0:
                self.suffix[i, self.codes[i]] += 1

    def count(self, label: int, pos: int) -> int:
        at = self.positions[label]
        return len(at) - bisect_left(at, pos)

    def vector(self, pos: int) -> np.ndarray:
        return self.suffix[pos]

    def foreign_after(self, pos: int) -> int:
        return len(self.foreign) - bisect_left(self.foreign, pos)


@dataclass(frozen=True)
class _Deadlines:
    wall: float | None = None  # time.monotonic()
    cpu: float | None = None  # time.thread_time()

    def passed(self) -> bool:
        return (self.wall is not None and time.monotonic() > self.wall) or (
            self.cpu is not None and time.thread_time() > self.cpu
        )


class _Limit(Exception):
    def __init__(self, reason: str):
        self.reason = reason


class _Search:
    """One A* run; nodes live in parallel lists indexed by node number (creation order)."""

    def __init__(self, net: CompiledNet, trace: Sequence[str], max_states: int, deadlines: _Deadlines):
        self.net, self.max_states, self.deadlines = net, max_states, deadlines
        self.remaining = _Remaining(net, trace)
        self.equation = net.heuristic()
        self.equation.reset()
        self.final = net.encode(net.final_vector)
        self.bound: int | None = None  # a known upper bound of the optimal cost (prunes the rest)
        self.marking: list[object] = []
        self.pos: list[int] = []
        self.g: list[int] = []
        self.h: list[int] = []
        self.exact: list[bool] = []
        self.solution: list[dict[int, float] | None] = []
        self.parent: list[int] = []
        self.move: list[tuple[str, int | None, int | None]] = []
        self.after_log: list[bool] = []
        self.best: dict[tuple[object, int], int] = {}
        self.heap: list[tuple[int, bool, int, int, int]] = []

    def root(self) -> int | None:
        """Create the initial state; its estimate, or None when the model cannot complete at all."""
        start = self.net.encode(self.net.initial_vector)
        node = self._node(-1, start, 0, 0, ("", None, None), 0, None, False)
        self.best[(start, 0)] = 0
        return self.h[node] if self._estimate(node) else None

    def run(self) -> TraceAlignment:
        if not self.g and self.root() is None:
            return TraceAlignment(None, states=1, failure="model cannot complete")
        self._push(0)
        pops = 0
        try:
            while self.heap:
                _, _, h, _, node = heapq.heappop(self.heap)
                node = -node
                pops += 1
                if pops & 63 == 0 and self.deadlines.passed():
                    raise _Limit("time cap")
                if self.g[node] > self.best[(self.marking[node], self.pos[node])]:
                    continue  # a cheaper way to this state was found meanwhile
                if not self.exact[node]:
                    if not self._estimate(node):
                        continue
                    if self.h[node] > h:
                        self._push(node)
                        continue
                if self.pos[node] == self.remaining.length and self.marking[node] == self.final:
                    return self._result(node)
                self._expand(node)
                self.solution[node] = None  # its children hold what they need; keep memory flat
        except _Limit as limit:
            bound = min((entry[0] for entry in self.heap), default=0)
            return TraceAlignment(None, states=len(self.g), failure=limit.reason, lower_bound=bound)
        return TraceAlignment(None, states=len(self.g), failure="model cannot complete")

    def _node(self, parent, marking, pos, g, move, h, solution, after_log) -> int:  # type: ignore[no-untyped-def]
        node = len(self.g)
        if node >= self.max_states:
            raise _Limit("state cap")
        self.marking.append(marking)
        self.pos.append(pos)
        self.g.append(g)
        self.h.append(h)
        self.exact.append(solution is not None)
        self.solution.append(solution)
        self.parent.append(parent)
        self.move.append(move)
        self.after_log.append(after_log)
        return node

    def _push(self, node: int) -> None:
        h = self.h[node]
        heapq.heappush(self.heap, (self.g[node] + h, not self.exact[node], h, -self.pos[node], -node))

    def _estimate(self, node: int) -> bool:
        pos = self.pos[node]
        answer = self.equation.solve(self.net.decode(self.marking[node]), self.remaining.vector(pos))
        if answer is None:
            return False
        value, solution = answer
        self.h[node] = max(self.h[node], value + MOVE_COST * self.remaining.foreign_after(pos))
        self.solution[node] = solution
        self.exact[node] = True
        return True

    def _child(self, parent: int, marking: object, pos: int, cost: int, move, h: int, solution, after_log):  # type: ignore[no-untyped-def]
        g = self.g[parent] + cost
        h = max(0, h)
        if self.bound is not None and g + h > self.bound:
            return
        key = (marking, pos)
        known = self.best.get(key)
        if known is not None and known <= g:
            return
        self.best[key] = g
        self._push(self._node(parent, marking, pos, g, move, h, solution, after_log))

    def _expand(self, node: int) -> None:
        net, marking, pos, h = self.net, self.marking[node], self.pos[node], self.h[node]
        solution = self.solution[node]
        assert solution is not None
        enabled = net.enabled(marking)
        if pos < self.remaining.length:
            code = self.remaining.codes[pos]
            if code >= 0:
                for t in enabled:
                    after = net.fire(marking, t) if net.label_of[t] == code else None
                    if after is not None:
                        self._child(node, after, pos + 1, 0, ("sync", pos, t), h, _minus(solution, t), False)
            exact = code < 0 or self._surplus(solution, code, pos) <= -1 + _EPS
            kept = solution if exact else None
            self._child(node, marking, pos + 1, MOVE_COST, ("log", pos, None), h - MOVE_COST, kept, True)
        if self.after_log[node]:
            return
        for t in enabled:
            label, after = net.label_of[t], net.fire(marking, t)
            if after is None:
                continue
            if label < 0:
                cost, kept = 0, _minus(solution, t)
            else:
                cost = MOVE_COST
                kept = _minus(solution, t) if self._surplus(solution, label, pos) >= 1 - _EPS else None
            self._child(node, after, pos, cost, ("model", None, t), h - cost, kept, False)

    def _surplus(self, solution: dict[int, float], label: int, pos: int) -> float:
        """Planned firings labelled ``label`` minus the events of that activity still to come."""
        planned = sum(solution.get(t, 0.0) for t in self.net.by_label[label])
        return planned - self.remaining.count(label, pos)

    def _result(self, goal: int) -> TraceAlignment:
        moves, ids, node = [], self.net.transition_ids, goal
        while self.parent[node] >= 0:
            kind, index, t = self.move[node]
            moves.append(Move(kind, index, ids[t] if t is not None else None))
            node = self.parent[node]
        moves.reverse()
        cost = self.g[goal]
        return TraceAlignment(cost, tuple(moves), len(self.g), lower_bound=cost)


def _minus(solution: dict[int, float], t: int) -> dict[int, float] | None:
    """The solution with one firing of ``t`` done, or None when it did not plan one."""
    planned = solution.get(t, 0.0)
    if planned < 1 - _EPS:
        return None
    kept = dict(solution)
    if planned < 1 + _EPS:
        del kept[t]
    else:
        kept[t] = planned - 1
    return kept


def replay(net: CompiledNet, trace: Sequence[str], max_states: int) -> TraceAlignment | None:
    """A run of the model producing exactly ``trace`` (synchronous and silent moves only), found depth
    first, synchronous moves before silent ones, in the net's order; None when there is none within
    ``max_states`` states."""
    codes = [net.label_id.get(a, -1) for a in trace]
    if -1 in codes:
        return None
    final, length = net.encode(net.final_vector), len(trace)
    start = net.encode(net.initial_vector)
    seen = {(start, 0)}
    path: list[tuple[int, int]] = []  # (transition, event it consumed or -1) along the current run
    stack = [(start, 0, _replay_steps(net, start, 0, codes))]
    while stack:
        marking, pos, steps = stack[-1]
        if pos == length and marking == final:
            ids = net.transition_ids
            moves = tuple(Move("sync", i, ids[t]) if i >= 0 else Move("model", None, ids[t]) for t, i in path)
            return TraceAlignment(0, moves, len(seen))
        step = next(steps, None)
        if step is None:
            stack.pop()
            if path:
                path.pop()
            continue
        t, advance = step
        after = net.fire(marking, t)
        if after is None or (after, pos + advance) in seen:
            continue
        if len(seen) >= max_states:
            return None
        seen.add((after, pos + advance))
        path.append((t, pos if advance else -1))
        stack.append((after, pos + advance, _replay_steps(net, after, pos + advance, codes)))
    return None


def _replay_steps(net: CompiledNet, marking: object, pos: int, codes: list[int]) -> Iterator[tuple[int, int]]:
    """Synchronous moves on the next event, then the silent steps that can lead to it, nearest first
    (once the trace is done: the silent steps towards the end)."""
    enabled = net.enabled(marking)
    goal = codes[pos] if pos < len(codes) else -1
    if goal >= 0:
        yield from ((t, 1) for t in enabled if net.label_of[t] == goal)
    silent = [(net.distance[t][goal], t) for t in enabled if net.label_of[t] < 0]
    yield from ((t, 0) for d, t in sorted(silent) if d < FAR)


def align(
    net: CompiledNet,
    trace: Sequence[str],
    *,
    max_states: int = DEFAULT_MAX_STATES,
    deadline: float | None = None,
    cpu_deadline: float | None = None,
    bound: int | None = None,
) -> TraceAlignment:
    """The optimal alignment of ``trace`` (activity names) against ``net``, or a failure within limits.
    ``deadline``: a ``time.monotonic()`` value; ``cpu_deadline``: a ``time.thread_time()`` value.
    ``bound``: a known upper bound on the optimal cost (say, from another engine), used for pruning."""
    deadlines = _Deadlines(deadline, cpu_deadline)
    try:
        return _align(net, trace, max_states, deadlines, bound)
    except Unsafe:
        return _align(net.counted(), trace, max_states, deadlines, bound)


def _align(
    net: CompiledNet, trace: Sequence[str], max_states: int, deadlines: _Deadlines, bound: int | None
) -> TraceAlignment:
    search = _Search(net, trace, max_states, deadlines)
    try:
        estimate = search.root()
    except _Limit as limit:
        return TraceAlignment(None, failure=limit.reason)
    if estimate is None:
        return TraceAlignment(None, states=1, failure="model cannot complete")
    if estimate == 0:
        fitting = replay(net, trace, min(max_states, REPLAY_STATES_PER_EVENT * (len(trace) + 1)))
        if fitting is not None:
            return fitting
    search.bound = bound
    return search.run()
