"""The spine of a laid-out process: the longest loop-free path from the start to the end event, found by
hand on small graphs, and drawn as one straight line by dot."""

from __future__ import annotations

from procmine.model.bpmn import BpmnModel
from procmine.renderers.svg.dot_layout import Link
from procmine.renderers.svg.layout import auto_layout
from procmine.renderers.svg.spine import spine
from tests.audit_fakes import complaints_model, graph_model

# start -> A -> (join) -> B -> split -> C | D -> merge -> E -> loop split -> back to the join, or end
NODES = [
    ("s", "startEvent"), ("A", "task"), ("join", "exclusiveGateway"), ("B", "task"),
    ("split", "exclusiveGateway"), ("C", "task"), ("D", "task"), ("merge", "exclusiveGateway"),
    ("E", "task"), ("again", "exclusiveGateway"), ("e", "endEvent"),
]  # fmt: skip
FLOWS = [
    ("s", "A"), ("A", "join"), ("join", "B"), ("B", "split"), ("split", "C"), ("split", "D"),
    ("C", "merge"), ("D", "merge"), ("merge", "E"), ("E", "again"), ("again", "join"), ("again", "e"),
]  # fmt: skip


def _links(flows):
    return [Link(f"f{k}", a, b) for k, (a, b) in enumerate(flows)]


def _path(links):
    return [links[0].source, *(link.target for link in links)] if links else []


def test_the_spine_is_the_longest_path_without_the_flow_that_closes_the_loop():
    found = spine(_links(FLOWS), ["s"], ["e"])
    # the loop's return flow (again -> join) is left out; of the two equal branches one, always the same
    assert _path(found) in (
        ["s", "A", "join", "B", "split", branch, "merge", "E", "again", "e"] for branch in ("C", "D")
    )
    assert spine(_links(FLOWS), ["s"], ["e"]) == found
    assert spine(_links([*FLOWS, ("split", "merge")]), ["s"], ["e"]) == found  # a skip is shorter
    detour = [("s", "A"), ("A", "e"), ("A", "X"), ("X", "Y"), ("Y", "e")]
    assert _path(spine(_links(detour), ["s"], ["e"])) == ["s", "A", "X", "Y", "e"]


def test_no_spine_without_a_path_from_a_start_to_an_end():
    assert spine(_links([("s", "A"), ("B", "e")]), ["s"], ["e"]) == []
    assert spine(_links(FLOWS), [], ["e"]) == []
    assert spine(_links(FLOWS), ["s"], []) == []


def _model(nodes, flows) -> BpmnModel:
    return graph_model(nodes, flows, "loop.bpmn")


def test_the_spine_is_drawn_as_one_straight_line_from_start_to_end():
    for model in (_model(NODES, FLOWS), complaints_model(with_di=False)):
        process = model.processes[0]
        flows = model.flows_of(process)
        links = [Link(f.id, f.source_id, f.target_id) for f in flows]
        starts = [n for n in process.node_ids if model.nodes[n].type == "startEvent"]
        ends = [n for n in process.node_ids if model.nodes[n].type == "endEvent"]
        line = _path(spine(links, starts, ends))
        assert len(line) >= 8
        nodes = auto_layout(model).nodes
        centres = {round(nodes[n].y + nodes[n].height / 2) for n in line}
        assert len(centres) == 1, (model.path, centres)
