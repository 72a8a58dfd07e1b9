"""The miners on the variant-compressed log give what pm4py gives on the full log, and the written BPMN
round-trips: pm4py re-reads model.bpmn and its Petri net fits the variants exactly as the mined model does."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from types import ModuleType

import pytest

from procmine.io.bpmn_writer import write_bpmn
from procmine.renderers.svg.layout import geometry

VARIANTS = [
    (("register", "check", "decide", "pay"), 40),
    (("register", "decide", "check", "pay"), 25),
    (("register", "check", "decide", "reject"), 20),
    (("register", "check", "decide", "check", "decide", "pay"), 10),
    (("register", "pay"), 3),
    (("register", "check", "check", "reject"), 2),
]


@pytest.fixture(scope="module")
def discovery(pm4py) -> ModuleType:
    """procmine's miners (they import pm4py, so not while collecting)."""
    from procmine.adapter import discovery

    return discovery


def full_log(discovery):
    """The same behaviour as an ordinary log, one trace per case."""
    return discovery.variant_log(VARIANTS, repeat=True)


@pytest.mark.parametrize("noise", [0.0, 0.2])
def test_inductive_on_variants_equals_pm4py_on_the_full_log(pm4py, discovery, noise):
    mined = discovery._inductive(Counter(dict(VARIANTS)), noise, use_dfg=False)
    theirs = pm4py.discover_process_tree_inductive(full_log(discovery), noise_threshold=noise)
    assert str(mined) == str(theirs)


def test_imd_on_the_dfg_equals_pm4py_on_the_dfg(pm4py, discovery):
    from pm4py.objects.dfg.obj import DFG

    mined = discovery._inductive(Counter(dict(VARIANTS)), 0.0, use_dfg=True)
    graph, starts, ends = pm4py.discover_dfg(full_log(discovery))
    assert str(mined) == str(pm4py.discover_process_tree_inductive(DFG(graph, starts, ends)))


def test_heuristics_on_variants_equals_pm4py_on_the_full_log(pm4py, discovery):
    net, im, fm = discovery._heuristics(VARIANTS, 0.5)
    ref, ref_im, ref_fm = pm4py.discover_petri_net_heuristics(full_log(discovery))
    assert sorted(str(t.label) for t in net.transitions) == sorted(str(t.label) for t in ref.transitions)
    assert (len(net.places), len(net.arcs)) == (len(ref.places), len(ref.arcs))
    ours = discovery.replay_fitness(VARIANTS, net, im, fm)
    assert ours["log_fitness"] == pytest.approx(
        pm4py.fitness_token_based_replay(full_log(discovery), ref, ref_im, ref_fm)["log_fitness"]
    )


def test_weighted_replay_equals_pm4py_replaying_every_case(pm4py, discovery):
    tree = pm4py.discover_process_tree_inductive(full_log(discovery), noise_threshold=0.3)
    net, im, fm = pm4py.convert_to_petri_net(tree)
    ours = discovery.replay_fitness(VARIANTS, net, im, fm)
    theirs = pm4py.fitness_token_based_replay(full_log(discovery), net, im, fm)
    assert ours["log_fitness"] == pytest.approx(theirs["log_fitness"])
    assert ours["average_trace_fitness"] == pytest.approx(theirs["average_trace_fitness"])
    assert ours["fitting_cases_share"] == pytest.approx(theirs["percentage_of_fitting_traces"] / 100)


def _laid_out(model):
    geo = geometry(model)
    for node_id, bounds in geo.nodes.items():
        model.nodes[node_id].bounds = bounds
    for flow_id, points in geo.flows.items():
        model.flows[flow_id].waypoints = list(points)
    return model


@pytest.mark.parametrize(
    ("algorithm", "noise"), [("inductive", 0.0), ("inductive", 0.3), ("heuristics", 0.0)]
)
def test_bpmn_round_trip_keeps_the_fitness(pm4py, discovery, tmp_path, algorithm, noise):
    found = discovery.discover(VARIANTS, algorithm, noise)
    path = tmp_path / "model.bpmn"
    path.write_text(write_bpmn(_laid_out(found.model)), encoding="utf-8")
    reread = pm4py.convert_to_petri_net(pm4py.read_bpmn(str(path)))
    if algorithm == "inductive":
        mined = pm4py.convert_to_petri_net(
            discovery._inductive(Counter(dict(VARIANTS)), noise, use_dfg=False)
        )
    else:
        mined = discovery._heuristics(VARIANTS, 0.5)
    log = discovery.variant_log(VARIANTS)
    expected = _fitness(pm4py, log, mined)
    assert _fitness(pm4py, log, reread) == pytest.approx(expected)
    if algorithm == "inductive" and noise == 0:
        assert expected == 1.0  # the inductive miner without noise fits every case
    else:
        assert expected < 1.0  # the test can tell a model that does not fit


