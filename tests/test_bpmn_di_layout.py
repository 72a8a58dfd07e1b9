"""The diagram (DI) procmine writes into a discovered model.bpmn, as bpmn.io draws it: task names are never
cut inside a word, a model of a few hundred flows (the inductive miner's models of the BPIC 2020 logs
have 149 to 242) is routed like a small one: orthogonal flows that go around every shape, and flows that
dot lays side by side a pixel or two apart are given room."""

from __future__ import annotations

from itertools import pairwise

import pytest

from procmine.model.bpmn import Bounds, BpmnModel, Node
from procmine.renderers.svg.layout import TASK_FONT, TASK_PADDING, auto_layout, shape_size
from procmine.renderers.svg.room import SPACING, make_room
from procmine.renderers.svg.textsize import text_width
from tests.audit_fakes import graph_model


def _model(nodes, flows) -> BpmnModel:
    return graph_model(nodes, flows, "big.bpmn")


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
    names = ("A_PARTLYSUBMITTED", "A_PREACCEPTED", "W_Beoordelen fraude", "Permit REJECTED by ADMINISTRATION")
    for name in (*names, "01_HOOFD_120"):
        width, _ = shape_size(Node("t", "task", name))
        widest = max(text_width(word, TASK_FONT) for word in name.split())
        assert widest <= width - 2 * TASK_PADDING, (name, width)
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


def _packed() -> tuple[dict[str, Bounds], dict[str, list[tuple[float, float]]]]:
    """BPIC 2012's main line as dot routed it: a task of the next row 30 pixels above a gateway of the main
    line, 15 above its tasks, and three long flows from one task to another laid 1.6 pixels apart between."""
    nodes = {
        "above": Bounds(300, 0, 100, 70),
        "gateway": Bounds(325, 100, 50, 50),
        "left": Bounds(0, 85, 100, 80),
        "right": Bounds(1000, 85, 100, 80),
    }
    flows = {
        f"f{k}": [
            (20 + 20 * k, 85),
            (20 + 20 * k, 78 + 1.6 * k),
            (1080 - 20 * k, 78 + 1.6 * k),
            (1080 - 20 * k, 85),
        ]
        for k in range(3)
    }
    flows["main"] = [(100, 125), (325, 125)]
    return nodes, flows


def test_flows_laid_side_by_side_are_spread_apart_and_nothing_else_changes_shape():
    nodes, flows = _packed()
    before = {k: list(v) for k, v in flows.items()}
    added = make_room(nodes, flows)
    assert added > 0
    tracks = [flows[f"f{k}"][1][1] for k in range(3)]
    assert all(b - a >= SPACING - 0.2 for a, b in pairwise(tracks))  # in dot's order, SPACING apart
    assert nodes["above"] == Bounds(300, 0, 100, 70)  # above the gap: unmoved
    for name, size in (("gateway", (50, 50)), ("left", (100, 80)), ("right", (100, 80))):
        assert (nodes[name].width, nodes[name].height) == size
        assert nodes[name].y == pytest.approx(_packed()[0][name].y + added, abs=0.1)  # below it: moved down
    for flow_id, points in flows.items():
        assert [x for x, _ in points] == [x for x, _ in before[flow_id]]
        assert all(a[0] == b[0] or a[1] == b[1] for a, b in pairwise(points))
    for k in range(3):  # the flows still leave and reach the tasks' top edges
        assert flows[f"f{k}"][0][1] == nodes["left"].y and flows[f"f{k}"][-1][1] == nodes["right"].y
    assert flows["main"] == [(100, nodes["left"].y + 40), (325, nodes["left"].y + 40)]


def test_flows_already_apart_are_left_as_they_are():
    nodes, flows = _packed()
    for k in range(3):
        flows[f"f{k}"] = [(x, 70 + 10 * k if 0 < i < 3 else y) for i, (x, y) in enumerate(flows[f"f{k}"])]
    nodes["above"] = Bounds(300, 0, 100, 60)
    expected = ({**nodes}, {k: list(v) for k, v in flows.items()})
    assert make_room(nodes, flows) == 0.0
    assert (nodes, flows) == expected
