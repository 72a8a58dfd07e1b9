"""The process map on the public real logs: small enough to read (default detail), every activity between
start and end, no label cut or on top of another, the caption saying what share is drawn; the report's
map fits its page at a legible size. Skipped without ../shared/data."""

from __future__ import annotations

import pytest

from procmine.analyses.process_map import MapDetail, build_map
from procmine.renderers.process_map import fits_page, render_map, report_maps
from tests.public_logs import PUBLIC_LOGS
from tests.test_process_map import _connected, assert_readable, edges

pytestmark = [pytest.mark.shared_data, pytest.mark.slow, pytest.mark.graphviz]

LOGS = PUBLIC_LOGS


@pytest.fixture(scope="module", params=sorted(LOGS))
def connection(request, shared_data):
    from procmine.engine.db import connect
    from procmine.io.logs import read_log

    path = shared_data / "logs" / LOGS[request.param]
    if not path.is_file():
        pytest.skip(f"{path} not found")
    log = read_log(path)  # kept alive: the connection is closed when the log goes
    con = connect(log)
    yield con
    con.close()
    del log


def test_default_map_is_small_connected_and_readable(connection):
    section = build_map(connection)
    assert section.activities_shown <= 30 and section.paths_shown <= 45
    assert _connected(edges(section), {a.activity for a in section.activities})
    assert f"{section.paths_total:,} paths" in section.caption
    if section.activities_shown < section.activities_total or section.paths_shown < section.paths_total:
        assert "of events" in section.caption and "cases follow only what is drawn" in section.caption
    svg = render_map(section)
    assert section.caption in svg
    assert_readable(svg)


def test_report_map_fits_the_page_and_is_readable(connection):
    section = build_map(connection)
    levels = report_maps(
        section, lambda a, p: build_map(connection, MapDetail(max_activities=a, max_paths=p))
    )
    assert levels
    for level in levels:
        for svg in level.svgs.values():
            assert fits_page(svg), level.name
            assert_readable(svg)
            assert level.caption in svg
