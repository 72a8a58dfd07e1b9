"""The diagram (DI) procmine writes into a discovered model.bpmn, as bpmn.io draws it: task names are never
cut inside a word, and a model of a few hundred flows (the inductive miner's models of the BPIC 2020 logs
have 149 to 242) is routed like a small one: orthogonal flows that go around every shape."""

from __future__ import annotations

from itertools import pairwise

from procmine.model.bpmn import Bounds, BpmnModel, Node, Process, SequenceFlow
from procmine.renderers.svg.layout import TASK_FONT, auto_layout, shape_size
from procmine.renderers.svg.textsize import text_width


def _model(nodes: list[tuple[str, str]], flows: list[tuple[str, str]]) -> BpmnModel:
    process = Process(id="P", name="P")
    model = BpmnModel(path="big.bpmn", processes=[process])
    for node_id, kind in nodes:
        model.nodes[node_id] = Node(node_id, kind, node_id if kind == "task" else "", process_id="P")
        process.node_ids.append(node_id)
    for k, (a, b) in enumerate(flows):
        model.flows[f"f{k}"] = SequenceFlow(f"f{k}", a, b, process_id="P")
        process.flow_ids.append(f"f{k}")
        model.nodes[a].outgoing.append(f"f{k}")
        model.nodes[b].incoming.append(f"f{k}")
    return model


def _chain_of_choices(blocks: int) -> BpmnModel:
    """start -> (split_i -> task_i | skip -> join_i) x blocks -> end, and every fifth split may also jump four
    blocks ahead: long flows over the main line, as a mined model has."""
    nodes, flows, last = [("start", "startEvent")], [], "start"
    for i in range(blocks):
        split, task, join = f"split{i}", f"Check document {i}", f"join{i}"
        nodes += [(split, "exclusiveGateway"), (task, "task"), (join, "exclusiveGateway")]
        flows += [(last, split), (split, task), (task, join), (split, join)]
        last = join
    for i in range(0, blocks - 4, 5):
        flows.append((f"split{i}", f"join{i + 4}"))
    nodes.append(("end", "endEvent"))
    flows.append((last, "end"))
    return _model(nodes, flows)


def _crosses(a: tuple[float, float], b: tuple[float, float], box: Bounds, inset: float = 3.0) -> bool:
    """Whether the horizontal or vertical segment a-b runs through the inside of ``box``."""
    left, top = box.x + inset, box.y + inset
    right, bottom = box.x + box.width - inset, box.y + box.height - inset
    if a[1] == b[1]:
        return top < a[1] < bottom and min(a[0], b[0]) < right and max(a[0], b[0]) > left
    return left < a[0] < right and min(a[1], b[1]) < bottom and max(a[1], b[1]) > top


def test_a_task_is_wide_enough_for_its_longest_word():
    # bpmn.io breaks a task's name only at spaces and hyphens, and cuts a longer word where the box ends:
    # "A_PREACCEP" / "TED", "ADMINISTRAT" / "ION" in 100-pixel tasks before
    for name in ("A_PARTLYSUBMITTED", "A_PREACCEPTED", "Permit REJECTED by ADMINISTRATION", "01_HOOFD_120"):
        width, _ = shape_size(Node("t", "task", name))
        widest = max(text_width(word, TASK_FONT) for word in name.split())
        assert widest <= width - 12, (name, width)
    assert shape_size(Node("t", "task", "Register complaint")) == (100.0, 80.0)


def test_a_model_of_two_hundred_flows_is_routed_around_its_shapes_on_a_straight_main_line():
    model = _chain_of_choices(48)
    assert 150 < len(model.flows) < 250
    geo = auto_layout(model)
    for flow in model.flows.values():
        route = geo.flows[flow.id]
        for a, b in pairwise(route):
            assert a[0] == b[0] or a[1] == b[1], (flow.id, route)  # no diagonals
            for node_id, box in geo.nodes.items():
                if node_id not in (flow.source_id, flow.target_id):
                    assert not _crosses(a, b, box), (flow.id, node_id, route)
    line = ["start", *(f"join{i}" for i in range(48)), "end"]
    assert len({round(geo.nodes[n].y + geo.nodes[n].height / 2) for n in line}) == 1
