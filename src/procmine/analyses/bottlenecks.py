"""Where cases wait: time figures per handover and activity, and the internal queues that cost the most.

A bottleneck is an internal queue (``analyses.waits``: the wait grows with the work already waiting), ranked
by its **impact**: the total waiting time it causes across all cases, not its mean wait, because a short
wait that every case pays can cost more than a long one that few cases see. Waits on customers, partners
and timers are not bottlenecks: capacity would not shorten them. Each ``bottleneck`` finding (P001) carries
the median and p90 wait, the share of all case time, the wait per affected case, and the queueing evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from procmine.analyses.significance import p_text, rho_text, share_text
from procmine.engine import times
from procmine.engine.db import connect
from procmine.findings import Finding, Location, Severity, catalogued
from procmine.timefmt import duration as human_duration

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

    from procmine.model.log import EventLog
    from procmine.sections.waits import WaitRow, WaitsSection

HANDOVERS_SHOWN = 100  # the handover table in the report


@dataclass
class Timing:
    """The measured times of one log, shared by the performance and customer analyses."""

    log: EventLog
    con: duckdb.DuckDBPyConnection
    case_count: int
    span: tuple[float | None, float | None]  # the first and the last moment of all cases (seconds)
    handovers: pd.DataFrame  # source, target, count..total, max, cases, overlaps
    activities: pd.DataFrame  # activity, executions, cases, service_*, sojourn_*, wait_*
    throughput: dict[str, Any] | None
    throughput_bins: list[
        dict[str, int]
    ]  # cases per 1 % bin of throughput time (``times.throughput_log_bins``)

    @cached_property
    def cases(self) -> pd.DataFrame:
        """One row per case (case_id, throughput), sorted by case id: read from the engine only when an
        analysis needs each case (the customer lens's groups)."""
        return times.case_times(self.con, ("case_id", "throughput"))

    @property
    def total_throughput(self) -> float:
        return float(self.throughput["total"]) if self.throughput else 0.0

    @property
    def file(self) -> str:
        return str(self.log.source)


def measure(log: EventLog) -> Timing:
    """Run the time queries once; every analysis of this module family reads from the result."""
    con = connect(log)
    times.prepare_steps(con)
    count, first, last = times.case_summary(con)
    return Timing(
        log=log,
        con=con,
        case_count=count,
        span=(first, last),
        handovers=times.handover_waits(con),
        activities=times.activity_times(con),
        throughput=times.throughput_stats(con),
        throughput_bins=times.throughput_log_bins(con),
    )


def queue_ranking(section: WaitsSection) -> list[dict[str, Any]]:
    """The internal queues of the waits section, largest total wait first, ranked 1..n (the report's
    ``performance.bottlenecks``)."""
    ranked = []
    for row in section.handovers:
        if row.kind != "queue":
            continue
        ranked.append(
            {
                "rank": len(ranked) + 1,
                "source": row.source,
                "target": row.target,
                "count": row.count,
                "median": row.median,
                "p90": row.p90,
                "mean": row.mean,
                "total": row.total,
                "max": row.max,
                "cases": row.cases,
                "overlaps": row.overlaps,
                "share_of_throughput": row.share_of_case_time,
                "share_of_affected_throughput": row.share_of_affected_case_time,
            }
        )
    return ranked


def bottleneck_findings(section: WaitsSection, top: int, file: str) -> list[Finding]:
    """One ``bottleneck`` finding per internal queue, the ``top`` largest by total wait."""
    findings = []
    queues = [r for r in section.handovers if r.kind == "queue"]
    for rank, row in enumerate(queues[:top], start=1):
        share = row.share_of_case_time or 0.0
        findings.append(
            catalogued(
                kind="bottleneck",
                severity=Severity.WARNING if row.is_material() else Severity.INFO,
                message=_queue_message(row, share),
                location=Location(file=file, source=row.source, target=row.target),
                metrics=_queue_metrics(row, rank),
                impact=round(share, 4),  # a share, like every finding's impact (findings.Finding)
            )
        )
    return findings


def _queue_message(row: WaitRow, share: float) -> str:
    e = row.evidence
    evidence = ""
    if e is not None and e.wait_when_few is not None and e.wait_when_many is not None:
        few = "no other work" if e.few_waiting == 0 else f"at most {_others(e.few_waiting)}"
        evidence = (
            f" Work that found {few} waiting waited {human_duration(e.wait_when_few)} (median); work that "
            f"found {e.many_waiting:,} or more waited {human_duration(e.wait_when_many)} "
            f"({rho_text(e.rho)}, {p_text(e.q_value)})."
        )
    return (
        f"Work queues before '{row.target}' (after '{row.source}'): {human_duration(row.median)} median, "
        f"p90 {human_duration(row.p90)}; {share_text(share)} of all case time, "
        f"{human_duration(row.per_affected_case)} per affected case ({cases_text(row.cases)}).{evidence}"
    )


def _others(n: int) -> str:
    return f"{n:,} other{'' if n == 1 else 's'}"


def _queue_metrics(row: WaitRow, rank: int) -> dict[str, Any]:
    e = row.evidence
    out: dict[str, Any] = {
        "rank": rank,
        "median_wait": row.median,
        "p90_wait": row.p90,
        "total_wait": row.total,
        "wait_per_affected_case": row.per_affected_case,
        "cases_affected": row.cases,
        "share_of_case_time": row.share_of_case_time,
        "share_of_affected_case_time": row.share_of_affected_case_time,
    }
    if e is not None:
        out |= {"queue_rho": e.rho, "queue_q_value": e.q_value, "waits_tested": e.waits}
    return out


def cases_text(n: int) -> str:
    """``1 case``, ``2,345 cases``."""
    return f"{n:,} case{'' if n == 1 else 's'}"


def activity_table(timing: Timing) -> list[dict[str, Any]]:
    return [
        {
            "activity": row["activity"],
            "executions": int(row["executions"]),
            "cases": int(row["cases"]),
            "service": times.stats_of(row, "service_"),
            "sojourn": times.stats_of(row, "sojourn_"),
            "wait_before": times.stats_of(row, "wait_"),
        }
        for row in timing.activities.to_dict("records")
    ]


def handover_table(timing: Timing) -> list[dict[str, Any]]:
    rows = timing.handovers.head(HANDOVERS_SHOWN).to_dict("records")
    return [
        {
            "source": r["source"],
            "target": r["target"],
            **times.stats_of(r),
            "max": float(r["max"]),
            "cases": int(r["cases"]),
            "overlaps": int(r["overlaps"]),
        }
        for r in rows
    ]
