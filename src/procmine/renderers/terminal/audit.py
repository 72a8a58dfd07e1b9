"""The human format of ``procmine audit``: the headline figures and the warnings and errors; the rest is in
the HTML report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from procmine.findings import Severity, severity_counts_text
from procmine.renderers.shares import p_text, ratio_text, share_text
from procmine.sections.comparison import ComparisonSection, FigureChange
from procmine.sections.conformance import ConformanceSection
from procmine.sections.model import DocumentedModel
from procmine.sections.performance import PerformanceSection
from procmine.timefmt import duration

if TYPE_CHECKING:
    from procmine.findings import Report

SHOWN = 10  # errors and warnings printed, most important first: a summary, not the report


def render(report: Report) -> str:
    """The headline figures and the warnings and errors; the rest is in the HTML report."""
    log, model = report.log, report.model
    conf = report.section(ConformanceSection)
    perf = report.section(PerformanceSection)
    first, last = (log.first_timestamp, log.last_timestamp) if log else (None, None)
    span = f"{str(first)[:10]} .. {str(last)[:10]}"
    name = model.process_name if isinstance(model, DocumentedModel) else None
    out = [
        f"Audit      {log.path if log else None} against {model.path if model else None} ({name or 'model'})",
        f"Cases      {log.cases if log else 0:,} ({span}), {conf.variants if conf else 0:,} variants",
    ]
    if conf is not None:
        out.append(
            f"Fitness    {ratio_text(conf.fitness)}; {share_text(conf.fitting_share)} of cases follow the "
            "documented process exactly"
        )
    through = perf.throughput if perf else None
    if through is not None:
        out.append(f"Throughput median {duration(through.median)}, p90 {duration(through.p90)}")
    out.extend(_comparison_lines(report.section(ComparisonSection)))
    findings = [f for f in report.findings if f.severity != Severity.INFO]
    notes = len(report.findings) - len(findings)
    out.append("")
    noted = " (the notes are in the report)" if notes else ""
    out.append(f"Findings   {severity_counts_text(report.count_by_severity())}{noted}")
    for f in findings[:SHOWN]:
        out.append(f"  {f.severity.value:<7} {f.code} {f.message} [{f.kind}]")
    if len(findings) > SHOWN:
        out.append(f"  ... and {_more(findings[SHOWN:])}: the report lists them all")
    return "\n".join(out) + "\n"


def _more(rest: list) -> str:
    """'3 more warnings', '1 more error and 12 more warnings'."""
    errors = sum(f.severity == Severity.ERROR for f in rest)
    warnings = len(rest) - errors
    parts = [(errors, "error"), (warnings, "warning")]
    return " and ".join(f"{n:,} more {word}{'' if n == 1 else 's'}" for n, word in parts if n)


def _comparison_lines(comparison: ComparisonSection | None) -> list[str]:
    if comparison is None:
        return []
    fit, share = comparison.figures.fitness, comparison.figures.conforming_share
    median = comparison.figures.throughput_median
    then = comparison.previous
    span = (
        f" ({then.first_timestamp[:10]} .. {then.last_timestamp[:10]})"
        if then.first_timestamp and then.last_timestamp
        else ""
    )
    change = (
        f"fitness {ratio_text(fit.previous)} -> {ratio_text(fit.current)}; "
        if fit.previous is not None and fit.current is not None
        else ""
    )
    if share.delta is not None:
        change += (
            f"conforming {share_text(share.previous)} -> {share_text(share.current)} ({_tested(share)}); "
        )
    if median.delta is not None and median.previous is not None and median.current is not None:
        then_now = f"{duration(median.previous)} -> {duration(median.current)}"
        change += f"median throughput {then_now} ({_tested(median)}); "
    f = comparison.findings
    return [
        f"Previous   {then.path}{span}: {change}{len(f.new)} new finding{'' if len(f.new) == 1 else 's'}, "
        f"{len(f.persisting)} persisting, {len(f.resolved)} resolved"
    ]


def _tested(change: FigureChange) -> str:
    """The test of a change, as the summary line says it: p value and verdict, or why it was not tested."""
    if change.p_value is None:
        return change.test
    p = p_text(change.p_value)
    return p if change.significant else f"not significant, {p}"
