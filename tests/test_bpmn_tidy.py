"""Tidying a discovered model: redundant gateways go, the behaviour stays (pm4py re-reads the tidied file and
replays the variants exactly as the mined model does), start and end are named, ids are stable."""

from __future__ import annotations

import pytest

from procmine.analyses.bpmn_tidy import tidy
from procmine.model.bpmn import BpmnModel, Node, Process, SequenceFlow


def build(nodes: dict[str, str], flows: list[tuple[str, str]]) -> BpmnModel:
    """nodes: id -> type (tasks are named by their id); flows: (source, target)."""
    process = Process(id="P", name="p")
    model = BpmnModel(path="m.bpmn", processes=[process])
    for node_id, kind in nodes.items():
        model.nodes[node_id] = Node(node_id, kind, node_id if kind == "task" else None, process_id="P")
        process.node_ids.append(node_id)
    for k, (s, t) in enumerate(flows):
        flow = SequenceFlow(f"f{k}", s, t, process_id="P")
        model.flows[flow.id] = flow
        process.flow_ids.append(flow.id)
        model.nodes[s].outgoing.append(flow.id)
        model.nodes[t].incoming.append(flow.id)
    return model


def shape(model: BpmnModel) -> set[tuple[str, str]]:
    def name(node_id: str) -> str:
        node = model.nodes[node_id]
        return node.name or node.type

    return {(name(f.source_id), name(f.target_id)) for f in model.flows.values()}


X, AND = "exclusiveGateway", "parallelGateway"


def test_nested_choices_become_one_choice_and_pass_through_gateways_go():
    model = build(
        {
            "s": "startEvent",
            "x1": X,
            "x2": X,
            "A": "task",
            "B": "task",
            "C": "task",
            "j1": X,
            "j2": X,
            "p": AND,
            "e": "endEvent",
        },
        [
            ("s", "x1"),
            ("x1", "A"),
            ("x1", "x2"),
            ("x2", "B"),
            ("x2", "C"),
            ("B", "j1"),
            ("C", "j1"),
            ("j1", "j2"),
            ("A", "j2"),
            ("j2", "p"),
            ("p", "e"),
        ],
    )
    tidy_model = tidy(model)
    gateways = [n for n in tidy_model.nodes.values() if n.is_gateway]
    assert len(gateways) == 2  # one split, one join: x2 merged into x1, j1 into j2, p (1 in, 1 out) gone
    assert shape(tidy_model) == {
        ("Start", X),
        (X, "A"),
        (X, "B"),
        (X, "C"),
        ("A", X),
        ("B", X),
        ("C", X),
        (X, "End"),
    }
    split = next(g for g in gateways if len(g.outgoing) == 3)
    assert split.gateway_direction == "Diverging" and split.id == "Gateway_1"
    assert sorted(tidy_model.nodes) == [
        "Activity_1",
        "Activity_2",
        "Activity_3",
        "EndEvent_1",
        "Gateway_1",
        "Gateway_2",
        "StartEvent_1",
    ]
    assert sorted(tidy_model.flows) == [f"Flow_{k}" for k in range(1, 9)]


def test_a_join_never_merges_with_a_split_and_parallel_splits_merge():
    model = build(
        {
            "s": "startEvent",
            "p1": AND,
            "p2": AND,
            "A": "task",
            "B": "task",
            "C": "task",
            "q": AND,
            "x": X,
            "y": X,
            "D": "task",
            "e": "endEvent",
        },
        [
            ("s", "p1"),
            ("p1", "A"),
            ("p1", "p2"),
            ("p2", "B"),
            ("p2", "C"),
            ("A", "q"),
            ("B", "q"),
            ("C", "q"),
            ("q", "x"),
            ("x", "y"),
            ("y", "D"),
            ("D", "x"),
            ("y", "e"),
        ],
    )
    tidy_model = tidy(model)
    kinds = sorted(
        (n.type, len(n.incoming), len(n.outgoing)) for n in tidy_model.nodes.values() if n.is_gateway
    )
    # the loop's join (x: 2 in) and split (y: 2 out) stay two gateways
    assert kinds == [(X, 1, 2), (X, 2, 1), (AND, 1, 3), (AND, 3, 1)]


def test_ids_do_not_depend_on_the_order_nodes_come_in():
    nodes = {"s": "startEvent", "x1": X, "A": "task", "B": "task", "j": X, "e": "endEvent"}
    flows = [("s", "x1"), ("x1", "A"), ("x1", "B"), ("A", "j"), ("B", "j"), ("j", "e")]
    one = tidy(build(nodes, flows))
    other = tidy(build(dict(reversed(list(nodes.items()))), list(reversed(flows))))
    assert {i: (n.type, n.name) for i, n in one.nodes.items()} == {
        i: (n.type, n.name) for i, n in other.nodes.items()
    }
    assert {i: (f.source_id, f.target_id) for i, f in one.flows.items()} == {
        i: (f.source_id, f.target_id) for i, f in other.flows.items()
    }


