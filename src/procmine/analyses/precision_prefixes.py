"""The prefixes of the variants that fit, counted for precision on arrays rather than event by event.

A variant that fits (alignment cost 0) moves through the model on its own events, so where the model stands
after one of its prefixes depends on the prefix alone. Its prefixes are therefore numbered once for all such
variants: each event gets a 64-bit polynomial hash of the prefix it ends and the prefix's length, equal
prefixes get one number, and every numbered prefix is then checked against its first occurrence (same last
activity, same length, same parent prefix), so a hash collision can never merge two different prefixes
(the caller then walks the variants one by one). The model's state after each prefix is its parent's after
the prefix's last activity, read in order of length from a cache of (state, activity) steps: one look-up per
distinct prefix instead of several per event.

The counts are those ``precision._FittingWalks`` gives: per proper prefix (one the variant continues
past) its cases, the activities the model allows after it and those the cases did next.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from procmine.analyses.precision import _Prefixes, _States

HASH_BASE = 1_000_003
_WORD = 62  # labels per int64 word of a bit mask
_LENGTH_MIX = np.uint64(0x9E3779B97F4A7C15)  # spreads the prefix length over the hash's bits


class _Numbered:
    """Every event of the fitting variants (flat, variant after variant) with the number of the prefix it
    ends (``node``), and per numbered prefix its parent (-1: the empty prefix), last activity and length."""

    def __init__(self, codes: np.ndarray, lengths: np.ndarray, base: int):
        self.codes, self.lengths = codes, lengths
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        self.depth = np.arange(len(codes)) - np.repeat(starts, lengths)
        self.node, self.first_event = _prefix_numbers(codes, self.depth, starts, lengths, base)
        self.parent_of_event = np.where(self.depth > 0, np.roll(self.node, 1), -1)

    def exact(self) -> bool:
        """Every event's prefix equals its number's first occurrence (no hash collision)."""
        first = self.first_event[self.node]
        return bool(
            np.array_equal(self.codes[first], self.codes)
            and np.array_equal(self.depth[first], self.depth)
            and np.array_equal(self.parent_of_event[first], self.parent_of_event)
        )

    def proper(self) -> np.ndarray:
        """The events after which their variant goes on (they end a proper prefix)."""
        ends = np.cumsum(self.lengths) - 1
        keep = np.ones(len(self.codes), dtype=bool)
        keep[ends] = False
        return keep


def _prefix_numbers(
    codes: np.ndarray, depth: np.ndarray, starts: np.ndarray, lengths: np.ndarray, base: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per event, a number shared by the events ending an equal prefix (up to hash collisions), and per
    number the first event with it."""
    multiplier = np.uint64(base)
    powers = np.ones(int(lengths.max()), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(1, len(powers)):
            powers[i] = powers[i - 1] * multiplier
        running = np.cumsum((codes.astype(np.uint64) + np.uint64(1)) * powers[depth], dtype=np.uint64)
        before = np.concatenate([np.zeros(1, dtype=np.uint64), running])[np.repeat(starts, lengths)]
        keys = (running - before) ^ (depth.astype(np.uint64) * _LENGTH_MIX)
    _, first, node = np.unique(keys, return_index=True, return_inverse=True)
    return node.reshape(-1), first


def count_fitting_prefixes(
    states: _States,
    start: frozenset,
    table: _Prefixes,
    traces: Sequence[tuple[str, ...]],
    counts: Sequence[int],
    linked: bool = True,
    base: int = HASH_BASE,
) -> bool:
    """Count the proper prefixes of these fitting, non-empty variants into ``table``, which holds no prefix
    but the empty one yet (whose counts the caller keeps); ``linked``: with ``table.child`` filled, for the
    deviating variants' walks to extend these prefixes. False, with nothing counted, when two different
    prefixes hashed alike: the caller then walks the variants one by one."""
    if not traces:
        return True
    label_id = states.net.label_id
    lengths = np.fromiter(map(len, traces), dtype=np.int64, count=len(traces))
    codes = np.fromiter(
        map(label_id.__getitem__, chain.from_iterable(traces)), dtype=np.int64, count=int(lengths.sum())
    )
    numbered = _Numbered(codes, lengths, base)
    if not numbered.exact():
        return False
    first = numbered.first_event
    parent, label = numbered.parent_of_event[first], codes[first]
    state_of = _states_after(states, start, parent, label, numbered.depth[first])
    proper = numbered.proper()
    cases_of_event = np.repeat(np.asarray(counts, dtype=np.int64), lengths)
    cases = np.bincount(numbered.node[proper], weights=cases_of_event[proper], minlength=len(first))
    cases = cases.astype(np.int64).tolist()
    allowed_of_state = [states.allowed(state) for state in state_of.states]
    table.cases += cases
    table.allowed += [allowed_of_state[s] if n else 0 for s, n in zip(state_of.ids, cases, strict=True)]
    table.observed += _observed(numbered, proper, len(first))
    if not linked:  # no deviating variant walks on from these prefixes
        return True
    names = [states.net.labels[c] for c in label.tolist()]
    table.child.update(
        zip(zip((parent + 1).tolist(), names, strict=True), range(1, len(first) + 1), strict=True)
    )
    return True


class _StateIds:
    """The model's state after each numbered prefix, as an index into ``states`` (distinct states)."""

    def __init__(self, start: frozenset, prefixes: int):
        self.states = [start]
        self.index = {id(start): 0}
        self.ids = [0] * prefixes

    def number(self, state: frozenset) -> int:
        found = self.index.get(id(state))  # (``_States`` interns its states: one object per state)
        if found is None:
            found = self.index[id(state)] = len(self.states)
            self.states.append(state)
        return found


def _states_after(
    states: _States, start: frozenset, parent: np.ndarray, label: np.ndarray, depth: np.ndarray
) -> _StateIds:
    """Per numbered prefix (shortest first, so a parent's state is known before its children's), the state
    its last activity leads to from its parent's."""
    found = _StateIds(start, len(parent))
    ids, labels = found.ids, len(states.net.labels)
    steps: dict[int, int] = {}  # state id x labels + label -> state id
    order = np.argsort(depth, kind="stable")
    for node, up, step in zip(order.tolist(), parent[order].tolist(), label[order].tolist(), strict=True):
        source = ids[up] if up >= 0 else 0
        key = source * labels + step
        target = steps.get(key)
        if target is None:
            target = steps[key] = found.number(states.step(found.states[source], step))
        ids[node] = target
    return found


def _observed(numbered: _Numbered, proper: np.ndarray, prefixes: int) -> list[int]:
    """Per numbered prefix, the activities done right after it, as a bit mask over the model's labels
    (summed in 62-bit words: the masks of distinct labels add up to their union)."""
    at = np.flatnonzero(proper)
    node, following = numbered.node[at], numbered.codes[at + 1]
    labels = int(numbered.codes.max()) + 1
    pairs = _distinct(node * labels + following)
    node, following = pairs // labels, pairs % labels
    observed: list[int] = []
    for word in range(0, labels, _WORD):
        inside = (following >= word) & (following < word + _WORD)
        bits = np.zeros(prefixes, dtype=np.int64)
        np.add.at(bits, node[inside], np.left_shift(1, following[inside] - word))
        masks = bits.tolist()
        observed = masks if not word else [o | (b << word) for o, b in zip(observed, masks, strict=True)]
    return observed


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, in order: ``np.unique`` without its masked-array test (which imports numpy.ma,
    16 ms of the precision child's ~0.1 s)."""
    ordered = np.sort(values)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))] if len(ordered) else ordered
