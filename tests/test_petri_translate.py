"""BPMN -> Petri net, construct by construct: which traces does the net accept?

The expected languages are worked out by hand from each fixture's BPMN semantics (see the comment in each
file), independently of the translation code.
"""

from __future__ import annotations

from itertools import permutations
from pathlib import Path

import pytest

from procmine.errors import InputError
from procmine.io.bpmn import read_bpmn
from procmine.petri.replay import accepts, language
from procmine.petri.translate import translate, translate_all

FIXTURES = Path(__file__).parent / "fixtures" / "bpmn" / "translate"


def load(name: str, process_id: str | None = None):
    return translate(read_bpmn(FIXTURES / name), process_id)


def lang(translation, max_length: int = 8) -> set[tuple[str, ...]]:
    return language(translation.net, translation.initial, translation.final, max_length=max_length)


def ok(translation, *trace: str) -> bool:
    return accepts(translation.net, translation.initial, translation.final, trace)


def warned(translation) -> dict[str, str]:
    return {w.element_id: w.message for w in translation.warnings}


def test_sequence_of_task_types_and_call_activity():
    t = load("sequence.bpmn")
    assert lang(t) == {("Register", "Check", "Archive case")}
    assert t.warnings == [] and t.completion == "sink"
    assert {tr.label: tr.element_id for tr in t.net.transitions if tr.label} == {
        "Register": "a",
        "Check": "b",
        "Archive case": "c",
    }
    assert t.element_of["a"] == "a"


def test_exclusive_and_parallel_gateways():
    t = load("gateways.bpmn")
    assert lang(t) == {("A", first, "D", "E", "F") for first in ("B", "C")} | {
        ("A", first, "E", "D", "F") for first in ("B", "C")
    }
    assert not ok(t, "A", "B", "C", "D", "E", "F")
    assert not ok(t, "A", "B", "D", "F")


def test_inclusive_split_any_combination_default_alone():
    t = load("inclusive.bpmn")
    expected = {("B", "E"), ("C", "E"), ("B", "C", "E"), ("C", "B", "E"), ("D", "E")}
    assert lang(t) == expected
    assert t.warnings == []  # the join is paired with its split: exact, no approximation


def test_loop_markers_and_rework_loop():
    t = load("loops.bpmn")
    assert ok(t, "A", "B", "Propose")
    assert ok(t, "A", "A", "A", "B", "B", "Propose", "Propose")
    assert not ok(t, "B", "Propose")  # A runs at least once
    assert not ok(t, "A", "B")  # Propose is mandatory


def test_sub_process_flattened_with_boundary_events():
    t = load("subprocess_boundary.bpmn")
    assert ok(t, "A", "X", "Y", "B")
    # interrupting timer on the sub-process: before X, between X and Y, or after Y (before it completes)
    assert ok(t, "A", "Escalate")
    assert ok(t, "A", "X", "Escalate")
    assert ok(t, "A", "X", "Y", "Escalate")
    assert not ok(t, "A", "X", "Escalate", "Y")  # interrupted: Y never runs
    assert not ok(t, "A", "X", "Y", "Escalate", "B")  # interrupted: the normal path is not taken
    # interrupting error on task A: A does not complete, Fix runs instead
    assert ok(t, "Fix") and not ok(t, "A", "Fix")
    # non-interrupting message on B: Notify alongside B, at most once per activation (documented)
    assert ok(t, "A", "X", "Y", "Notify", "B") and ok(t, "A", "X", "Y", "B", "Notify")
    assert ok(t, "A", "X", "Y", "B") and not ok(t, "A", "X", "Y", "Notify", "Notify", "B")
    assert not ok(t, "A", "Notify", "X", "Y", "B")  # only while B is waiting to run
    assert t.completion == "empty"  # Notify's end and B's end are reached separately
    assert t.warnings == []


def test_event_based_gateway_and_several_start_events():
    t = load("event_gateway_starts.bpmn")
    assert lang(t) == {
        (first, "Send offer", last)
        for first in ("Enter web order", "Scan letter")
        for last in ("Book", "Remind")
    }
    assert t.completion == "sink"


def test_implicit_start_parallel_split_and_separate_ends():
    t = load("implicit_split_ends.bpmn")
    assert lang(t) == {("A", "B", "C"), ("A", "C", "B")}
    assert t.completion == "empty" and t.final == {}


def test_pools_translate_separately_and_by_name():
    model = read_bpmn(FIXTURES / "pools.bpmn")
    assert [t.process_id for t in translate_all(model)] == ["Pc", "Ps"]
    assert lang(translate(model)) == {("Pick", "Pack")}  # default: the process with most activities
    assert lang(translate(model, "Customer")) == {("Order",)}
    assert translate(model, "pool_customer").process_id == "Pc"
    assert translate(model, "Ps").process_name == "Shop"
    with pytest.raises(InputError, match='no process or pool "Billing"'):
        translate(model, "Billing")


def test_unsupported_constructs_are_named_not_dropped():
    t = load("unsupported.bpmn")
    warnings = warned(t)
    assert "complex gateway" in warnings["cx"]
    assert "no matching catch link" in warnings["lonely"]
    assert "lt" not in warnings and "lc" not in warnings  # a paired link is translated
    assert "no name" in warnings["U"]
    assert "ad-hoc" in warnings["AH"]
    assert "compensation" in warnings["comp"] and "compensation" in warnings["Undo"]
    assert "event sub-process" in warnings["ES"]
    assert "ghost" in warnings["f9"] and "never reached" in warnings["C"]
    lines = {w.element_id: w.line for w in t.warnings}
    assert (lines["cx"], lines["f9"], lines["U"]) == (7, 36, 13)
    # what is translated still works: the link jumps, the ad-hoc activities come in any order/number
    assert ok(t, "A", "B")  # through the link pair, silent U, ad-hoc done without work
    assert ok(t, "A", "B", "Write", "Read", "Read")
    assert ok(t, "A")  # complex gateway -> unpaired link treated as an end
    assert ok(t, "A", "Inform", "B")  # non-interrupting event sub-process alongside


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.bpmn")))
def test_every_transition_names_its_element(name):
    model = read_bpmn(FIXTURES / name)
    for t in translate_all(model):
        for transition in t.net.transitions:
            if transition.label is not None:
                assert model.nodes[transition.element_id].label == transition.label
        assert set(t.initial) <= set(t.net.places) and set(t.final) <= set(t.net.places)


def test_gateways_language_is_not_trivially_permissive():
    t = load("gateways.bpmn")
    labels = ["A", "B", "D", "E", "F"]
    accepted = {p for p in permutations(labels) if ok(t, *p)}
    assert accepted == {("A", "B", "D", "E", "F"), ("A", "B", "E", "D", "F")}


def test_token_game_and_reachability():
    from procmine.petri.net import PetriNet, enabled, fire, reachable_markings

    net = PetriNet("tiny")
    p, q, r = net.add_place("p"), net.add_place("q"), net.add_place("p")
    assert r.name == "p#2"  # names stay unique
    a = net.connect([p], net.add_transition("a", "A"), [q, r])
    b = net.connect([q, r], net.add_transition("b"), [])
    assert enabled(net, {p: 1}) == [a] and enabled(net, {q: 1}) == []
    after = fire(net, a, {p: 1})
    assert after == {q: 1, r: 1} and enabled(net, after) == [b]
    assert b.is_silent and not a.is_silent and net.labels() == {"A"}
    assert [len(m) for m in reachable_markings(net, {p: 1})] == [1, 2, 0]
    assert accepts(net, {p: 1}, {}, ["A"]) and not accepts(net, {p: 1}, {}, [])