def test_gateways_between_the_same_names_are_told_apart_by_what_follows():
    """Two choices between 'A' and 'B' in parallel branches: in one, B is followed by a second A. Their
    nearest names tie, so only the structure after them orders them; every order of the input gives the
    same ids."""
    import random

    nodes = {
        "s": "startEvent",
        "p": AND,
        "x1": X,
        "x2": X,
        "A1": "task",
        "B1": "task",
        "A2": "task",
        "B2": "task",
        "A3": "task",
        "j1": X,
        "j2": X,
        "pj": AND,
        "e": "endEvent",
    }
    flows = [
        ("s", "p"),
        ("p", "x1"),
        ("p", "x2"),
        ("x1", "A1"),
        ("x1", "B1"),
        ("A1", "j1"),
        ("B1", "j1"),
        ("x2", "A2"),
        ("x2", "B2"),
        ("B2", "A3"),
        ("A2", "j2"),
        ("A3", "j2"),
        ("j1", "pj"),
        ("j2", "pj"),
        ("pj", "e"),
    ]

    def ids(model: BpmnModel) -> set[tuple[str, str, str]]:
        def label(node_id: str) -> str:
            node = model.nodes[node_id]
            return f"{node_id}:{node.name or ''}"

        return {(f.id, label(f.source_id), label(f.target_id)) for f in model.flows.values()}

    rng = random.Random(5)
    seen = set()
    for _ in range(12):
        order = list(nodes.items())
        rng.shuffle(order)
        shuffled = list(flows)
        rng.shuffle(shuffled)
        model = build(dict(order), shuffled)
        for node in model.nodes.values():
            if node.type == "task":
                node.name = node.id[0]  # A1, A2, A3 are all 'A'
        seen.add(frozenset(ids(tidy(model))))
    assert len(seen) == 1


VARIANTS = [
    (("register", "check", "decide", "pay"), 40),
    (("register", "decide", "check", "pay"), 25),
    (("register", "check", "decide", "reject"), 20),
    (("register", "check", "decide", "check", "decide", "pay"), 10),
    (("register", "pay"), 3),
    (("register", "check", "check", "reject"), 2),
    (("register", "archive"), 4),
    (("register", "check", "archive"), 1),
]


def _pm4py_net(model: BpmnModel, path):
    """The model laid out, written and read back by pm4py as a Petri net."""
    from procmine.io.bpmn_writer import write_bpmn
    from procmine.renderers.svg.layout import geometry

    pm4py = pytest.importorskip("pm4py")
    geo = geometry(model)
    for node_id, bounds in geo.nodes.items():
        model.nodes[node_id].bounds = bounds
    for flow_id, points in geo.flows.items():
        model.flows[flow_id].waypoints = points
    path.write_text(write_bpmn(model), encoding="utf-8")
    return pm4py.convert_to_petri_net(pm4py.read_bpmn(str(path)))


@pytest.mark.parametrize(
    ("algorithm", "noise"), [("inductive", 0.0), ("inductive", 0.3), ("heuristics", 0.0), ("split", 0.0)]
)
def test_tidied_model_allows_exactly_what_the_mined_one_allows(tmp_path, algorithm, noise):
    """Per-trace alignment fitness (exact, unlike token replay) is the same before and after, on traces
    the model allows and on traces it does not."""
    import copy

    pm4py = pytest.importorskip("pm4py")
    from procmine.adapter import discovery

    found = discovery.discover(VARIANTS, algorithm, noise)
    raw = copy.deepcopy(found.model)
    model = tidy(found.model)
    gateways = [n for n in model.nodes.values() if n.is_gateway]
    assert len(gateways) <= sum(n.is_gateway for n in raw.nodes.values())
    assert not [g.id for g in gateways if len(g.incoming) == 1 and len(g.outgoing) == 1]
    assert {n.name for n in model.nodes.values() if n.is_event} == {"Start", "End"}
    strange = [(("check", "register"), 1), (("register", "decide", "pay", "pay"), 1)]
    log = discovery.variant_log(VARIANTS + strange)
    before = pm4py.conformance_diagnostics_alignments(log, *_pm4py_net(raw, tmp_path / "raw.bpmn"))
    after = pm4py.conformance_diagnostics_alignments(log, *_pm4py_net(model, tmp_path / "tidy.bpmn"))
    assert [r["fitness"] for r in after] == [r["fitness"] for r in before]
    assert min(r["fitness"] for r in after) < 1  # the strange traces do not fit: the check can fail
