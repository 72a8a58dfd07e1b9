"""The ``comparison`` section (``audit --previous``): the headline figures now and in an earlier report, and
which findings are new, which persist and which were resolved (matched by what they are about)."""

from __future__ import annotations

from dataclasses import dataclass

from procmine.sections.base import Section, doc


@dataclass(kw_only=True)
class PreviousReport(Section):
    path: str = doc("The earlier report.json, as given to --previous.")
    first_timestamp: str | None = doc("First event of its log.")
    last_timestamp: str | None = doc("Last event of its log.")
    cases: int | None = doc("Cases of its log.")
    procmine_version: str | None = doc("The procmine that wrote it.")


@dataclass(kw_only=True)
class FigureChange(Section):
    current: float | None = doc("The figure in this report.")
    previous: float | None = doc("The figure in the earlier one.")
    delta: float | None = doc("current - previous.")
    relative: float | None = doc("delta / previous.")
    previous_n: int | None = doc("Cases behind the earlier share (null: not a share).", default=None)
    current_n: int | None = doc("Cases behind this report's share (null: not a share).", default=None)
    test: str = doc("The test of the difference, or why it was not tested.", default="not tested")
    p_value: float | None = doc("Its p value (null when not tested).", default=None)
    significant: bool = doc("p < alpha: a change; otherwise not significantly different.", default=False)


@dataclass(kw_only=True)
class HeadlineChanges(Section):
    cases: FigureChange = doc("Cases.")
    fitness: FigureChange = doc("Log fitness.")
    conforming_share: FigureChange = doc(
        "Share of the aligned cases that fit the model exactly (two-proportion z test)."
    )
    throughput_median: FigureChange = doc("Median throughput time, seconds.")
    sla_breach_rate: FigureChange = doc(
        "SLA breach rate (two-proportion z test; not compared when the two reports' --sla targets differ)."
    )
    findings: FigureChange = doc("Warnings and errors.")


@dataclass(kw_only=True)
class ResolvedFinding(Section):
    code: str | None = doc("Its code.")
    kind: str | None = doc("Its kind.")
    message: str | None = doc("Its message in the earlier report.")


@dataclass(kw_only=True)
class FindingChanges(Section):
    new: list[str] = doc("Keys (code | kind | subject) of warnings and errors not in the earlier report.")
    persisting: list[str] = doc("Keys of those also in the earlier report.")
    resolved: list[ResolvedFinding] = doc("Warnings and errors of the earlier report that are gone.")


@dataclass(kw_only=True)
class ComparisonSection(Section):
    NAME = "comparison"

    previous: PreviousReport = doc("The earlier report.")
    figures: HeadlineChanges = doc("The scorecard's figures then and now.")
    findings: FindingChanges = doc("Findings new, persisting and resolved.")
