"""Alignments travel from the worker processes as packed move codes: what arrives is exactly what was
aligned (every move, the cost, the states, the failure and its lower bound)."""

from __future__ import annotations

import pickle

from procmine.adapter import alignments
from procmine.adapter.aligner import Move, TraceAlignment
from procmine.adapter.compiled_net import CompiledNet
from tests.test_conformance_models import sequence_with_choice


def _spec(folder):
    from procmine.analyses.model_net import netspec_from_translation
    from procmine.io.bpmn import read_bpmn
    from procmine.petri.translate import translate

    return netspec_from_translation(translate(read_bpmn(sequence_with_choice(folder))))


def _through_a_pipe(net: CompiledNet, result: TraceAlignment) -> TraceAlignment:
    sent = pickle.dumps(alignments._Packing(net).pack(result))
    return alignments._Packing(net).unpack(pickle.loads(sent))


def test_every_kind_of_move_and_every_field_arrives_unchanged(tmp_path):
    spec = _spec(tmp_path)
    net = CompiledNet(spec)
    traces = [("A", "B", "D", "E"), ("A", "X", "C", "D", "E"), ("E", "A"), ()]
    results = alignments.align_traces(spec, traces, alignments.Limits(processes=1))
    kinds = {m.kind for r in results for m in r.moves}
    assert kinds == {"sync", "log", "model"}  # the log above exercises all three
    for result in results:
        arrived = _through_a_pipe(net, result)
        assert arrived == result
        assert [type(m) for m in arrived.moves] == [Move] * len(result.moves)
    failed = TraceAlignment(None, (), states=12_345, failure="time cap", lower_bound=20_000)
    assert _through_a_pipe(net, failed) == failed
    far = TraceAlignment(0, (Move("sync", 70_000, net.transition_ids[-1]), Move("model", None, None)))
    assert _through_a_pipe(net, far) == far


def test_equal_moves_arrive_as_one_object(tmp_path):
    spec = _spec(tmp_path)
    net = CompiledNet(spec)
    packing = alignments._Packing(net)
    result = alignments.align_traces(spec, [("A", "B", "D", "E")], alignments.Limits(processes=1))[0]
    first, second = (packing.unpack(packing.pack(result)) for _ in range(2))
    assert all(a is b for a, b in zip(first.moves, second.moves, strict=True))
