"""The reductions keep the language: the reduced net accepts exactly the traces the full translation accepts
(every trace up to a length, on hand-made and MIWG models), and aligns every variant of a real log with the
same cost; and they do remove the plumbing."""

from __future__ import annotations

from pathlib import Path

import pytest

from procmine.io.bpmn import read_bpmn
from procmine.petri.net import PetriNet
from procmine.petri.reduce import reduce_net
from procmine.petri.replay import language
from procmine.petri.translate import lean, translate, translate_all

FIXTURES = Path(__file__).parent / "fixtures" / "bpmn" / "translate"


def silent(net: PetriNet) -> int:
    return sum(t.is_silent for t in net.transitions)


def same_language(translation, max_length: int = 7) -> None:
    reduced = lean(translation)
    try:
        before = language(translation.net, translation.initial, translation.final, max_length=max_length)
    except RuntimeError:  # the full state space is too big to enumerate to this length
        pytest.skip(f"{translation.process_id}: language too large to enumerate")
    after = language(reduced.net, reduced.initial, reduced.final, max_length=max_length)
    assert after == before, translation.process_id
    assert silent(reduced.net) <= silent(translation.net)


def test_a_translation_full_of_plumbing_is_reduced_and_keeps_its_language(tmp_path):
    """XOR splits and merges, an AND split and join, an optional loop and an event: the translation has a
    silent step for each; the reduction keeps only the ones that make choices."""
    from tests.test_conformance_models import write_bpmn

    path = write_bpmn(
        tmp_path / "plumbing.bpmn",
        [
            ("S", "startEvent", None),
            ("X1", "exclusiveGateway", None),
            ("A", "task", "A"),
            ("B", "task", "B"),
            ("X2", "exclusiveGateway", None),
            ("P1", "parallelGateway", None),
            ("C", "task", "C"),
            ("E1", "intermediateThrowEvent", None),
            ("D", "task", "D"),
            ("P2", "parallelGateway", None),
            ("L", "exclusiveGateway", None),
            ("F", "task", "F"),
            ("Z", "exclusiveGateway", None),
            ("End", "endEvent", None),
        ],
        [
            ("S", "X1"),
            ("X1", "A"),
            ("X1", "B"),
            ("A", "X2"),
            ("B", "X2"),
            ("X2", "P1"),
            ("P1", "C"),
            ("P1", "E1"),
            ("E1", "D"),
            ("C", "P2"),
            ("D", "P2"),
            ("P2", "L"),
            ("L", "F"),
            ("F", "Z"),
            ("L", "Z"),
            ("Z", "L"),
            ("Z", "End"),
        ],
    )
    translation = translate(read_bpmn(path))
    reduced = lean(translation)
    assert silent(translation.net) >= 10
    # what must stay: the skip of F and the way back of the loop (or their fused equivalents)
    assert silent(reduced.net) <= 4  # the AND join into the loop, skip, way back, end
    same_language(translation, max_length=9)
    words = language(reduced.net, reduced.initial, reduced.final, max_length=6)
    assert ("A", "C", "D") in words and ("B", "D", "C", "F", "F") in words and ("A", "C") not in words


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.bpmn")))
def test_fixture_models_keep_their_language(name):
    for translation in translate_all(read_bpmn(FIXTURES / name)):
        same_language(translation)


def test_reduction_does_not_change_the_input_net():
    translation = translate(read_bpmn(FIXTURES / "gateways.bpmn"))
    places, transitions = list(translation.net.places), list(translation.net.transitions)
    arcs = len(translation.net.arcs)
    reduce_net(translation.net, translation.initial, translation.final)
    assert translation.net.places == places and translation.net.transitions == transitions
    assert len(translation.net.arcs) == arcs


@pytest.mark.slow
def test_miwg_reference_models_keep_their_language(shared_data):
    folder = shared_data / "models" / "miwg" / "reference"
    checked = 0
    for path in sorted(folder.glob("*.bpmn")):
        for translation in translate_all(read_bpmn(path)):
            reduced = lean(translation)
            try:
                before = language(translation.net, translation.initial, translation.final, max_length=6)
            except RuntimeError:
                continue
            after = language(reduced.net, reduced.initial, reduced.final, max_length=6)
            assert after == before, f"{path.name} {translation.process_id}"
            checked += 1
    assert checked >= 20


MODELS_WITH_LOGS = [
    ("mannhardt_course/sepsis.bpmn", "real/mannhardt_course/sepsis.csv.gz"),
    ("simod/LoanApp_simplified.bpmn", "real/simod/LoanApp_simplified_train.csv.gz"),
    ("genlstm_simod/PurchasingExample.bpmn", "real/genlstm/PurchasingExample.xes.gz"),
    ("genlstm_simod/ConsultaDataMining201618.bpmn", "real/genlstm/ConsultaDataMining201618.xes.gz"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("model", "log"), MODELS_WITH_LOGS)
def test_shared_models_align_their_logs_variants_alike_before_and_after(shared_data, model, log):
    """Every variant (the 150 most frequent) gets the same optimal cost from the full translation and from
    the reduced net: the same deviations, so the reduced net accepts exactly the traces the full one does."""
    from procmine.adapter.alignments import Limits, align_traces
    from procmine.analyses.alignment_stats import log_variants
    from procmine.analyses.model_net import netspec_from_translation
    from procmine.io.logs import read_log

    bpmn = read_bpmn(shared_data / "models" / "bpmn_with_logs" / model)
    traces = log_variants(read_log(shared_data / "logs" / log)).traces[:150]
    translation = translate(bpmn)
    limits = Limits(processes=1, time_cap=30)
    full = align_traces(netspec_from_translation(translation), traces, limits)
    reduced = align_traces(netspec_from_translation(lean(translation)), traces, limits)
    pairs = [(a.cost, b.cost) for a, b in zip(full, reduced, strict=True) if a.cost is not None]
    assert len(pairs) >= 0.9 * len(traces)
    assert all(a == b for a, b in pairs)
    assert sum(a == 0 for a, _ in pairs) == sum(b == 0 for _, b in pairs)
