"""Where cases wait: time figures per handover and activity, and the handovers that cost the most.

A bottleneck is ranked by its **impact**: the total waiting time it causes across all cases, not its mean
wait, because a short wait that every case pays can cost more than a long one that few cases see. Each
``bottleneck`` finding (P001) carries the median and p90 wait, the total delay, the cases affected and the
share of the case throughput time it accounts for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from procmine.engine import times
from procmine.engine.db import connect
from procmine.findings import Finding, Location, Severity, catalogued
from procmine.timefmt import duration as human_duration

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

    from procmine.model.log import EventLog

HANDOVERS_SHOWN = 100  # the handover table in the report; the ranking itself considers all of them
WARNING_SHARE = 0.10  # a bottleneck taking this share of all case time or more is a warning, else info
MIN_CASES_FOR_WARNING = 5  # a wait seen in fewer cases is only "info": no claims on tiny samples


@dataclass
class Timing:
    """The measured times of one log, shared by the performance and customer analyses."""

    log: EventLog
    con: duckdb.DuckDBPyConnection
    cases: pd.DataFrame  # case_id, first, last, throughput, events
    handovers: pd.DataFrame  # source, target, count..total, max, cases, overlaps
    activities: pd.DataFrame  # activity, executions, cases, service_*, sojourn_*, wait_*
    throughput: dict[str, Any] | None

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
    return Timing(
        log=log,
        con=con,
        cases=times.case_times(con),
        handovers=times.handover_waits(con),
        activities=times.activity_times(con),
        throughput=times.throughput_stats(con),
    )


def rank_bottlenecks(timing: Timing) -> list[dict[str, Any]]:
    """Every handover with a wait, largest total wait first, with its share of the case time."""
    total = timing.total_throughput
    ranked: list[dict[str, Any]] = []
    for row in timing.handovers.to_dict("records"):
        if not row["total"] or row["total"] <= 0:
            continue
        affected_time = float(row["affected_throughput"] or 0.0)
        ranked.append(
            {
                "rank": len(ranked) + 1,
                "source": row["source"],
                "target": row["target"],
                **times.stats_of(row),
                "max": float(row["max"]),
                "cases": int(row["cases"]),
                "overlaps": int(row["overlaps"]),
                "share_of_throughput": row["total"] / total if total else None,
                "share_of_affected_throughput": row["total"] / affected_time if affected_time else None,
            }
        )
        if len(ranked) >= HANDOVERS_SHOWN:
            break
    return ranked


def bottleneck_findings(ranked: list[dict[str, Any]], top: int, file: str) -> list[Finding]:
    findings = []
    for item in ranked[:top]:
        share = item["share_of_throughput"] or 0.0
        serious = share >= WARNING_SHARE and item["cases"] >= MIN_CASES_FOR_WARNING
        cases = f"{item['cases']:,} case{'' if item['cases'] == 1 else 's'}"
        findings.append(
            catalogued(
                kind="bottleneck",
                severity=Severity.WARNING if serious else Severity.INFO,
                message=(
                    f"Cases wait {human_duration(item['median'])} (median; p90 "
                    f"{human_duration(item['p90'])}) between '{item['source']}' and '{item['target']}': "
                    f"{human_duration(item['total'])} in total over {cases}, "
                    f"{share:.0%} of all case time (rank {item['rank']} by total wait)"
                ),
                location=Location(file=file, source=item["source"], target=item["target"]),
                metrics={
                    "rank": item["rank"],
                    "median_wait": item["median"],
                    "p90_wait": item["p90"],
                    "mean_wait": item["mean"],
                    "total_wait": item["total"],
                    "handovers": item["count"],
                    "cases_affected": item["cases"],
                    "share_of_throughput": item["share_of_throughput"],
                    "share_of_affected_throughput": item["share_of_affected_throughput"],
                },
                impact=round(share, 4),  # a share, like every finding's impact (findings.Finding)
                advice="Look at what the work waits for here (capacity, batching, a hand-off between teams).",
            )
        )
    return findings


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


