"""The ``periods`` section: figures per quarter and month, and the change between the last two full quarters,
each with its test."""

from __future__ import annotations

from dataclasses import dataclass

from procmine.sections.base import Section, doc


@dataclass(frozen=True)
class PeriodRow(Section):
    period: str = doc("The quarter (2026-Q3) or month (2026-07), UTC.")
    start: str = doc("Its first moment (ISO 8601, UTC).")
    end: str = doc("The first moment after it (ISO 8601, UTC).")
    partial: bool = doc(
        "The log does not cover the period from start to end: its figures are shown but never compared."
    )
    cases: int = doc("Cases completed in the period (open cases are counted apart).")
    events: int = doc("Events of those cases.")
    throughput_median: float | None = doc("Median throughput time of those cases (seconds).")
    throughput_p90: float | None = doc("90th percentile of their throughput time (seconds).")
    throughput_mean: float | None = doc("Mean throughput time (seconds).")
    sla_breach_rate: float | None = doc("Share of those cases over the --sla target (null without --sla).")
    mean_fitness: float | None = doc("Mean fitness of those cases against the model (null without a model).")
    conforming_share: float | None = doc("Share of those cases that fit the model exactly (or null).")


@dataclass(frozen=True)
class MetricChange(Section):
    previous: float | None = doc("The figure in the earlier period.")
    current: float | None = doc("The figure in the later period.")
    delta: float | None = doc("current - previous.")
    relative: float | None = doc("delta / previous (null when previous is 0).")
    previous_n: int = doc("Cases behind the earlier figure.")
    current_n: int = doc("Cases behind the later figure.")
    test: str = doc("The test of the difference, or why it was not tested (too few cases).")
    p_value: float | None = doc("Its p value (null when not tested).")
    significant: bool = doc("p < alpha: a change; otherwise shown as not significantly different.")


@dataclass(frozen=True)
class PeriodChange(Section):
    period: str = doc("The later period: the last full quarter of the log.")
    previous: str = doc("The earlier period: the full quarter before it.")
    left_out: list[str] = doc("Later periods not compared because the log covers them only in part.")
    min_cases: int = doc("Cases each period needs for its figures to be compared.")
    alpha: float = doc("Significance level of the tests.")
    cases: MetricChange | None = doc("Completed cases (per day of each period: exact binomial test).")
    throughput_median: MetricChange | None = doc("Median throughput time (Mann-Whitney U test).")
    throughput_p90: MetricChange | None = doc("p90 throughput time (Mann-Whitney U test).")
    throughput_mean: MetricChange | None = doc("Mean throughput time (Mann-Whitney U test).")
    sla_breach_rate: MetricChange | None = doc("SLA breach rate (two-proportion z test).")
    mean_fitness: MetricChange | None = doc("Mean case fitness (Mann-Whitney U test).")
    conforming_share: MetricChange | None = doc("Share of conforming cases (two-proportion z test).")


@dataclass(frozen=True)
class OpenCases(Section):
    cases: int = doc("Cases still open at the end of the export: not counted in any period.")
    rule: str = doc("How an open case is recognised.")


@dataclass(frozen=True)
class HistogramBin(Section):
    low: float = doc("Lower edge (seconds).")
    high: float = doc("Upper edge (seconds); the last bin also holds the slowest 1 %.")
    count: int = doc("Cases in the bin.")


@dataclass(frozen=True)
class PeriodsSection(Section):
    NAME = "periods"

    basis: str = doc("Which period a case belongs to: the one in which it completed ('case end').")
    timezone: str = doc("Periods are calendar periods in this time zone.")
    granularity: str = doc("The period of the headline change: quarter.")
    min_cases: int = doc(
        "Cases a period needs for its figures to be compared; the report's trend line joins only full periods"
        " with at least as many."
    )
    open_cases: OpenCases = doc("Cases still running at the end of the export, counted apart.")
    quarters: list[PeriodRow] = doc("Figures per calendar quarter.")
    months: list[PeriodRow] = doc("Figures per calendar month.")
    change: PeriodChange | None = doc("The last full quarter against the full quarter before it.")
    no_change: str | None = doc("Why there is no change (fewer than two full quarters), else null.")
    throughput_histogram: list[HistogramBin] = doc("Throughput times of the completed cases, in 20 bins.")
