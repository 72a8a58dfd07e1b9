"""Precision from the alignments already computed: escaping edges over the aligned variants (align-ETC).

For every prefix of a case (its first k events, k = 0 .. length - 1) the model allows some activities next
and the log shows some: an activity the model allows after a prefix but no case ever did there is an
*escaping edge*. Precision = 1 - (escaping edges / allowed activities), each prefix weighted by its cases
(pm4py's ETConformance, Muñoz-Gama and Carmona; the empty prefix is compared with the start activities).

Where the model stands after a prefix is read off the case's optimal alignment: the model's visible steps up
to the move of the prefix's last event (synchronous moves, and the skips the alignment placed before it),
with silent steps free before and after each of them (so a choice that is not yet made stays open), as a
set of markings. Nothing is replayed again: this takes a fraction of the alignment time. pm4py's
align-ETConformance aligns every prefix on its own instead; on fitting logs both read the same markings.

Bounded: at most ``MAX_MARKINGS`` markings are explored in total, and until the deadline (the check gives
it the time the alignments may take, ``--time-budget``); beyond either, precision is not given (the reason
says so) rather than estimated.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from procmine.adapter.compiled_net import Unsafe
from procmine.analyses.precision_prefixes import count_fitting_prefixes

if TYPE_CHECKING:
    from procmine.adapter.aligner import TraceAlignment
    from procmine.adapter.compiled_net import CompiledNet

MAX_MARKINGS = 2_000_000
METHOD = "escaping edges over the optimal alignments (align-ETConformance)"
TOO_SLOW = "the time limit was reached (--time-budget)"


@dataclass
class Precision:
    value: float | None
    reason: str | None = None  # why there is no value
    cases: int = 0  # cases whose prefixes were counted (those of aligned variants)
    allowed: int = 0  # sum over prefixes (times cases) of the activities the model allows next
    escaping: int = 0  # ... of those no case did after that prefix


class _Prefixes:
    """The prefixes of the log as a trie (id 0: the empty prefix), with per prefix its cases and, as bit
    masks over the model's labels (``CompiledNet.labels``), the activities the model allows next and those
    the cases did next. Plain lists of ints: one small object per prefix would be tens of thousands of
    objects for the garbage collector to walk again and again."""

    def __init__(self, label_bit: dict[str, int]):
        self.label_bit = label_bit
        self.child: dict[tuple[int, str], int] = {}  # (parent prefix, activity) -> prefix id
        self.cases = [0]
        self.allowed = [0]
        self.observed = [0]

    def extend(self, prefix: int, activity: str) -> int:
        key = (prefix, activity)
        found = self.child.get(key)
        if found is None:
            found = self.child[key] = len(self.cases)
            self.cases.append(0)
            self.allowed.append(0)
            self.observed.append(0)
        return found

    def count(self, prefix: int, cases: int, allowed: int, following: str) -> None:
        self.cases[prefix] += cases
        self.allowed[prefix] |= allowed
        self.observed[prefix] |= self.label_bit.get(following, 0)  # (not in the model: allowed nowhere)


class _States:
    """Sets of markings closed under silent steps, with the moves between them cached (a lazily built
    automaton of the model's visible behaviour)."""

    def __init__(self, net: CompiledNet, deadline: float | None):
        self.net, self.deadline = net, deadline
        self.explored = 0
        self.after: dict[tuple[frozenset, int], frozenset] = {}
        self.labels: dict[frozenset, int] = {}
        # state -> its visible transitions by label, each with the marking it is enabled in
        self.visible: dict[frozenset, dict[int, list[tuple[object, int]]]] = {}
        # markings just fired -> their closure: steps on different labels or from different states often
        # fire the same markings, and a closure of a concurrent model's markings is hundreds of them
        self.closures: dict[frozenset, frozenset] = {}
        # one object per distinct state: equal closures reached along different paths would otherwise be
        # compared marking by marking on every cache look-up (the states of a concurrent model are large)
        self.interned: dict[frozenset, frozenset] = {}

    def closed(self, markings: frozenset) -> frozenset:
        closure = self.closures.get(markings)
        if closure is None:
            closure = self.net.silent_closure(markings, MAX_MARKINGS)
            if closure is None:
                raise _TooLarge
            closure = self.closures[markings] = self.interned.setdefault(closure, closure)
        self.explored += len(closure)  # (as if it were explored again: the limits do not depend on caching)
        if self.explored > MAX_MARKINGS:
            raise _TooLarge
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise _TooSlow
        return closure

    def step(self, state: frozenset, label: int) -> frozenset:
        key = (state, label)
        after = self.after.get(key)
        if after is None:
            fire = self.net.fire
            fired = {fire(m, t) for m, t in self._visible(state).get(label, ())}
            fired.discard(None)
            after = self.after[key] = self.closed(frozenset(fired))
        return after

    def allowed(self, state: frozenset) -> int:
        """The labels enabled in ``state`` (after silent steps), as a bit mask over ``net.labels``."""
        mask = self.labels.get(state)
        if mask is None:
            mask = self.labels[state] = sum(1 << label for label in self._visible(state))
        return mask

    def _visible(self, state: frozenset) -> dict[int, list[tuple[object, int]]]:
        """The visible transitions enabled in ``state``, by label, with the marking each is enabled in
        (one pass over the state's markings for all the steps from it)."""
        found = self.visible.get(state)
        if found is None:
            net, found = self.net, {}
            for m in state:
                for t in net.enabled(m):
                    if net.label_of[t] >= 0:
                        found.setdefault(net.label_of[t], []).append((m, t))
            self.visible[state] = found
        return found


class _TooLarge(Exception):
    pass


class _TooSlow(Exception):
    pass


def alignment_precision(
    net: CompiledNet,
    traces: Sequence[tuple[str, ...]],
    counts: Sequence[int],
    alignments: Sequence[TraceAlignment],
    deadline: float | None = None,
) -> Precision:
    """``net``: the net the alignments were computed on (labels = log activities); ``deadline``: a
    ``time.monotonic()`` value."""
    try:
        try:
            return _precision(_States(net, deadline), traces, counts, alignments)
        except Unsafe:
            return _precision(_States(net.counted(), deadline), traces, counts, alignments)
    except _TooLarge:
        return Precision(None, f"the model's state space is too large (over {MAX_MARKINGS:,} markings)")
    except _TooSlow:
        return Precision(None, TOO_SLOW)


def _precision(
    states: _States,
    traces: Sequence[tuple[str, ...]],
    counts: Sequence[int],
    alignments: Sequence[TraceAlignment],
) -> Precision:
    net = states.net
    start = states.closed(frozenset([net.encode(net.initial_vector)]))
    table = _Prefixes({label: 1 << i for i, label in enumerate(net.labels)})
    fits = [i for i, (trace, a) in enumerate(zip(traces, alignments, strict=True)) if a.cost == 0 and trace]
    deviating = any(a.cost for a in alignments)
    walks = None  # the fitting variants one by one, should their prefixes not be counted at once
    fitting = ([traces[i] for i in fits], [counts[i] for i in fits])
    if not count_fitting_prefixes(states, start, table, *fitting, linked=deviating):
        walks = _FittingWalks(states, start, table)
    cases = 0
    for trace, n, alignment in zip(traces, counts, alignments, strict=True):
        if alignment.cost is None or not trace:
            continue
        cases += n
        table.count(0, n, 0, trace[0])
        if alignment.cost == 0:
            if walks is not None:
                walks.walk(trace, n)
            continue
        for prefix_id, allowed, following in _walk(states, start, trace, alignment, table):
            table.count(prefix_id, n, allowed, following)
    if not cases:
        return Precision(None, "no variant was aligned")
    table.allowed[0] = states.allowed(start)
    allowed = sum(a.bit_count() * n for a, n in zip(table.allowed, table.cases, strict=True))
    escaping = sum(
        (a & ~o).bit_count() * n for a, o, n in zip(table.allowed, table.observed, table.cases, strict=True)
    )
    value = 1 - escaping / allowed if allowed else 1.0
    return Precision(value, None, cases, allowed, escaping)


class _FittingWalks:
    """The walks of the variants that fit (alignment cost 0: one synchronous move per event, silent moves
    between them). Their visible model steps are their own events, so where the model stands after a
    prefix depends on the prefix alone: it is kept per prefix, and the prefixes fitting variants share
    (most of them) are not followed move by move again. The counts are those ``_walk`` gives."""

    def __init__(self, states: _States, start: frozenset, table: _Prefixes):
        self.states, self.table = states, table
        self.state_at: dict[int, frozenset] = {0: start}  # prefix id -> the state a fitting walk left it in
        self.allowed_counted: set[int] = set()  # prefixes whose allowed activities hold that state's

    def walk(self, trace: tuple[str, ...], cases: int) -> None:
        table, state_at, label_id = self.table, self.state_at, self.states.net.label_id
        prefix, last = 0, len(trace) - 1
        for i, activity in enumerate(trace):
            node = table.child.get((prefix, activity))
            state = state_at.get(node) if node is not None else None
            if state is None:
                state = self.states.step(state_at[prefix], label_id[activity])
                node = table.extend(prefix, activity)
                state_at[node] = state
            prefix = node
            if i < last:
                if node not in self.allowed_counted:
                    self.allowed_counted.add(node)
                    table.allowed[node] |= self.states.allowed(state)
                table.count(node, cases, 0, trace[i + 1])


def _walk(states, start, trace, alignment, table):  # type: ignore[no-untyped-def]
    """(prefix id, activities the model allows after it, the activity the case did next) for each proper,
    non-empty prefix of ``trace``, following the alignment's model steps."""
    net, state, prefix = states.net, start, 0
    for move in alignment.moves:
        if move.transition_id is not None:
            label = net.label_of[net.index_of[move.transition_id]]
            if label >= 0:
                state = states.step(state, label)
        if move.kind in ("sync", "log"):
            i = move.event_index
            prefix = table.extend(prefix, trace[i])
            if i + 1 < len(trace):
                yield prefix, states.allowed(state), trace[i + 1]
