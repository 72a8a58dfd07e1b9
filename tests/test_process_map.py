"""The process map: what it draws (simplification, connectivity, shares), against hand-worked logs and
pm4py's own DFG filters, and how it is drawn (labels, views, the same SVG on every machine)."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from procmine.analyses.process_map import MapDetail, _select_paths, build_map
from procmine.engine import db, projection
from procmine.renderers.process_map import fits_page, render_map, render_maps, report_maps
from procmine.sections.map import MapActivity, MapPath, MapSection
from tests.factories import make_log

pytestmark = pytest.mark.graphviz
NS = "{http://www.w3.org/2000/svg}"

# c1: A B C D   c2: A B D   c3: A C D   c4: A E D   (E is the rarest activity)
ROWS = [
    ("c1", "A", "2024-01-01 09:00"),
    ("c1", "B", "2024-01-01 10:00"),
    ("c1", "C", "2024-01-01 12:00"),
    ("c1", "D", "2024-01-01 13:00"),
    ("c2", "A", "2024-01-02 09:00"),
    ("c2", "B", "2024-01-02 09:30"),
    ("c2", "D", "2024-01-02 10:30"),
    ("c3", "A", "2024-01-03 09:00"),
    ("c3", "C", "2024-01-03 11:00"),
    ("c3", "D", "2024-01-03 11:30"),
    ("c4", "A", "2024-01-04 08:00"),
    ("c4", "E", "2024-01-04 08:20"),
    ("c4", "D", "2024-01-04 09:20"),
]


@pytest.fixture
def con():
    return db.connect(make_log(ROWS))


def edges(section: MapSection) -> set[tuple]:
    return {(p.source, p.target) for p in section.paths}


def test_full_map_is_the_directly_follows_graph(con):
    section = build_map(con, MapDetail(full=True))
    assert section.activities_shown == section.activities_total == 5
    assert edges(section) == {
        (None, "A"),
        ("A", "B"),
        ("A", "C"),
        ("A", "E"),
        ("B", "C"),
        ("B", "D"),
        ("C", "D"),
        ("E", "D"),
        ("D", None),
    }
    assert section.paths_shown == section.paths_total == 9
    assert section.events_share == 1 and section.cases_share == 1
    assert section.caption == "All 5 activities and 9 paths of 4 cases."


def test_hidden_activities_are_stepped_over_with_their_waits(con):
    section = build_map(con, MapDetail(activities=0.5))  # ceil(4 * 0.5) + 1 = 3: A, D, then B (ties by name)
    assert [a.activity for a in section.activities] == ["A", "D", "B"]
    paths = {(p.source, p.target): p for p in section.paths}
    assert set(paths) == {(None, "A"), ("A", "B"), ("B", "D"), ("A", "D"), ("D", None)}
    assert paths[("A", "D")].count == 2  # c3 (C hidden) and c4 (E hidden)
    assert paths[("A", "D")].wait_median == (150 + 80) / 2 * 60  # 2.5 h and 1 h 20 min, A done -> D
    assert section.events_share == 10 / 13
    assert section.cases_share == 0.25  # only c2 has no hidden activity
    assert "3 of 5 activities (76% of events), 5 of 9 paths; 25% of 4 cases" in section.caption


def test_projection_equals_pm4py_on_the_filtered_log(con):
    pm4py = pytest.importorskip("pm4py")
    from procmine.adapter.discovery import to_pm4py_frame

    kept = ["A", "B", "D"]
    frame = to_pm4py_frame(make_log(ROWS).events)
    filtered = pm4py.filter_event_attribute_values(frame, "concept:name", kept, level="event")
    graph, starts, ends = pm4py.discover_dfg(filtered)
    mine = projection.project(con, kept)
    assert {(a.source, a.target): a.count for a in mine.arcs} == dict(graph)
    assert mine.starts == dict(starts) and mine.ends == dict(ends)


def _chain_paths() -> list[MapPath]:
    counts = {  # distinct counts, so no tie decides anything
        (None, "a"): 100,
        ("a", "b"): 60,
        ("a", "c"): 39,
        ("b", "d"): 58,
        ("c", "d"): 37,
        ("b", "c"): 3,
        ("d", "a"): 9,
        ("d", None): 99,
        ("c", None): 1,
        ("a", "d"): 2,
        ("b", None): 5,
    }
    return [MapPath(s, t, n, n) for (s, t), n in counts.items()]


@pytest.mark.parametrize("share", [0.0, 0.2, 0.5, 0.8, 1.0])
def test_path_share_keeps_what_pm4py_keeps(share):
    from pm4py.algo.filtering.dfg.dfg_filtering import filter_dfg_on_paths_percentage

    paths = _chain_paths()
    dfg = {(p.source, p.target): p.count for p in paths if p.source and p.target}
    starts = {p.target: p.count for p in paths if p.source is None}
    ends = {p.source: p.count for p in paths if p.target is None}
    counts = {"a": 100, "b": 63, "c": 42, "d": 99}
    graph, s, e, _ = filter_dfg_on_paths_percentage(
        dfg, starts, ends, counts, share, keep_all_activities=True
    )
    expected = set(graph) | {(None, a) for a in s} | {(a, None) for a in e}
    kept = _select_paths(paths, list(counts), MapDetail(paths=share))
    assert {(p.source, p.target) for p in kept} == expected


def test_default_detail_keeps_every_activity_between_start_and_end():
    paths = _chain_paths()
    kept = _select_paths(paths, ["a", "b", "c", "d"], MapDetail(max_paths=4))
    assert len(kept) == 6  # the least that keeps all four between start and end, whatever max_paths says
    pairs = {(p.source, p.target) for p in kept}
    assert _connected(pairs, {"a", "b", "c", "d"})


def _connected(pairs: set[tuple], activities: set[str]) -> bool:
    def reach(start, forward):
        seen, todo = {start}, [start]
        while todo:
            node = todo.pop()
            for s, t in pairs:
                a, b = (s, t) if forward else (t, s)
                if a == node and b not in seen:
                    seen.add(b)
                    todo.append(b)
        return seen

    return activities <= reach(None, True) and activities <= reach(None, False)


def test_coverage_draws_only_the_most_frequent_variants(con):
    whole = build_map(con, MapDetail(full=True))
    top = build_map(con, MapDetail(full=True), variant_limit=1)  # ties by sequence: A B C D
    assert top.cases == 1 and edges(top) == {(None, "A"), ("A", "B"), ("B", "C"), ("C", "D"), ("D", None)}
    assert whole.cases == 4


def _texts(svg: str) -> list[tuple[str, float, float, float, float]]:
    """(class, x0, y0, x1, y1) of every text of the map, from its anchor, size and procmine's metrics."""
    from procmine.renderers.svg.textsize import text_width

    root = ET.fromstring(svg)
    out = []
    offsets = {}
    for g in root.iter(f"{NS}g"):
        if g.get("transform"):
            dx, dy = (float(v) for v in g.get("transform")[10:-1].split(","))
            for t in g.iter(f"{NS}text"):
                offsets[id(t)] = (dx, dy)
    for t in root.iter(f"{NS}text"):
        size = float(t.get("font-size") or root.get("font-size"))
        width = text_width(t.text or "", size)
        x, y = float(t.get("x")), float(t.get("y"))
        dx, dy = offsets.get(id(t), (0.0, 0.0))
        x0 = x - width / 2 if t.get("text-anchor") == "middle" else x
        out.append((t.get("class"), x0 + dx, y - size * 0.8 + dy, x0 + width + dx, y + size * 0.2 + dy))
    return out


