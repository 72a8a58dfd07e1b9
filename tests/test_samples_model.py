"""The documented BPMN model of the sample: well-formed, fully laid out, and in agreement with the log.

The agreement is checked with pm4py (an independent implementation): traces without the injected
deviations align with the model at fitness 1.0, traces with them do not.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

SAMPLE_LOGS = Path(__file__).resolve().parents[1] / "sample_logs"
MODEL = SAMPLE_LOGS / "complaints_documented.bpmn"
NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
}
FLOW_NODES = ("task", "userTask", "sendTask", "startEvent", "endEvent", "exclusiveGateway", "parallelGateway")
TASKS = {
    "Register complaint": "Customer Service",
    "Classify complaint": "Customer Service",
    "Investigate issue": "Specialist",
    "Propose solution": "Customer Service",
    "Send confirmation letter": "Back Office",
    "Update CRM record": "Back Office",
    "Close complaint": "Customer Service",
    "Send satisfaction survey": "Customer Service",
}


@pytest.fixture(scope="module")
def root():
    return etree.parse(str(MODEL)).getroot()


def _nodes(root):
    process = root.find("bpmn:process", NS)
    return [el for el in process if etree.QName(el).localname in FLOW_NODES]


def _bounds(root, element_id):
    shape = root.find(f".//bpmndi:BPMNShape[@bpmnElement='{element_id}']", NS)
    assert shape is not None, f"no shape for {element_id}"
    b = shape.find("dc:Bounds", NS)
    return tuple(float(b.get(k)) for k in ("x", "y", "width", "height"))


def _on_border(point, box, tolerance=1.0):
    x, y = point
    bx, by, w, h = box
    inside = bx - tolerance <= x <= bx + w + tolerance and by - tolerance <= y <= by + h + tolerance
    near_edge = min(abs(x - bx), abs(x - bx - w), abs(y - by), abs(y - by - h)) <= tolerance
    return inside and near_edge


def test_model_is_camunda_style_bpmn_with_a_pool_and_three_lanes(root):
    assert root.prefix == "bpmn" and etree.QName(root).localname == "definitions"
    participants = root.findall("bpmn:collaboration/bpmn:participant", NS)
    process = root.find("bpmn:process", NS)
    assert len(participants) == 1 and participants[0].get("processRef") == process.get("id")
    lanes = process.findall("bpmn:laneSet/bpmn:lane", NS)
    assert [lane.get("name") for lane in lanes] == ["Customer Service", "Specialist", "Back Office"]
    refs = [ref.text for lane in lanes for ref in lane.findall("bpmn:flowNodeRef", NS)]
    assert sorted(refs) == sorted(el.get("id") for el in _nodes(root))  # every node in exactly one lane
    lane_of = {ref.text: lane.get("name") for lane in lanes for ref in lane.findall("bpmn:flowNodeRef", NS)}
    tasks = {el.get("name"): lane_of[el.get("id")] for el in _nodes(root) if "Task" in el.tag}
    assert tasks == TASKS


def test_events_and_diverging_gateways_are_named_and_flows_labelled(root):
    process = root.find("bpmn:process", NS)
    flows = {f.get("id"): f for f in process.findall("bpmn:sequenceFlow", NS)}
    names = {el.get("name") for el in _nodes(root) if "Event" in el.tag}
    assert names == {"Complaint received", "Complaint closed"}
    diverging_xor = []
    for el in _nodes(root):
        outgoing = [f for f in flows.values() if f.get("sourceRef") == el.get("id")]
        incoming = [f for f in flows.values() if f.get("targetRef") == el.get("id")]
        if "Gateway" not in el.tag:
            assert len(outgoing) <= 1 and len(incoming) <= 1, el.get("id")  # no implicit splits or joins
            continue
        assert (len(outgoing) > 1) != (len(incoming) > 1), el.get("id")  # a gateway splits or joins
        if len(outgoing) > 1 and el.tag.endswith("exclusiveGateway"):
            diverging_xor.append(el)
            assert el.get("name", "").endswith("?")
            assert {f.get("name") for f in outgoing} == {"yes", "no"}
            default = el.get("default")
            assert default in {f.get("id") for f in outgoing}
            for flow in outgoing:
                has_condition = flow.find("bpmn:conditionExpression", NS) is not None
                assert has_condition != (flow.get("id") == default), flow.get("id")
    assert len(diverging_xor) == 2


def test_every_element_has_a_tidy_shape_and_every_flow_meets_its_shapes(root):
    process = root.find("bpmn:process", NS)
    lanes = {lane.get("id"): lane for lane in process.findall("bpmn:laneSet/bpmn:lane", NS)}
    pool = root.find("bpmn:collaboration/bpmn:participant", NS).get("id")
    pool_box = _bounds(root, pool)
    boxes = {el.get("id"): _bounds(root, el.get("id")) for el in _nodes(root)}
    for lane_id, lane in lanes.items():
        lx, ly, lw, lh = _bounds(root, lane_id)
        assert pool_box[0] < lx and lx + lw == pool_box[0] + pool_box[2]
        for ref in lane.findall("bpmn:flowNodeRef", NS):
            x, y, w, h = boxes[ref.text]
            assert lx + 30 <= x and x + w <= lx + lw and ly <= y and y + h <= ly + lh, ref.text
    ids = sorted(boxes)
    for i, a in enumerate(ids):  # no two shapes overlap
        for b in ids[i + 1 :]:
            ax, ay, aw, ah = boxes[a]
            bx, by, bw, bh = boxes[b]
            assert ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay, (a, b)
    for flow in process.findall("bpmn:sequenceFlow", NS):
        edge = root.find(f".//bpmndi:BPMNEdge[@bpmnElement='{flow.get('id')}']", NS)
        points = [(float(p.get("x")), float(p.get("y"))) for p in edge.findall("di:waypoint", NS)]
        assert len(points) >= 2
        assert _on_border(points[0], boxes[flow.get("sourceRef")]), flow.get("id")
        assert _on_border(points[-1], boxes[flow.get("targetRef")]), flow.get("id")
        for (x1, y1), (x2, y2) in itertools.pairwise(points):
            assert x1 == x2 or y1 == y2, flow.get("id")  # orthogonal segments, as bpmn.io draws them


def test_procmine_reads_the_model_with_lanes_and_layout():
    from procmine.io.bpmn import read_bpmn

    model = read_bpmn(MODEL)
    assert len(model.processes) == 1 and model.has_di and not model.duplicate_ids
    assert model.processes[0].participant_name == "Complaint handling"
    assert {task.name: task.lane for task in model.tasks()} == TASKS
    assert all(node.bounds is not None for node in model.nodes.values())


@pytest.mark.skipif(shutil.which("bpmnlint") is None, reason="bpmnlint (npm) is not installed")
def test_bpmnlint_recommended_finds_nothing(tmp_path):
    (tmp_path / ".bpmnlintrc").write_text('{"extends": "bpmnlint:recommended"}')
    done = subprocess.run(["bpmnlint", str(MODEL)], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


# --- pm4py: the model and the clean behaviour agree ---------------------------------------------


@pytest.fixture(scope="module")
def pm4py_variants():
    pm4py = pytest.importorskip("pm4py")
    log = pm4py.read_xes(str(SAMPLE_LOGS / "complaints.xes"))
    assert log["case:concept:name"].nunique() == 3000
    complete = log[log["lifecycle:transition"] == "complete"]
    bpmn = pm4py.read_bpmn(str(MODEL))
    net, initial, final = pm4py.convert_to_petri_net(bpmn)
    return pm4py, list(pm4py.get_variants(complete)), net, initial, final


def _fitness(pm4py, variants, net, initial, final):
    from pm4py.objects.log.obj import Event, EventLog, Trace

    log = EventLog([Trace([Event({"concept:name": a}) for a in v]) for v in variants])
    return [a["fitness"] for a in pm4py.conformance_diagnostics_alignments(log, net, initial, final)]


def test_traces_without_injected_deviations_fit_the_model(pm4py_variants):
    pm4py, variants, net, initial, final = pm4py_variants
    clean = [
        v
        for v in variants
        if "Call customer back" not in v and "Classify complaint" in v and "Send confirmation letter" in v
    ]
    assert len(clean) >= 8
    assert {t.label for t in net.transitions if t.label} == set(TASKS)
    assert min(_fitness(pm4py, clean, net, initial, final)) == 1.0
    replay = pm4py.conformance_diagnostics_token_based_replay(
        pm4py.convert_to_event_log(_as_frame(clean)), net, initial, final
    )
    assert all(r["trace_is_fit"] for r in replay)


@pytest.mark.parametrize(
    "deviating",
    [
        lambda v: "Call customer back" in v,
        lambda v: "Classify complaint" not in v,
        lambda v: "Send confirmation letter" not in v,
    ],
    ids=["undocumented call-back", "skipped classification", "letter no longer sent"],
)
def test_traces_with_an_injected_deviation_do_not_fit(pm4py_variants, deviating):
    pm4py, variants, net, initial, final = pm4py_variants
    selected = [v for v in variants if deviating(v)]
    assert selected
    assert max(_fitness(pm4py, selected, net, initial, final)) < 1.0


def _as_frame(variants):
    import pandas as pd

    rows = []
    for i, variant in enumerate(variants):
        for j, activity in enumerate(variant):
            rows.append(
                {
                    "case:concept:name": f"v{i}",
                    "concept:name": activity,
                    "time:timestamp": pd.Timestamp("2026-01-01", tz="UTC") + pd.Timedelta(minutes=j),
                }
            )
    return pd.DataFrame(rows)
