"""What the report shows of ``audit --previous``: the scorecard's change against the earlier report, each
finding's status (new, or also in the previous report) and the findings resolved since."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from procmine.analyses.comparison import finding_key
from procmine.sections.comparison import ComparisonSection, FigureChange

if TYPE_CHECKING:
    from procmine.findings import Finding, Report

# the scorecard's metric (as in analyses.periods) -> the figure of the comparison section
TILE_FIGURES = {
    "cases": "cases",
    "mean_fitness": "fitness",
    "conforming_share": "conforming_share",
    "throughput_median": "throughput_median",
    "sla_breach_rate": "sla_breach_rate",
}


@dataclass(frozen=True)
class ReportChange:
    """This report against the previous one, as the scorecard tiles show a change."""

    period: str
    previous: str
    figures: dict[str, FigureChange]  # scorecard metric -> its change (only those with a delta)


def tile_change(report: Report) -> ReportChange | None:
    comparison = report.section(ComparisonSection)
    if comparison is None:
        return None
    then = comparison.previous
    known = then.first_timestamp and then.last_timestamp
    span = f" ({then.first_timestamp[:10]} – {then.last_timestamp[:10]})" if known else ""  # type: ignore[index]
    figures = {metric: getattr(comparison.figures, name) for metric, name in TILE_FIGURES.items()}
    return ReportChange(
        "this report",
        f"previous report{span}",
        {metric: f for metric, f in figures.items() if f.delta is not None},
    )


def findings_detail(report: Report) -> str:
    comparison = report.section(ComparisonSection)
    if comparison is None:
        return ""
    f = comparison.findings
    return f"{len(f.new)} new, {len(f.resolved)} resolved vs previous report"


def findings_tone(report: Report) -> str:
    """The colour of the findings tile's change: new warnings or errors are worse, only resolved ones
    better, neither is no change (the errors themselves are not a change)."""
    comparison = report.section(ComparisonSection)
    if comparison is None:
        return ""
    f = comparison.findings
    return "bad" if f.new else "good" if f.resolved else ""


def status_of(report: Report, finding: Finding) -> str:
    comparison = report.section(ComparisonSection)
    if comparison is None or finding.severity.value == "info":
        return ""
    key = finding_key(finding.to_dict())
    if key in comparison.findings.new:
        return "new"
    return "also in the previous report" if key in comparison.findings.persisting else ""


def resolved(report: Report) -> list[str]:
    comparison = report.section(ComparisonSection)
    return [f"{r.code} {r.message}" for r in comparison.findings.resolved] if comparison else []
