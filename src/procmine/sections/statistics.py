"""What the log says before any model (``discover``, ``inspect``, ``audit``): per-activity figures, the
directly-follows graph with its waits, and case throughput times. ``activities`` and ``dfg`` are lists in
the JSON: their row classes carry the section ``NAME`` and ``LIST = True``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from procmine.sections.base import Section, doc


@dataclass(kw_only=True)
class ServiceSeconds(Section):
    median: float | None = doc("Median working time (start to end), seconds.")
    mean: float | None = doc("Mean working time, seconds.")
    total: float | None = doc("Total working time, seconds.")


@dataclass(kw_only=True)
class ActivityStats(Section):
    NAME = "activities"
    LIST: ClassVar[bool] = True

    activity: str = doc("The activity.")
    events: int = doc("Its events.")
    cases: int = doc("Cases in which it occurs.")
    case_share: float = doc("Their share of all cases.")
    rework_cases: int = doc("Cases doing the activity more than once.")
    start_cases: int = doc("Cases that start with it.")
    end_cases: int = doc("Cases that end with it.")
    service_seconds: ServiceSeconds | None = doc("Its working time (None without start times).")


@dataclass(kw_only=True)
class WaitSeconds(Section):
    median: float | None = doc("Median wait, seconds.")
    p90: float | None = doc("90th percentile of the wait, seconds.")
    mean: float | None = doc("Mean wait, seconds.")
    min: float | None = doc("Shortest wait, seconds.")
    max: float | None = doc("Longest wait, seconds.")
    total: float | None = doc("Total wait, seconds.")


@dataclass(kw_only=True)
class Arc(Section):
    NAME = "dfg"
    LIST: ClassVar[bool] = True

    source: str = doc("An activity ...")
    target: str = doc("... directly followed by this one in a case.")
    count: int = doc("Times it happened.")
    cases: int = doc("Cases in which it happened.")
    wait_seconds: WaitSeconds = doc(
        "From the source's completion to the target's start (its completion without start times), 0 when "
        "they overlap."
    )


@dataclass(kw_only=True)
class ThroughputSeconds(Section):
    min: float | None = doc("Shortest throughput time, seconds.")
    max: float | None = doc("Longest, seconds.")
    mean: float | None = doc("Mean, seconds.")
    total: float | None = doc("Sum over all cases, seconds.")
    p10: float | None = doc("10th percentile, seconds.")
    p25: float | None = doc("25th percentile, seconds.")
    median: float | None = doc("Median, seconds.")
    p75: float | None = doc("75th percentile, seconds.")
    p90: float | None = doc("90th percentile, seconds.")
    p95: float | None = doc("95th percentile, seconds.")


@dataclass(kw_only=True)
class ThroughputBin(Section):
    low: float = doc("Lower edge, seconds.", key="from")
    high: float = doc("Upper edge, seconds.", key="to")
    cases: int = doc("Cases in the bin.")


@dataclass(kw_only=True)
class ThroughputSection(Section):
    NAME = "throughput"

    cases: int = doc("Cases measured.")
    seconds: ThroughputSeconds | None = doc("Quantiles of the case throughput time (None: no cases).")
    histogram: list[ThroughputBin] = doc("Cases in equal-width bins of throughput time.")
