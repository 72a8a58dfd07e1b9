"""The performance and customer blocks: throughput, bottlenecks ranked by total wait, rework, SLA, the queue
at the top bottleneck, resources, segments, satisfaction and touchpoints."""

from __future__ import annotations

from typing import TYPE_CHECKING

from procmine.renderers.shares import p_text, share_text
from procmine.sections.customer import CustomerSection, Satisfaction, Segments, Touchpoints
from procmine.sections.performance import PerformanceSection, Queue, Resources, Rework, Sla
from procmine.sections.waits import MATERIAL_SHARE, WaitRow, WaitsSection
from procmine.timefmt import duration

if TYPE_CHECKING:
    from procmine.findings import Report


def lines(report: Report) -> list[str]:
    return _performance(report.section(PerformanceSection), report.section(WaitsSection)) + _customer(
        report.section(CustomerSection)
    )


def _performance(perf: PerformanceSection | None, waits: WaitsSection | None) -> list[str]:
    if perf is None:
        return []
    out: list[str] = []
    t = perf.throughput
    basis = "completion times only"
    if perf.time_basis == "start_and_complete":
        basis = "start and completion times"
    if t:
        out.append(
            f"Throughput {perf.cases:,} cases, median {duration(t.median)}, p90 {duration(t.p90)}, "
            f"mean {duration(t.mean)} ({basis})"
        )
    out += _waits(waits)
    timed = [(a, a.service) for a in perf.activities if a.service]
    slow = sorted(timed, key=lambda pair: -pair[1].total)[:5]
    if slow:
        out.append("Service time (most total work first)")
        for a, s in slow:
            out.append(
                f"  {a.activity}: median {duration(s.median)}, p90 {duration(s.p90)}, "
                f"total {duration(s.total)}"
            )
    out += _rework(perf.rework) + _sla(perf.sla) + _queue(perf.queue) + _resources(perf.resources)
    return out


def _waits(waits: WaitsSection | None, shown: int = 5) -> list[str]:
    if waits is None:
        return []
    out = [f"Waits      {waits.summary}"]
    queues = [r for r in waits.handovers if r.kind == "queue"][:shown]
    if queues:
        out.append(
            "Bottlenecks: internal queues, ranked by total wait"
            if any(r.is_material() for r in queues)
            else f"Bottlenecks: none (no internal queue takes {MATERIAL_SHARE:.0%} of all case time); "
            "the queues, ranked by total wait"
        )
        for rank, r in enumerate(queues, start=1):
            out.append(f"  {rank}. {_wait_line(r)}; {r.reason}")
    others = [r for r in waits.handovers if r.kind != "queue"][:shown]
    if others:
        out.append("Longest other waits (customers, partners, timers, batches: not queues)")
        out += [f"  {_wait_line(r)}; {r.reason}" for r in others]
    return out


def _wait_line(r: WaitRow) -> str:
    cases = f"{r.cases:,} case{'' if r.cases == 1 else 's'}"
    return (
        f"{r.source} -> {r.target}: median {duration(r.median)}, p90 {duration(r.p90)}, "
        f"{share_text(r.share_of_case_time)} of all case time, {duration(r.per_affected_case)} per case "
        f"({cases})"
    )


def _rework(rework: Rework) -> list[str]:
    if not rework.cases_with_repetition:
        return ["Repeats    none (no activity repeated within a case)"]
    if rework.cases_with_rework is None:
        head = (
            f"Repeats    {rework.cases_with_repetition:,} cases ({share_text(rework.repetition_rate)}) "
            "repeat an activity (no model: rework and documented loops are not told apart)"
        )
    else:
        anything = rework.cases_with_repetition
        head = (
            f"Rework     {rework.cases_with_rework:,} cases ({share_text(rework.rate)}) repeat an "
            f"activity the documented model does not repeat; {anything:,} repeat any"
        )
    out = [head]
    for a in rework.activities[:5]:
        after = f", usually after {a.typical_before}" if a.typical_before else ""
        out.append(
            f"  {a.activity} ({a.kind}): {a.cases_reworked:,} cases, {a.repeats:,} repeats, "
            f"{duration(a.extra_time)}{after}"
        )
    return out


def _sla(sla: Sla | None) -> list[str]:
    if sla is None:
        return []
    out = []
    tolerated = f"tolerated {sla.max_breach_rate:.0%}"
    if sla.case:
        c = sla.case
        state = "OVER" if c.over_threshold else "ok"
        out.append(
            f"SLA        throughput {duration(c.target)}: {c.breaches:,} of {c.cases:,} cases over "
            f"({c.breach_rate:.1%}, {tolerated}) {state}"
        )
    for a in sla.activities:
        state = "OVER" if a.over_threshold else "ok"
        out.append(
            f"SLA        {a.activity} {duration(a.target)}: {a.breaches:,} of {a.executions:,} "
            f"executions over ({a.breach_rate:.1%}, {tolerated}) {state}"
        )
    return out


