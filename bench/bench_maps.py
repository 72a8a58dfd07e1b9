"""Benchmark: the process map and the model layout on the real logs of ../shared/data.

    .venv/bin/python bench/bench_maps.py [--logs sepsis bpic2015 ...] [--full]

For each log (read once, not timed): the default map (simplification in SQL + Python, then Graphviz's layout
and procmine's SVG: map.svg, left to right), the report's map (left to right; when too wide for the page, a
smaller map left to right and the whole map top to bottom), and the layout of the discovered BPMN model
(tidy + dot; mining not timed).
Prints what each map draws, the times (wall, and CPU in brackets: steadier on a shared machine), and the
load of the machine. ``--full`` also times ``--detail full``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("PROCMINE_SHARED_DATA", ROOT.parent / "shared" / "data")) / "logs"
sys.path.insert(0, str(ROOT))
from tests.public_logs import PUBLIC_LOGS as LOGS  # noqa: E402  (one list with the tests)


class Seconds(float):
    """Wall seconds that also carry the CPU seconds of the same call; prints as ``wall (cpu)``."""

    cpu: float = 0.0

    def __format__(self, spec: str) -> str:
        return f"{float(self):{spec}} ({self.cpu:{spec}})"


def timed(fn, *args, **kwargs):
    started, cpu = time.perf_counter(), time.process_time()
    value = fn(*args, **kwargs)
    seconds = Seconds(time.perf_counter() - started)
    seconds.cpu = time.process_time() - cpu
    return value, seconds


def svg_size(svg: str) -> str:
    width = float(svg.split('width="', 1)[1].split('"', 1)[0])
    height = float(svg.split('height="', 1)[1].split('"', 1)[0])
    return f"{width:.0f}x{height:.0f}"


def bench(name: str, full: bool) -> None:
    from procmine.analyses.discovery import discover_model
    from procmine.analyses.process_map import MapDetail, build_map
    from procmine.engine.db import connect
    from procmine.io.logs import read_log
    from procmine.renderers.process_map import render_map, report_maps
    from procmine.renderers.svg.layout import geometry

    log = read_log(DATA / LOGS[name])
    con = connect(log)
    section, simplify = timed(build_map, con)
    svg, draw = timed(render_map, section)
    levels, report = timed(
        report_maps, section, lambda a, p: build_map(con, MapDetail(max_activities=a, max_paths=p))
    )
    mined = discover_model(con)
    geo, model_layout = timed(geometry, mined.model)
    width = max(b.x + b.width for b in geo.nodes.values())
    height = max(b.y + b.height for b in geo.nodes.values())
    counts = mined.section["model"]
    print(
        f"| {name} | {section.activities_shown}/{section.activities_total} | "
        f"{section.paths_shown}/{section.paths_total} | {section.events_share:.0%} | "
        f"{section.cases_share:.0%} | {simplify:.2f} s | {draw:.2f} s | {svg_size(svg)} | "
        f"{', '.join(level.name for level in levels)} | {report:.2f} s | "
        f"{counts['tasks']}/{counts['gateways']} | {model_layout:.2f} s | {width:.0f}x{height:.0f} |",
        flush=True,
    )
    if full:
        whole, simplify = timed(build_map, con, MapDetail(full=True))
        svg, draw = timed(render_map, whole)
        print(
            f"| {name} `--detail full` | {whole.activities_shown} | {whole.paths_shown}/{whole.paths_total} "
            f"| | | {simplify:.2f} s | {draw:.2f} s | {svg_size(svg)} | | | | | |",
            flush=True,
        )
    con.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logs", nargs="*", default=list(LOGS), choices=list(LOGS))
    parser.add_argument("--full", action="store_true", help="also time the map with --detail full")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"no shared data at {DATA}", file=sys.stderr)
        return 2
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} cores")
    print(
        "| log | activities | paths | events | cases whole | simplify | layout+SVG | map.svg px | report "
        "levels | report maps | model tasks/gateways | model layout | model px |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|")
    for name in args.logs:
        bench(name, args.full)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
