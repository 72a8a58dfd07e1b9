"""The fitting variants' prefixes counted on arrays equal the walk that follows them one by one, prefix by
prefix; a hash collision is caught and left to that walk; the bit masks hold any number of labels."""

from __future__ import annotations

import random

import numpy as np

from procmine.adapter.alignments import Limits, align_traces
from procmine.adapter.compiled_net import CompiledNet
from procmine.analyses.precision import _FittingWalks, _Prefixes, _States
from procmine.analyses.precision_prefixes import _Numbered, _observed, count_fitting_prefixes
from tests.test_conformance_models import parallel_with_loop, sequence_with_choice
from tests.test_precision import FITTING, _net, loop_at_the_end


def _fresh(spec):
    net = CompiledNet(spec)
    states = _States(net, None)
    start = states.closed(frozenset([net.encode(net.initial_vector)]))
    return states, start, _Prefixes({label: 1 << i for i, label in enumerate(net.labels)})


def _by_prefix(table: _Prefixes) -> dict[tuple[str, ...], tuple[int, int, int]]:
    """prefix (activities) -> (cases, allowed, observed): the table without its numbering."""
    edge = {node: key for key, node in table.child.items()}

    def spelled(node: int) -> tuple[str, ...]:
        parent, activity = edge[node]
        return (*spelled(parent), activity) if parent else (activity,)

    return {
        spelled(node): (table.cases[node], table.allowed[node], table.observed[node])
        for node in range(1, len(table.cases))
    }


def _walked(spec, traces, counts):
    states, start, table = _fresh(spec)
    walks = _FittingWalks(states, start, table)
    for trace, n in zip(traces, counts, strict=True):
        walks.walk(trace, n)
    return _by_prefix(table)


def _at_once(spec, traces, counts, base=1_000_003):
    states, start, table = _fresh(spec)
    done = count_fitting_prefixes(states, start, table, traces, counts, base=base)
    return done, table


def _fitting_sample(rng: random.Random, fitting: list[tuple[str, ...]]):
    traces = rng.sample(fitting, rng.randint(1, len(fitting)))
    return traces, [rng.randint(1, 9) for _ in traces]


def test_prefixes_counted_at_once_equal_the_walk_one_by_one(tmp_path):
    rng = random.Random(11)
    cases = [
        (sequence_with_choice, [("A", "B", "C", "E"), ("A", "B", "D", "E")]),
        (parallel_with_loop, [*FITTING, ("A", "C", "B", "D", "E"), ("A", "B", "C", "D", "D", "E")]),
        (loop_at_the_end, [("A",), ("A", "B"), ("A", "B", "B"), ("A", "B", "B", "B")]),
    ]
    for build, fitting in cases:
        spec = _net(build, tmp_path)
        assert all(a.cost == 0 for a in align_traces(spec, fitting, Limits(processes=1)))
        for _ in range(10):
            traces, counts = _fitting_sample(rng, fitting)
            done, table = _at_once(spec, traces, counts)
            assert done
            assert _by_prefix(table) == _walked(spec, traces, counts)


def test_a_hash_collision_is_left_to_the_walk_one_by_one(tmp_path):
    # with base 1 a prefix hashes to the sum of its codes: "A B C" and "A C B" collide
    spec = _net(parallel_with_loop, tmp_path)
    traces, counts = [("A", "B", "C", "D", "E"), ("A", "C", "B", "D", "E")], [2, 3]
    done, table = _at_once(spec, traces, counts, base=1)
    assert not done
    assert (table.cases, table.allowed, table.observed, table.child) == ([0], [0], [0], {})
    assert _at_once(spec, traces, counts)[0]


def test_the_numbering_tells_a_collision_from_equal_prefixes():
    codes = np.array([0, 1, 2, 0, 2, 1, 0, 1, 2])  # three variants: 0 1 2, 0 2 1, 0 1 2
    lengths = np.array([3, 3, 3])
    assert _Numbered(codes, lengths, 1_000_003).exact()
    colliding = _Numbered(codes, lengths, 1)
    assert not colliding.exact()
    assert colliding.node[2] == colliding.node[5]  # "0 1 2" and "0 2 1" hashed alike


def test_what_was_done_next_is_a_bit_mask_over_any_number_of_labels():
    # one variant: labels 0, 70, 5, 130 -> after "0": {70}; after "0 70": {5}; after "0 70 5": {130}
    codes = np.array([0, 70, 5, 130])
    numbered = _Numbered(codes, np.array([4]), 1_000_003)
    observed = _observed(numbered, numbered.proper(), 4)
    by_depth = dict(zip(numbered.depth[numbered.first_event].tolist(), observed, strict=True))
    assert by_depth == {0: 1 << 70, 1: 1 << 5, 2: 1 << 130, 3: 0}
