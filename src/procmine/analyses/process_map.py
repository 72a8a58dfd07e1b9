"""What the process map draws: the most frequent activities and paths, connected, and what share it covers.

The rule, as in Disco's activity and path sliders, bupaR's frequency filters and pm4py's DFG filters:

- **Activities**, most frequent first (events, ties by name). ``activities=SHARE`` keeps ``ceil((n - 1) *
  SHARE) + 1`` of the ``n`` activities (pm4py's rule: 0 keeps the most frequent one, 1 keeps all). Hidden
  activities are stepped over, as when they are filtered out of the log: a case ``a b c`` with ``b`` hidden
  hands over ``a -> c`` (and its wait runs from ``a``'s completion to ``c``'s start).
- **Paths** (handovers between the shown activities, plus each case's start and end), most frequent
  first. ``paths=SHARE`` keeps the top ``ceil((m - 1) * SHARE) + 1`` of the ``m`` paths for sure; the
  others are removed, the least frequent first, unless removing one would leave a shown activity that the
  start no longer reaches or that no longer reaches the end (pm4py's ``filter_dfg_on_paths_percentage``
  with every activity kept): no orphan boxes, every box on a route from start to end.
- **Default detail**: at most ``MAX_ACTIVITIES`` activities and ``MAX_PATHS`` paths, whatever the log:
  paths are removed as above down to ``MAX_PATHS``; when connecting the activities needs more than
  ``PATH_ALLOWANCE`` paths, fewer activities are shown. ``full`` draws everything, up to
  ``MAX_DRAWN_PATHS`` paths (beyond, the least frequent go as far as connectivity allows).

``cases_share`` is the share of cases the map draws whole (each of their events on a shown activity,
each of their handovers, start and end on a shown path); ``events_share`` the share of events on shown
activities.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from procmine.engine import projection, variants
from procmine.sections.map import MapActivity, MapPath, MapSection, map_caption

if TYPE_CHECKING:
    import duckdb

MAX_ACTIVITIES = 25
MAX_PATHS = 40
# No map draws more paths than this, whatever its detail: past it a map is unreadable and Graphviz needs
# minutes (the caption then says how many of the paths are drawn).
MAX_DRAWN_PATHS = 1000
PATH_ALLOWANCE = 45  # default detail: show fewer activities when connecting them needs more paths than this
DETAILS = ("auto", "full")


@dataclass(frozen=True)
class MapDetail:
    """How much to draw: ``full``, or shares of activities / paths (None: the default detail)."""

    full: bool = False
    activities: float | None = None
    paths: float | None = None
    max_activities: int = MAX_ACTIVITIES
    max_paths: int = MAX_PATHS

    @property
    def name(self) -> str:
        if self.full:
            return "full"
        return "auto" if self.activities is None and self.paths is None else "custom"


def build_map(
    con: duckdb.DuckDBPyConnection, detail: MapDetail | None = None, variant_limit: int | None = None
) -> MapSection:
    """The map of the log behind ``con`` (the cases of the ``variant_limit`` most frequent variants)."""
    detail = detail or MapDetail()
    events = projection.activity_events(con, variant_limit)
    ranked = list(events)
    shown = len(ranked) if detail.full else _keep(len(ranked), detail.activities, detail.max_activities)
    while True:
        paths = _paths(projection.project(con, ranked[:shown], variant_limit))
        kept = _select_paths(paths, ranked[:shown], detail)
        if detail.full or detail.activities is not None or len(kept) <= PATH_ALLOWANCE or shown == 1:
            break
        shown = max(1, shown - max(1, shown // 5))
    traces = variants.variants(con, limit=variant_limit)
    events_share = _share(sum(events[a] for a in ranked[:shown]), sum(events.values()))
    cases_share = _cases_drawn(traces, set(ranked[:shown]), {(p.source, p.target) for p in kept})
    cases = sum(v.cases for v in traces)
    paths_total = projection.path_count(con, variant_limit)
    totals = ((shown, len(ranked)), (len(kept), paths_total))
    return MapSection(
        detail=detail.name,
        activities_shown=shown,
        activities_total=len(ranked),
        paths_shown=len(kept),
        paths_total=paths_total,
        events_share=events_share,
        cases_share=cases_share,
        cases=cases,
        caption=map_caption(*totals, events_share, cases_share, cases),
        activities=[MapActivity(a, events[a]) for a in ranked[:shown]],
        paths=sorted(kept, key=lambda p: (-p.count, p.source or "", p.target or "")),
    )


def _keep(n: int, share: float | None, most: int) -> int:
    """How many of ``n`` ranked items a share keeps (pm4py's rule); None: at most ``most``."""
    if n == 0:
        return 0
    if share is None:
        return min(n, most)
    return min(n, math.ceil((n - 1) * share) + 1)


def _paths(part: projection.Projection) -> list[MapPath]:
    arcs = [MapPath(a.source, a.target, a.count, a.cases, a.wait_median) for a in part.arcs]
    arcs += [MapPath(None, a, n, n) for a, n in part.starts.items()]
    arcs += [MapPath(a, None, n, n) for a, n in part.ends.items()]
    return arcs


def _select_paths(paths: list[MapPath], activities: list[str], detail: MapDetail) -> list[MapPath]:
    """The paths to draw: the most frequent ones, and what keeps every activity between start and end.

    A share keeps its top paths for sure and removes every other one that connectivity allows; then any
    map still over its size (``max_paths`` for the default detail, ``MAX_DRAWN_PATHS`` otherwise) loses
    more, the least frequent first, as far as connectivity allows."""
    order = sorted(paths, key=lambda p: (-p.count, p.source or "", p.target or ""))
    graph = _Reach(order, activities)
    removed: set[MapPath] = set()
    if detail.paths is not None and not detail.full:
        for path in reversed(order[_keep(len(order), detail.paths, len(order)) :]):
            if graph.can_remove(path):
                graph.remove(path)
                removed.add(path)
    default = not detail.full and detail.paths is None
    budget = min(detail.max_paths, MAX_DRAWN_PATHS) if default else MAX_DRAWN_PATHS
    for path in reversed(order):  # the least frequent first
        if len(order) - len(removed) <= budget:
            break
        if path not in removed and graph.can_remove(path):
            graph.remove(path)
            removed.add(path)
    return [p for p in order if p not in removed]


class _Reach:
    """The drawn graph, to check that every activity stays reachable from the start and reaches the end."""

    def __init__(self, paths: list[MapPath], activities: list[str]) -> None:
        self.out: dict[str | None, set[str | None]] = defaultdict(set)
        self.into: dict[str | None, set[str | None]] = defaultdict(set)
        for p in paths:
            self.out[p.source].add(p.target)
            self.into[p.target].add(p.source)
        self.activities = set(activities)

    def remove(self, path: MapPath) -> None:
        self.out[path.source].discard(path.target)
        self.into[path.target].discard(path.source)

    def can_remove(self, path: MapPath) -> bool:
        self.remove(path)
        ok = self.activities <= _reached(self.out) and self.activities <= _reached(self.into)
        self.out[path.source].add(path.target)
        self.into[path.target].add(path.source)
        return ok


def _reached(edges: dict[str | None, set[str | None]]) -> set[str | None]:
    """Everything reachable from None (the start, or the end when ``edges`` runs backwards)."""
    seen: set[str | None] = {None}
    queue = deque([None])
    while queue:
        for nxt in edges.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _cases_drawn(traces: list[variants.Variant], shown: set[str], drawn: set[tuple]) -> float:
    total = sum(v.cases for v in traces)
    whole = 0
    for v in traces:
        if not set(v.activities) <= shown:
            continue
        steps = [None, *v.activities, None]
        if all(pair in drawn for pair in pairwise(steps)):
            whole += v.cases
    return _share(whole, total)


def _share(part: int, total: int) -> float:
    return part / total if total else 0.0
