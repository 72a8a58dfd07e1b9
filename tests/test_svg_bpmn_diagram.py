"""The documented model drawn as SVG: one shape per task, reality painted in the right places, labels
escaped, dot's layout without overlaps when the model has no DI, wide diagrams whole at full size."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import combinations

import pytest

from procmine.model.bpmn import Bounds
from procmine.renderers.svg.bpmn_diagram import (
    Handover,
    Reality,
    TaskPaint,
    UndocumentedActivity,
    draw,
    skip_colour,
)
from procmine.renderers.svg.frame import FONT_SIZE
from procmine.renderers.svg.layout import geometry
from procmine.renderers.svg.textsize import fit, text_width
from tests.audit_fakes import TASK_NAMES, chain_model, complaints_model

NS = "{http://www.w3.org/2000/svg}"
EVIL = "<script>alert(1)</script>"


def groups(svg: str, cls: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    return [g for g in root.iter(f"{NS}g") if cls in (g.get("class") or "").split()]


@pytest.mark.parametrize("with_di", [True, False])
def test_one_shape_per_task(with_di):
    model = complaints_model(with_di)
    tasks = groups(draw(model), "task")
    assert sorted(g.get("data-element-id") for g in tasks) == sorted(n.id for n in model.tasks())
    assert len(tasks) == len(TASK_NAMES)


def test_di_positions_are_used_as_they_are():
    model = complaints_model(True)
    svg = draw(model)
    rect = groups(svg, "task")[0].find(f"{NS}rect")
    node = model.nodes[groups(svg, "task")[0].get("data-element-id")]
    assert (float(rect.get("x")), float(rect.get("y"))) == (node.bounds.x, node.bounds.y)


def test_labels_from_the_model_are_escaped():
    model = complaints_model(True, names={"register": EVIL})
    reality = Reality(undocumented=[UndocumentedActivity(EVIL, "register", 0.1)])
    svg = draw(model, reality)
    assert "<script>" not in svg
    ET.fromstring(svg)  # still well-formed


def test_tasks_are_coloured_by_skip_share_and_outdated_ones_marked():
    reality = Reality(
        tasks={
            "classify": TaskPaint(skip_share=0.5, executed_cases=10),
            "letter": TaskPaint(skip_share=0.2, outdated="not executed since 2026-06-30"),
            "register": TaskPaint(skip_share=0.0),
            "investigate": TaskPaint(skip_share=0.003),  # 3 of 1,000 cases: not "skipped 0%"
        }
    )
    svg = draw(complaints_model(True), reality)
    by_id = {g.get("data-element-id"): g for g in groups(svg, "task")}
    assert by_id["classify"].find(f"{NS}rect").get("fill") == skip_colour(0.5) == "#d6604d"
    assert by_id["register"].find(f"{NS}rect").get("fill") == "#ffffff"
    assert "outdated" in by_id["letter"].get("class")
    assert "OUTDATED" in "".join(by_id["letter"].itertext())
    assert "skipped 50%" in "".join(by_id["classify"].itertext())
    assert "skipped 0.3%" in "".join(by_id["investigate"].itertext())


@pytest.mark.parametrize("with_di", [True, False])
def test_undocumented_activity_sits_next_to_the_task_it_follows(with_di):
    model = complaints_model(with_di)
    svg = draw(model, Reality(undocumented=[UndocumentedActivity("Call customer back", "propose", 0.25)]))
    (box,) = groups(svg, "undocumented")
    rect = box.find(f"{NS}rect")
    spot = Bounds(*(float(rect.get(k)) for k in ("x", "y", "width", "height")))
    geo = geometry(model)
    anchor = geo.nodes["propose"]
    assert abs((spot.x + spot.width / 2) - (anchor.x + anchor.width / 2)) < 1  # same column
    assert "25% of cases" in "".join(box.itertext())
    for node_id, b in geo.nodes.items():  # and on top of nothing
        assert not _overlap(spot, b), node_id


def test_wait_labels_go_on_the_flow_of_their_handover():
    model = complaints_model(True)
    reality = Reality(
        handovers=[
            Handover("classify", "investigate", 3 * 86400, 100, bottleneck=True),
            Handover("classify", "propose", 3600, 50),
            Handover("investigate", "propose", 7200, 100),
        ]
    )
    svg = draw(model, reality)
    root = ET.fromstring(svg)
    labels = {
        "".join(g.itertext()).split("median")[0]: g
        for g in root.iter(f"{NS}g")
        if "wait" in (g.get("class") or "")
    }
    assert len(labels) == 3
    hot = [g for g in labels.values() if "bottleneck" in g.get("class")]
    assert len(hot) == 1 and "3.0 d" in "".join(hot[0].itertext())
    # the bottleneck flow (gateway -> Investigate) is drawn red
    red = [p for p in root.iter(f"{NS}path") if p.get("class") == "flow" and p.get("stroke") == "#c0392b"]
    assert [p.get("data-flow-id") for p in red] == ["flow_3"]


def test_handover_between_unconnected_tasks_is_not_labelled():
    svg = draw(complaints_model(True), Reality(handovers=[Handover("survey", "register", 60, 5)]))
    assert not groups(svg, "wait")


def test_dot_layout_places_flows_left_to_right_without_overlaps():
    model = complaints_model(False)
    geo = geometry(model)
    assert geo.auto and set(geo.nodes) == set(model.nodes)
    for a, b in combinations(geo.nodes.values(), 2):
        assert not _overlap(a, b, pad=0)
    assert (
        geo.nodes["register"].x < geo.nodes["classify"].x < geo.nodes["investigate"].x < geo.nodes["close"].x
    )
    assert set(geo.flows) == set(model.flows)


@pytest.mark.parametrize(
    ("label", "width", "max_lines", "expected"),
    [
        ("Send satisfaction survey", 90, 3, ["Send", "satisfaction", "survey"]),  # 92 px for two words
        ("Send satisfaction survey", 120, 3, ["Send satisfaction", "survey"]),
        ("Supercalifragilistic", 60, 3, ["Supercalifr", "agilistic"]),  # a word wider than the box is cut
        ("word " * 50, 60, 3, ["word word", "word word", "word word…"]),  # the rest given up, said so
    ],
)
def test_labels_fit_a_box_that_cannot_grow(label, width, max_lines, expected):
    lines = fit(label, width, FONT_SIZE, max_lines)
    assert lines == expected
    assert all(text_width(line, FONT_SIZE) <= width for line in lines)  # measured, not counted in characters


def test_miwg_models_draw_without_error(shared_data):
    from procmine.io.bpmn import read_bpmn

    files = sorted((shared_data / "models" / "miwg").rglob("*.bpmn"))[:60]
    assert files
    drawn = 0
    for path in files:
        try:
            model = read_bpmn(path)
        except Exception:  # refused models are the reader's business
            continue
        svg = draw(model)
        assert len(groups(svg, "task")) == len({n.id for n in model.tasks()} & set(geometry(model).nodes))
        drawn += 1
    assert drawn > 20


def _overlap(a: Bounds, b: Bounds, pad: float = 0) -> bool:
    return not (
        a.x + a.width + pad <= b.x
        or b.x + b.width + pad <= a.x
        or a.y + a.height + pad <= b.y
        or b.y + b.height + pad <= a.y
    )


def test_a_wide_diagram_is_drawn_whole_at_full_size():
    from procmine.renderers.svg.bpmn_diagram import drawing
    from procmine.renderers.svg.frame import PAGE_WIDTH

    model = chain_model(24)
    drawn = drawing(model)
    root = ET.fromstring(drawn.svg)
    assert drawn.wide and drawn.width > 2 * PAGE_WIDTH
    assert float(root.get("width")) == pytest.approx(drawn.width)
    assert float(root.get("viewBox").split()[2]) == pytest.approx(drawn.width)  # one unit, one pixel
    assert not list(root.iter(f"{NS}use")) and len(list(root.iter(f"{NS}svg"))) == 1  # not in pieces
    assert len(groups(drawn.svg, "task")) == 24
    assert len(root.findall(f".//{NS}path[@class='flow']")) == len(model.flows)  # every flow whole, once
    assert not drawing(chain_model(2)).wide