def _fitness(pm4py, log, net) -> float:
    """Alignment fitness weighted by the variants' counts, counting only visible deviations (log moves and
    model moves on labelled transitions). pm4py's own figure also charges each silent step a little, and the
    BPMN-to-Petri-net translation adds silent steps; counting deviations compares the behaviour itself."""
    results = pm4py.conformance_diagnostics_alignments(log, *net)
    deviations = worst = 0.0
    for (trace, count), result in zip(VARIANTS, results, strict=True):
        moves = result["alignment"]
        bad = sum(1 for a, b in moves if (a == ">>" and b is not None) or b == ">>")
        deviations += count * bad
        worst += count * (len(trace) + sum(1 for a, b in moves if a != ">>" or b is not None))
    return 1 - deviations / worst


def test_split_miner_is_offered_and_mines_a_model(discovery):
    found = discovery.discover(VARIANTS, "split")
    assert {n.name for n in found.model.tasks()} == {"register", "check", "decide", "pay", "reject"}
    assert found.fitness is not None and 0 < found.fitness["log_fitness"] <= 1


def test_written_bpmn_has_a_shape_for_every_node_and_an_edge_for_every_flow(discovery):
    weird = [(('Prüfen <&> "schnell"', "a'b", "x & y"), 2), (("a'b",), 1)]
    model = _laid_out(discovery.discover(weird, "inductive").model)
    text = write_bpmn(model)
    root = ET.fromstring(text.encode("utf-8"))
    b = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
    di = "{http://www.omg.org/spec/BPMN/20100524/DI}"
    process = root.find(f"{b}process")
    node_ids = {el.get("id") for el in process if el.tag != f"{b}sequenceFlow"}
    flow_ids = {el.get("id") for el in process if el.tag == f"{b}sequenceFlow"}
    shapes = {s.get("bpmnElement"): s for s in root.iter(f"{di}BPMNShape")}
    edges = {e.get("bpmnElement"): e for e in root.iter(f"{di}BPMNEdge")}
    assert set(shapes) == node_ids and set(edges) == flow_ids
    for shape in shapes.values():
        bounds = shape.find("{http://www.omg.org/spec/DD/20100524/DC}Bounds")
        assert float(bounds.get("width")) > 0 and float(bounds.get("height")) > 0
    for edge in edges.values():
        assert len(edge.findall("{http://www.omg.org/spec/DD/20100524/DI}waypoint")) >= 2
    names = {el.get("name") for el in process.iter(f"{b}task")}
    assert names == {'Prüfen <&> "schnell"', "a'b", "x & y"}
    xs = {
        el.get("bpmnElement"): float(el.find("{http://www.omg.org/spec/DD/20100524/DC}Bounds").get("x"))
        for el in shapes.values()
    }
    start = next(e.get("id") for e in process.iter(f"{b}startEvent"))
    end = next(e.get("id") for e in process.iter(f"{b}endEvent"))
    assert xs[start] == min(xs.values()) and xs[end] == max(xs.values())  # left to right
    assert write_bpmn(model) == text  # deterministic


def test_writer_refuses_a_model_without_layout(discovery):
    model = discovery.discover(VARIANTS, "inductive").model
    with pytest.raises(ValueError, match="without layout"):
        write_bpmn(model)


def test_many_activities_send_the_inductive_miner_to_the_dfg(discovery):
    # 24 activities x 4,336 variants (BPIC 2012's shape) stays on the variants; 200 x 600 goes to IMd
    small = [(tuple(f"a{(i + k) % 24}" for k in range(5)), 1) for i in range(4336)]
    assert not discovery.needs_dfg(small)
    wide = [(tuple(f"t{(i * 7 + k) % 200}" for k in range(6)), 1 + i % 3) for i in range(600)]
    assert len({a for trace, _ in wide for a in trace}) == 200
    assert discovery.needs_dfg(wide)
    found = discovery.discover(wide, "inductive", 0.0, replay=[])
    assert found.mined_from == "dfg"
    assert {n.name for n in found.model.tasks()} == {f"t{i}" for i in range(200)}