def assert_readable(svg: str) -> None:
    """No two texts overlap; every activity's name and count lie inside its box."""
    texts = _texts(svg)
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            overlap = a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
            assert not overlap, (a, b)
    root = ET.fromstring(svg)
    for g in root.iter(f"{NS}g"):
        if g.get("class") == "activity":
            rect = g.find(f"{NS}rect")
            x, y = float(rect.get("x")), float(rect.get("y"))
            w, h = float(rect.get("width")), float(rect.get("height"))
            for t in _texts(ET.tostring(_alone(g), encoding="unicode")):
                assert x <= t[1] and t[3] <= x + w and y <= t[2] and t[4] <= y + h, (t, x, y, w, h)


def _alone(g: ET.Element) -> ET.Element:
    svg = ET.Element(f"{NS}svg", {"font-size": "11"})
    svg.append(g)
    return svg


def test_map_labels_views_and_escaping(con):
    section = build_map(con, MapDetail(full=True))
    maps = render_maps(section, ("frequency", "performance", "combined"))
    labels = {
        m: [t.text for t in ET.fromstring(s).iter(f"{NS}text") if t.get("class") == "path-label"]
        for m, s in maps.items()
    }
    assert "2" in labels["frequency"] and "1.0 h" not in labels["frequency"]
    assert "1.0 h" in labels["performance"] and "2" not in labels["performance"]
    assert "1 · 1.0 h" in labels["combined"]  # E -> D: once, an hour
    for svg in maps.values():
        assert_readable(svg)
    with pytest.raises(ValueError, match="unknown map mode"):
        render_map(section, "colourful")
    evil = one_activity("<b>&x", 1)
    svg = render_map(evil)
    ET.fromstring(svg)
    assert "<b>" not in svg and "&lt;b&gt;&amp;x" in svg


