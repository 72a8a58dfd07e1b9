"""Precision from the alignments (escaping edges): worked out by hand on tiny models, and equal to pm4py's
alignment-based ETConformance on logs that fit (where both read the same markings)."""

from __future__ import annotations

import pytest

from procmine.adapter.alignments import Limits, align_traces
from procmine.adapter.compiled_net import CompiledNet
from procmine.analyses.precision import alignment_precision
from tests.test_conformance_fitness import _frame
from tests.test_conformance_models import parallel_with_loop, sequence_with_choice, write_bpmn


def _net(build, folder):
    from procmine.analyses.model_net import netspec_from_translation
    from procmine.io.bpmn import read_bpmn
    from procmine.petri.translate import lean, translate

    return netspec_from_translation(lean(translate(read_bpmn(build(folder)))))


def _precision(spec, traces, counts):
    alignments = align_traces(spec, traces, Limits(processes=1))
    return alignment_precision(CompiledNet(spec), traces, counts, alignments)


def test_an_unused_branch_of_a_choice_is_one_escaping_edge(tmp_path):
    # A B (C | D) E, only C ever done: after "A B" the model allows C and D, the log shows C.
    # Allowed per case: A; B; C, D; E = 5, escaping 1 -> 1 - 3 * 1 / (3 * 5) = 0.8
    result = _precision(_net(sequence_with_choice, tmp_path), [("A", "B", "C", "E")], [3])
    assert (result.allowed, result.escaping, result.cases) == (15, 3, 3)
    assert result.value == pytest.approx(0.8)
    # both branches used: nothing escapes
    both = _precision(
        _net(sequence_with_choice, tmp_path), [("A", "B", "C", "E"), ("A", "B", "D", "E")], [3, 1]
    )
    assert both.value == 1.0 and both.escaping == 0


def test_parallel_branches_and_a_loop_by_hand(tmp_path):
    # A (B || C) D (D)* E, one case "A B C D E": prefixes and what the model allows next:
    # "" {A}; A {B, C}; AB {C}; ABC {D}; ABCD {D, E}: allowed 1+2+1+1+2 = 7, escaping C after A, D after ABCD
    result = _precision(_net(parallel_with_loop, tmp_path), [("A", "B", "C", "D", "E")], [1])
    assert (result.allowed, result.escaping) == (7, 2)
    assert result.value == pytest.approx(1 - 2 / 7)


def test_a_deviating_case_is_read_where_its_alignment_leaves_the_model(tmp_path):
    # "A C E" skips B: the alignment places the model move on B after the sync move on A, so after "A" the
    # model allows B (the case did C there: B escapes), after "A C" it allows E.
    # Prefixes: "" {A}; A {B}; AC {E}: allowed 3 per case, escaping 1 per case
    result = _precision(_net(sequence_with_choice, tmp_path), [("A", "C", "E")], [2])
    assert (result.allowed, result.escaping) == (6, 2)


FITTING = [
    ("A", "B", "C", "D", "E"),
    ("A", "C", "B", "D", "D", "E"),
    ("A", "B", "C", "D", "D", "D", "E"),
]


@pytest.mark.parametrize(
    ("build", "traces", "counts"),
    [
        (sequence_with_choice, [("A", "B", "C", "E"), ("A", "B", "D", "E")], [5, 1]),
        (sequence_with_choice, [("A", "B", "C", "E")], [4]),
        (parallel_with_loop, FITTING, [3, 2, 1]),
        (parallel_with_loop, FITTING[:1], [2]),
    ],
)
def test_equals_pm4py_align_etconformance_on_fitting_logs(pm4py, tmp_path, build, traces, counts):
    from procmine.adapter.conformance import netspec_to_pm4py

    spec = _net(build, tmp_path)
    ours = _precision(spec, traces, counts)
    net, im, fm = netspec_to_pm4py(spec)
    theirs = pm4py.precision_alignments(_frame(traces, counts), net, im, fm, multi_processing=False)
    assert ours.value == pytest.approx(theirs, abs=1e-9)


def loop_at_the_end(folder):
    """start -> A -> XOR(B and back | end): a case may end where the model still allows B."""
    nodes = [
        ("S", "startEvent", None),
        ("T_A", "task", "A"),
        ("J", "exclusiveGateway", None),
        ("X", "exclusiveGateway", None),
        ("T_B", "task", "B"),
        ("End", "endEvent", None),
    ]
    flows = [("S", "T_A"), ("T_A", "J"), ("J", "X"), ("X", "T_B"), ("T_B", "J"), ("X", "End")]
    return write_bpmn(folder / "loop_end.bpmn", nodes, flows)


def _walked_move_by_move(alignments):
    """The same alignments marked as not fitting (a cost above 0 with the same moves): precision then
    follows every move of every variant, the way it reads a deviating case."""
    from dataclasses import replace

    return [replace(a, cost=a.cost + 1) if a.cost == 0 else a for a in alignments]


@pytest.mark.parametrize(
    ("build", "fitting"),
    [
        (sequence_with_choice, [("A", "B", "C", "E"), ("A", "B", "D", "E")]),
        (parallel_with_loop, FITTING),
        (loop_at_the_end, [("A",), ("A", "B"), ("A", "B", "B")]),
    ],
)
def test_fitting_variants_read_by_prefix_count_what_every_move_gives(tmp_path, build, fitting):
    # Variants that fit are read once per shared prefix; variants that deviate, move by move, into the
    # same prefix table. Fitting and deviating variants share prefixes here in both orders (a deviating
    # variant continuing past where a fitting one ends, and the other way round).
    import random

    spec = _net(build, tmp_path)
    rng = random.Random(7)
    for _ in range(25):
        traces = rng.sample(fitting, rng.randint(1, len(fitting)))
        for _ in range(rng.randint(0, 6)):  # deviating: a fitting variant's prefix, then anything
            head = rng.choice(fitting)[: rng.randint(0, 6)]
            traces.append(head + tuple(rng.choices("ABCDE", k=rng.randint(1, 3))))
        traces = list(dict.fromkeys(traces))
        rng.shuffle(traces)
        counts = [rng.randint(1, 9) for _ in traces]
        alignments = align_traces(spec, traces, Limits(processes=1))
        assert any(a.cost == 0 for a in alignments)
        quick = alignment_precision(CompiledNet(spec), traces, counts, alignments)
        slow = alignment_precision(CompiledNet(spec), traces, counts, _walked_move_by_move(alignments))
        assert quick == slow