def _queue(queue: Queue | None) -> list[str]:
    if queue is None:
        return []
    return [
        f"Queue      {queue.source} -> {queue.target}: {queue.trend} "
        f"(per {queue.bucket}: {queue.mean_queue_first_third:.1f} cases waiting early on, "
        f"{queue.mean_queue_last_third:.1f} lately)"
    ]


def _resources(res: Resources) -> list[str]:
    out = []
    if res.workload:
        top = ", ".join(f"{r.resource} {r.events:,}" for r in res.workload[:5])
        out.append(f"Workload   {top} events")
    for lane in res.lanes or []:
        out.append(
            f"  lane {lane.lane}: {lane.events:,} events ({share_text(lane.share)}), "
            f"{lane.resources} resources"
        )
    hand = res.handovers
    if hand:
        share = share_text(hand.share_of_transitions)
        out.append(f"Handovers  {hand.handovers:,} between resources ({share} of all steps)")
    return out


def _customer(cust: CustomerSection | None) -> list[str]:
    if cust is None:
        return []
    return (
        _segments(cust.segments)
        + _satisfaction(cust.satisfaction, cust.min_sample)
        + _touchpoints(cust.touchpoints)
    )


def _segments(seg: Segments) -> list[str]:
    out = _segment_choice(seg)
    for column, rows in seg.by_column.items():
        why = next((t.differs_in for t in seg.tested if t.column == column), [])
        note = f" (differs in {', '.join(why)})" if why else ""
        out.append(f"Segment    {column}" + (" (given)" if not seg.detected else note))
        for r in rows[:10]:
            extra = ""
            if r.sla_breaches is not None and r.sla_breach_rate is not None:
                extra += f", {share_text(r.sla_breach_rate)} over SLA"
            if r.deviating_share is not None:
                extra += f", {share_text(r.deviating_share)} deviating"
            if r.satisfaction_mean is not None:
                extra += f", satisfaction {r.satisfaction_mean:.1f}"
            out.append(f"  {r.value}: {r.cases:,} cases, median {duration(r.median_throughput)}{extra}")
    return out


def _segment_choice(seg: Segments) -> list[str]:
    """Which case attributes were tested as segments, and which matter."""
    if not seg.detected or not seg.tested:
        return []
    quiet = [t.column for t in seg.tested if not t.matters]
    out = []
    if not seg.columns:
        out.append(f"Segments   none of {len(seg.tested)} case attributes tested makes a difference")
    if seg.more:
        out.append(f"Segments   {len(seg.more)} more that matter: {', '.join(seg.more)}")
    if quiet and seg.columns:
        out.append(f"Segments   no difference: {', '.join(quiet[:10])}" + (" ..." if len(quiet) > 10 else ""))
    return out


def _satisfaction(s: Satisfaction | None, min_sample: int) -> list[str]:
    if s is None:
        return []
    nps = f", NPS {s.nps.score:.0f}" if s.nps else ""
    out = [
        f"Satisfaction {s.column} ({s.scale}, {s.n:,} scored cases): mean {s.mean:.1f}{nps}; "
        f"groups compared when both have >= {min_sample} scores"
    ]
    for band in s.by_throughput_band:
        if band.mean is not None:
            out.append(
                f"  throughput {band.band} ({duration(band.low)}..{duration(band.high)}): "
                f"mean {band.mean:.1f} (n = {band.n:,})"
            )
    for c in s.comparisons:
        if c.p_value is None:
            out.append(f"  {c.group}: n = {c.n:,}, not tested (too few)")
        else:
            out.append(
                f"  {c.group}: {c.mean:.1f} vs {c.rest_mean:.1f} for {c.against} "
                f"(n = {c.n:,} vs {c.rest_n:,}, {p_text(c.p_value)})" + (" GAP" if c.gap_found else "")
            )
    return out


def _touchpoints(t: Touchpoints | None) -> list[str]:
    if t is None:
        return []
    pc = t.per_case
    out = [f"Touchpoints {', '.join(t.activities)}: mean {pc.mean or 0:.1f} per case (max {pc.max})"]
    if t.handoffs:
        h = t.handoffs
        out.append(
            f"  customer hand-offs between people: {h.total:,} in {h.cases_with_handoff:,} cases "
            f"({share_text(h.share_of_cases)})"
        )
    if t.unknown:
        out.append(f"  not in the log: {', '.join(t.unknown)}")
    return out