def test_long_names_wrap_never_cut():
    name = "Declaration FINAL_APPROVED by SUPERVISOR and then some more words"
    section = one_activity(name, 12_345)
    svg = render_map(section, "frequency")
    lines = [t.text for t in ET.fromstring(svg).iter(f"{NS}text") if t.get("class") == "activity-label"]
    assert len(lines) > 1 and "".join(lines).replace(" ", "") == name.replace(" ", "")
    assert "12,345" in svg and "…" not in svg
    assert_readable(svg)


def one_activity(name: str, events: int) -> MapSection:
    """The map of a log whose cases do one thing."""
    paths = [MapPath(None, name, 7, 7), MapPath(name, None, 7, 7)]
    return MapSection("auto", 1, 1, 2, 2, 1.0, 1.0, 7, "All.", [MapActivity(name, events)], paths)


SCRIPT = """
import sys
from procmine.sections.map import MapSection
from procmine.renderers.process_map import render_map
sys.stdout.write(render_map(MapSection.from_dict(__import__("json").loads(sys.argv[1])), "combined"))
"""


@pytest.mark.slow
def test_the_same_svg_with_a_system_dot_and_any_fonts(con, tmp_path):
    """Graphviz comes with pygraphviz and never measures text: a dot on the PATH (here one that would
    fail) and the machine's fonts (here none at all) change nothing."""
    import json

    section = json.dumps(build_map(con, MapDetail(full=True)).to_dict())
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "dot").write_text("#!/bin/sh\necho broken >&2\nexit 3\n")
    (fake / "dot").chmod(0o755)
    (tmp_path / "fonts.conf").write_text('<?xml version="1.0"?><fontconfig></fontconfig>\n')
    runs = []
    for env in (
        {},
        {"PATH": f"{fake}{os.pathsep}{os.environ['PATH']}"},
        {"FONTCONFIG_FILE": str(tmp_path / "fonts.conf"), "PATH": str(Path(sys.executable).parent)},
    ):
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, section],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        runs.append(done.stdout)
    assert runs[0].startswith("<svg") and runs[0] == runs[1] == runs[2]


def test_without_pygraphviz_a_system_dot_is_needed(con, monkeypatch, tmp_path):
    from procmine.renderers.svg import dot_layout

    monkeypatch.setitem(sys.modules, "pygraphviz", None)  # import fails
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(dot_layout.LayoutUnavailable, match="pip install pygraphviz"):
        render_map(build_map(con))
    assert dot_layout.engine() == "none"


def test_no_map_draws_more_than_the_most_paths(con, monkeypatch):
    from procmine.analyses import process_map

    monkeypatch.setattr(process_map, "MAX_DRAWN_PATHS", 6)
    section = build_map(con, MapDetail(full=True))
    assert section.activities_shown == 5 and section.paths_shown == 7  # connecting all five needs seven
    assert "7 of 9 paths" in section.caption
    assert _connected(edges(section), {"A", "B", "C", "D", "E"})


