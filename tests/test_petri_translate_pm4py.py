"""procmine's nets under pm4py's optimal alignments (via the adapter converter).

Conforming traces (worked out by hand from the BPMN) must get fitness 1.0, violating ones less. On MIWG
reference models where pm4py's own BPMN import mis-translates sub-processes, boundary events and
event-based gateways, procmine's translation gives the conforming trace 1.0.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from procmine.io.bpmn import read_bpmn
from procmine.petri.translate import translate

FIXTURES = Path(__file__).parent / "fixtures" / "bpmn" / "translate"


def fitness(net, initial, final, traces: list[tuple[str, ...]]) -> list[float]:
    pm4py = pytest.importorskip("pm4py")  # here, not at the top: collecting the tests must stay fast
    rows = [
        (f"{i:04d}", activity, pd.Timestamp("2026-01-01", tz="UTC") + pd.Timedelta(seconds=j))
        for i, trace in enumerate(traces)
        for j, activity in enumerate(trace)
    ]
    df = pd.DataFrame(rows, columns=["case:concept:name", "concept:name", "time:timestamp"])
    df["case:concept:name"] = df["case:concept:name"].astype(object)
    df["concept:name"] = df["concept:name"].astype(object)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = pm4py.conformance_diagnostics_alignments(df, net, initial, final)
    return [round(r["fitness"], 4) for r in results]


def ours(path: Path, traces, process_id=None) -> list[float]:
    from procmine.adapter.petri_convert import to_pm4py

    return fitness(*to_pm4py(translate(read_bpmn(path), process_id)), traces)


def pm4py_own(path: Path, traces) -> list[float]:
    pm4py = pytest.importorskip("pm4py")
    net, initial, final = pm4py.convert_to_petri_net(pm4py.read_bpmn(str(path)))
    return fitness(net, initial, final, traces)


@pytest.mark.parametrize(
    ("name", "conforming", "violating"),
    [
        (
            "gateways.bpmn",
            [("A", "C", "E", "D", "F")],
            [("A", "B", "C", "D", "E", "F"), ("A", "B", "D", "F")],
        ),
        ("inclusive.bpmn", [("C", "B", "E"), ("D", "E")], [("B", "D", "E"), ("E",)]),
        ("loops.bpmn", [("A", "A", "B", "B", "B", "Propose", "Propose")], [("B", "Propose")]),
        (
            "subprocess_boundary.bpmn",
            [("A", "X", "Escalate"), ("Fix",), ("A", "X", "Y", "B", "Notify")],
            [("A", "X", "Escalate", "Y"), ("A", "Fix")],
        ),
        (
            "event_gateway_starts.bpmn",
            [("Scan letter", "Send offer", "Remind")],
            [("Send offer", "Book", "Remind")],
        ),
        ("implicit_split_ends.bpmn", [("A", "C", "B")], [("A", "B")]),
    ],
)
def test_alignment_fitness_on_hand_built_models(name, conforming, violating):
    results = ours(FIXTURES / name, conforming + violating)
    assert results[: len(conforming)] == [1.0] * len(conforming)
    assert all(f < 1.0 for f in results[len(conforming) :])


def test_netspec_keeps_element_ids_and_markings():
    from procmine.adapter.petri_convert import netspec_from_translation

    translation = translate(read_bpmn(FIXTURES / "sequence.bpmn"))
    spec = netspec_from_translation(translation)
    assert spec.labels == ["Archive case", "Check", "Register"]
    assert {t.element_id for t in spec.transitions if t.label} == {"a", "b", "c"}
    assert sum(spec.initial.values()) == 1 and spec.final == {"sink": 1}


MIWG_CASES = [
    # C.3.0: interrupting boundary events (message on a task, 2-hour timer) and a collapsed sub-process
    (
        "C.3.0.bpmn",
        [
            ("Analyse customer request", "Perform repair (premium level)"),
            ("Analyse customer request", "Perform emergency repair", "Replace fridge"),
        ],
    ),
    # C.9.1: a receive task with a non-interrupting daily timer and an interrupting one-week timer
    (
        "C.9.1.bpmn",
        [
            ("Request document", "Wait for answer"),
            ("Request document", "Send reminder email", "Wait for answer"),
            ("Request document", "Call customer"),
        ],
    ),
    # C.6.0: an event-based gateway, an expanded sub-process with parallel tasks, boundary events
    (
        "C.6.0.bpmn",
        [
            (
                "Make Flights and Hotel Offer",
                "Request Credit Card Information",
                "Book Hotel",
                "Book Flight",
                "Charge Credit Card",
                "Confirm Booking",
            ),
            ("Make Flights and Hotel Offer", "Notify Customer Offer Expired"),
            ("Make Flights and Hotel Offer", "Update Customer Record"),
        ],
    ),
]


@pytest.mark.shared_data
@pytest.mark.parametrize(("name", "conforming"), MIWG_CASES)
def test_miwg_conforming_traces_fit_where_pm4py_does_not(shared_data, name, conforming):
    path = shared_data / "models" / "miwg" / "reference" / name
    assert ours(path, conforming) == [1.0] * len(conforming)
    # pm4py 2.7.23's own BPMN import gives some of these conforming traces a fitness below 1
    assert min(pm4py_own(path, conforming)) < 1.0


@pytest.mark.shared_data
def test_miwg_violating_traces_do_not_fit(shared_data):
    path = shared_data / "models" / "miwg" / "reference" / "C.9.1.bpmn"
    assert all(f < 1.0 for f in ours(path, [("Call customer", "Request document"), ("Wait for answer",)]))


@pytest.mark.shared_data
def test_same_fitness_as_pm4py_where_pm4py_translates_correctly(shared_data):
    """A.1.0 / A.2.1 (tasks, XOR and AND gateways): pm4py's translation is right; the fitness values agree."""
    traces = [
        ("Task 1", "Task 2", "Task 3"),
        ("Task 1", "Task 3"),
        ("Task 3", "Task 2", "Task 1"),
        ("Task 1",),
    ]
    for name in ("A.1.0.bpmn", "A.2.0.bpmn", "A.2.1.bpmn"):
        path = shared_data / "models" / "miwg" / "reference" / name
        assert ours(path, traces) == pm4py_own(path, traces), name
