"""The ``map`` section: what the process map draws and what share of the log that covers."""

from __future__ import annotations

import math
from dataclasses import dataclass

from procmine.sections.base import Section, doc


@dataclass(frozen=True)
class MapActivity(Section):
    activity: str = doc("The activity's name.")
    events: int = doc("Its events (in the cases the map is drawn from).")


@dataclass(frozen=True)
class MapPath(Section):
    source: str | None = doc("The activity handing over; null: the start of the cases.")
    target: str | None = doc("The activity taking over; null: the end of the cases.")
    count: int = doc("Handovers on this path (from the start and to the end: cases).")
    cases: int = doc("Cases with at least one such handover.")
    wait_median: float | None = doc(
        "Median seconds from the source's completion to the target's start (null from the start and to the "
        "end). With activities hidden, the wait spans what happened in between.",
        default=None,
    )


@dataclass(frozen=True)
class MapSection(Section):
    NAME = "map"

    detail: str = doc("auto (the default detail), full (everything) or custom (--activities/--paths shares).")
    activities_shown: int = doc("Activities the map draws.")
    activities_total: int = doc("Activities of the log (after the filters).")
    paths_shown: int = doc("Paths (arcs) the map draws, counting those from the start and to the end.")
    paths_total: int = doc("Paths of the whole directly-follows graph, counted the same way.")
    events_share: float = doc("Share of the events whose activity the map draws.")
    cases_share: float = doc("Share of the cases the map draws whole: every event and handover on it.")
    cases: int = doc("Cases the map is drawn from (after --coverage and the filters).")
    caption: str = doc("What the map shows, in one sentence (the caption under the map).")
    activities: list[MapActivity] = doc("The activities drawn, most frequent first.")
    paths: list[MapPath] = doc("The paths drawn, most frequent first.")


def map_caption(
    activities: tuple[int, int], paths: tuple[int, int], events_share: float, cases_share: float, cases: int
) -> str:
    """One sentence saying what a map of (shown, total) activities and paths covers."""
    if activities[0] == activities[1] and paths[0] == paths[1]:
        return f"All {activities[1]:,} activities and {paths[1]:,} paths of {cases:,} cases."
    return (
        f"{activities[0]:,} of {activities[1]:,} activities ({_pct(events_share)} of events), "
        f"{paths[0]:,} of {paths[1]:,} paths; "
        f"{_pct(cases_share)} of {cases:,} cases follow only what is drawn."
    )


def _pct(share: float) -> str:
    """A share in whole percent, rounded down (99.7 % of events is not all of them); '<1%' above 0."""
    if 0 < share < 0.01:
        return "<1%"
    return f"{math.floor(share * 100) if share < 1 else 100}%"
