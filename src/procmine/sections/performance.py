"""The ``performance`` section (``procmine bottlenecks``, ``audit``): where cases wait, rework, SLA
breaches, who does the work, and the queue in front of the top bottleneck. Times are in seconds; a wait runs
from the end of one step to the start of the next (to its end without start times), overlapping work counts 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from procmine.sections.base import Section, doc


@dataclass(kw_only=True)
class TimeStats(Section):
    count: int = doc("Measurements.")
    median: float = doc("Median, seconds.")
    p90: float = doc("90th percentile (linear interpolation), seconds.")
    mean: float = doc("Mean, seconds.")
    total: float = doc("Sum, seconds.")


@dataclass(kw_only=True)
class LogBin(Section):
    bin: int = doc("k: throughput times from 1.01^k up to 1.01^(k+1) seconds; -1: under one second.")
    cases: int = doc("Cases in the bin.")


@dataclass(kw_only=True)
class HandoverWait(Section):
    source: str = doc("The activity work comes from ...")
    target: str = doc("... and the activity it goes to next (a directly-follows pair).")
    count: int = doc("Times the handover happened.")
    median: float = doc("Median wait, seconds.")
    p90: float = doc("90th percentile of the wait, seconds.")
    mean: float = doc("Mean wait, seconds.")
    total: float = doc("Total wait over all cases, seconds.")
    max: float = doc("Longest wait, seconds.")
    cases: int = doc("Cases with the handover.")
    overlaps: int = doc("Handovers where the next step started before the previous one ended (wait 0).")


@dataclass(kw_only=True)
class Bottleneck(Section):
    rank: int = doc("1 for the handover with the largest total wait.")
    source: str = doc("The activity work comes from ...")
    target: str = doc("... and the activity it goes to next.")
    count: int = doc("Times the handover happened.")
    median: float = doc("Median wait, seconds.")
    p90: float = doc("90th percentile of the wait, seconds.")
    mean: float = doc("Mean wait, seconds.")
    total: float = doc("Total wait over all cases, seconds.")
    max: float = doc("Longest wait, seconds.")
    cases: int = doc("Cases with the handover.")
    overlaps: int = doc("Handovers where the next step started before the previous one ended (wait 0).")
    share_of_throughput: float | None = doc("Its total wait over all cases' throughput time.")
    share_of_affected_throughput: float | None = doc(
        "Its total wait over the throughput time of the cases that pass it."
    )


@dataclass(kw_only=True)
class ActivityTimes(Section):
    activity: str = doc("The activity.")
    executions: int = doc("Its executions.")
    cases: int = doc("Cases in which it runs.")
    service: TimeStats | None = doc("Working time, start to end (None without start times).")
    sojourn: TimeStats | None = doc("End of the previous step to its end.")
    wait_before: TimeStats | None = doc("End of the previous step to its start.")


@dataclass(kw_only=True)
class ReworkedActivity(Section):
    activity: str = doc("The activity repeated within cases.")
    kind: str = doc(
        "rework (the documented model has it on no loop), documented loop (the model lets it repeat), or "
        "repetition (no model, or an activity the model does not document)."
    )
    cases_with_activity: int = doc("Cases in which it runs at all.")
    cases_reworked: int = doc("Cases in which it runs more than once.")
    repeats: int = doc("Executions after the first, over all cases.")
    rate: float | None = doc("cases_reworked over all cases.")
    rate_where_executed: float | None = doc("cases_reworked over cases_with_activity.")
    extra_time: float = doc("Sojourn time of the repeats, seconds.")
    extra_time_per_reworked_case: float = doc("extra_time per reworked case, seconds.")
    typical_before: str | None = doc("The step most often directly before a repeat of it.")
    typical_before_share: float | None = doc("The share of its repeats that come right after that step.")


@dataclass(kw_only=True)
class Rework(Section):
    basis: str = doc("documented model, or no model (then nothing is called rework, only repetition).")
    cases_with_rework: int | None = doc(
        "Cases repeating an activity the documented model does not let repeat (None without a model)."
    )
    rate: float | None = doc("Their share of all cases.")
    cases_with_repetition: int = doc("Cases with any activity repeated.")
    repetition_rate: float | None = doc("Their share of all cases.")
    extra_time: float = doc("Sojourn time of all repeats, seconds.")
    min_rate: float = doc("Rate from which a repeated activity is a rework finding.")
    activities: list[ReworkedActivity] = doc("Repeated activities, most costly first.")


@dataclass(kw_only=True)
class CaseSla(Section):
    target: float = doc("--sla throughput-time target, seconds.")
    cases: int = doc("Cases measured.")
    breaches: int = doc("Cases over the target.")
    breach_rate: float | None = doc("breaches over cases.")
    over_threshold: bool = doc("Whether breach_rate is above --max-sla-breach.")


@dataclass(kw_only=True)
class ActivitySla(Section):
    activity: str = doc("The activity with its own target (--sla 'ACTIVITY=DURATION').")
    target: float = doc("Its sojourn-time target, seconds.")
    executions: int = doc("Its executions.")
    breaches: int = doc("Executions over the target.")
    cases: int = doc("Cases with a breach.")
    breach_rate: float | None = doc("breaches over executions.")
    over_threshold: bool = doc("Whether breach_rate is above --max-sla-breach.")


@dataclass(kw_only=True)
class Sla(Section):
    max_breach_rate: float | None = doc("--max-sla-breach: the breach rate tolerated.")
    case: CaseSla | None = doc("The throughput-time target (None: only activity targets).")
    activities: list[ActivitySla] = doc("The per-activity targets.")


@dataclass(kw_only=True)
class ResourceLoad(Section):
    resource: str = doc("Who did the work.")
    events: int = doc("Their events.")
    share: float | None = doc("Their share of all events.")
    cases: int = doc("Cases they worked on.")
    activities: int = doc("Distinct activities they did.")
    busy: float = doc("Working time (service time) summed, seconds.")


@dataclass(kw_only=True)
class LaneLoad(Section):
    lane: str = doc("The model's lane (or '(not in the model)').")
    events: int = doc("Events of its activities.")
    share: float | None = doc("Their share of all events.")
    busy: float = doc("Working time summed, seconds.")
    activities: list[str] = doc("Its activities seen in the log.")
    resources: int = doc("Distinct resources who did them.")


@dataclass(kw_only=True)
class ResourcePair(Section):
    source: str = doc("The resource handing work over ...")
    target: str = doc("... to this one.")
    count: int = doc("Times it happened.")
    median: float = doc("Median wait, seconds.")
    p90: float = doc("90th percentile of the wait, seconds.")
    mean: float = doc("Mean wait, seconds.")
    total: float = doc("Total wait, seconds.")


@dataclass(kw_only=True)
class ResourceHandovers(Section):
    handovers: int = doc("Steps where the next step is done by another resource.")
    share_of_transitions: float | None = doc("Their share of all steps from one activity to the next.")
    pairs: list[ResourcePair] = doc("The most frequent resource pairs.")


@dataclass(kw_only=True)
class Resources(Section):
    workload: list[ResourceLoad] | None = doc("Per resource, most events first (None: no resource column).")
    lanes: list[LaneLoad] | None = doc("Per lane of the model (None: no model with lanes).")
    handovers: ResourceHandovers | None = doc("Work handed between resources (None: no resource column).")


@dataclass(kw_only=True)
class QueuePoint(Section):
    end: str = doc("End of the day or week (ISO, UTC).")
    queue: int = doc("Cases waiting at the handover then.")
    arrivals: int = doc("Cases arriving at it during the bucket.")


@dataclass(kw_only=True)
class Queue(Section):
    source: str = doc("The top bottleneck's source activity ...")
    target: str = doc("... and its target.")
    bucket: str = doc("day or week.")
    trend: str = doc("growing, shrinking or stable.")
    slope_per_bucket: float = doc("Least-squares slope of the queue length per bucket.")
    mean_queue_first_third: float = doc("Mean queue length over the first third of the period.")
    mean_queue_last_third: float = doc("Mean queue length over the last third.")
    series: list[QueuePoint] = doc("The queue length per bucket.")


@dataclass(kw_only=True)
class PerformanceSection(Section):
    NAME = "performance"

    time_basis: str = doc("start_and_complete, or complete_only (waits then include working time).")
    cases: int = doc("Cases measured.")
    throughput: TimeStats | None = doc("Case throughput time: first start (or end) to last end.")
    throughput_bins: list[LogBin] = doc(
        "Cases per 1 % bin of throughput time, by bin (empty without times): what `audit --previous` "
        "tests a change of the median on (Mann-Whitney U)."
    )
    bottlenecks: list[Bottleneck] = doc("Handovers ranked by total wait (impact), top N.")
    handovers: list[HandoverWait] = doc("Directly-follows pairs by total wait (at most 100).")
    handovers_total: int = doc("Distinct directly-follows pairs in the log.")
    activities: list[ActivityTimes] = doc("Times per activity.")
    rework: Rework = doc("Activities repeated within cases: rework, documented loops, repetitions.")
    sla: Sla | None = doc("SLA breaches (None: no --sla).")
    resources: Resources = doc("Who does the work.")
    queue: Queue | None = doc("The queue in front of the top bottleneck over time (None: no bottleneck).")