def test_huge_scenes_get_a_grid_without_overlaps(monkeypatch):
    from itertools import combinations

    from procmine.renderers.svg import dot_layout

    monkeypatch.setattr(dot_layout, "GRID_SCENE", 10)
    boxes = [dot_layout.Box(f"n{k}", 40 + k, 30) for k in range(30)]
    links = [dot_layout.Link(f"l{k}", f"n{k}", f"n{(k * 7 + 1) % 30}", (20, 12)) for k in range(30)]
    for rankdir in ("LR", "TB"):
        placed = dot_layout.layout(dot_layout.Scene(boxes, links, first=["n0"], rankdir=rankdir))
        assert set(placed.boxes) == {b.id for b in boxes} and set(placed.curves) == {k.id for k in links}
        for a, b in combinations(placed.boxes.values(), 2):
            assert (
                a.x + a.width <= b.x or b.x + b.width <= a.x or a.y + a.height <= b.y or b.y + b.height <= a.y
            )
        assert all(b.x >= 0 and b.x + b.width <= placed.width + 0.01 for b in placed.boxes.values())
        assert all(b.y >= 0 and b.y + b.height <= placed.height + 0.01 for b in placed.boxes.values())


def test_a_rare_long_wait_is_labelled_not_coloured_hot():
    activities = [MapActivity("a", 100), MapActivity("b", 100), MapActivity("c", 1)]
    paths = [
        MapPath(None, "a", 100, 100),
        MapPath("a", "b", 99, 99, 86400.0),  # a day, 99 times: the real bottleneck
        MapPath("a", "c", 1, 1, 50 * 86400.0),  # fifty days, once: an anecdote
        MapPath("c", "b", 1, 1, 0.0),
        MapPath("b", None, 100, 100),
    ]
    section = MapSection("auto", 3, 3, 5, 5, 1.0, 1.0, 100, "All.", activities, paths)
    svg = render_map(section, "performance")
    strokes = {}
    for g in ET.fromstring(svg).iter(f"{NS}g"):
        if g.get("class") == "path":
            strokes[g.find(f"{NS}title").text.split(":")[0]] = g.find(f"{NS}path").get("stroke")
    assert strokes["a → b"] == "#aa1414"  # the darkest red
    assert strokes["a → c"] == "#969696"  # grey, though its label says 50.0 d
    assert "50.0 d" in svg


def chain(n: int) -> MapSection:
    """The map of a log whose cases all do the same n activities one after the other."""
    names = [f"Step {k + 1:02d} of the chain" for k in range(n)]
    hops = zip([None, *names], [*names, None], strict=True)
    paths = [MapPath(a, b, 50, 50, None if a is None or b is None else 3600.0) for a, b in hops]
    activities = [MapActivity(name, 50) for name in names]
    return MapSection("auto", n, n, n + 1, n + 1, 1.0, 1.0, 50, f"All {n} activities.", activities, paths)


def test_the_report_map_runs_left_to_right_and_only_a_long_one_top_to_bottom():
    short = report_maps(chain(4), lambda a, p: pytest.fail("a map that fits needs no other level"))
    assert [level.name for level in short] == ["4 activities"]
    assert all(fits_page(svg) and _left_to_right(svg) for svg in short[0].svgs.values())
    asked = []
    long = report_maps(chain(14), lambda a, p: asked.append(a) or chain(a))
    assert not fits_page(render_map(chain(14), "frequency"))  # drawn left to right it is too wide
    assert [level.name for level in long] == [f"{asked[-1]} activities", "14 activities, top to bottom"]
    assert asked[-1] < 14 and all(fits_page(s) for level in long for s in level.svgs.values())
    assert all(_left_to_right(s) for s in long[0].svgs.values())
    assert not any(_left_to_right(s) for s in long[1].svgs.values())


def _left_to_right(svg: str) -> bool:
    """Whether the start circle is left of the end circle (rather than above it)."""
    circles = {g.get("class"): g.find(f"{NS}circle") for g in ET.fromstring(svg).iter(f"{NS}g")}
    start, end = ((float(circles[k].get("cx")), float(circles[k].get("cy"))) for k in ("start", "end"))
    return end[0] - start[0] > abs(end[1] - start[1])
