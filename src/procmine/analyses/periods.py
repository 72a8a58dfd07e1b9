"""Figures per quarter and per month, and the change between the last two full quarters, with its tests.

A case belongs to the period in which it completed (its last event): a quarterly audit reports the cases
closed in the quarter, and a throughput time is only known once a case has ended. A case still open at the
end of the export (see ``open_case_mask``) belongs to no period: it is counted apart. Periods are calendar
quarters and months in UTC. A period the log covers only in part (the log starts after it began or stops
before it ended) is ``partial``: it is shown, marked, and never compared, because the cases that complete
in a sliver of a quarter are not a fair sample of it (the last weeks of an export hold the long-running
cases that happened to finish then). A log that starts or stops within ``COVERAGE_SLACK_DAYS`` of a
period's edge covers it (an export starting on the first working day after new year covers the quarter).

The headline change compares the last full quarter with the full quarter before it. A figure is compared
only when both quarters hold at least ``MIN_CASES`` cases with it, and every compared figure carries its
test: Mann-Whitney U for throughput times and fitness, the two-proportion z test for shares, the exact
binomial test for case counts (per day of each quarter). A difference with p >= 0.05 is reported as not
significant, not as a change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from procmine.analyses import significance as sig
from procmine.engine import case_table as per_case
from procmine.engine.db import connect
from procmine.sections.periods import (
    HistogramBin,
    MetricChange,
    OpenCases,
    PeriodChange,
    PeriodRow,
    PeriodsSection,
)

if TYPE_CHECKING:
    import pandas as pd

    from procmine.model.log import EventLog

COVERAGE_SLACK_DAYS = 3  # a log starting after a new-year holiday still covers its first quarter
MIN_CASES = 30  # per period and figure: fewer cases give no comparison (and say so)
OPEN_RULE = (
    "its last activity is usually followed by another step (fewer than half of that activity's executions "
    "end their case) and less time has passed since it, up to the end of the export, than 90 % of the "
    "steps that follow that activity take to come"
)
DURATIONS = ("throughput_median", "throughput_p90", "throughput_mean")


def case_table(log: EventLog) -> pd.DataFrame:
    """One row per case: first moment (start times included), last completion, events, throughput (s)."""
    cases = per_case.case_table(connect(log))
    cases["throughput"] = (cases["ended"] - cases["started"]).dt.total_seconds()
    return cases


def open_case_mask(log: EventLog, cases: pd.DataFrame) -> pd.Series:
    """Per case (index of ``cases``): still open at the end of the export (see ``OPEN_RULE``)."""
    import pandas as pd

    still_open = per_case.open_cases(connect(log))
    return pd.Series(cases.index.isin(list(still_open)), index=cases.index)


def period_figures(
    log: EventLog,
    *,
    sla_seconds: float | None = None,
    case_fitness: Mapping[str, float] | None = None,
    conforming_at: float = 1.0,
) -> PeriodsSection:
    """The ``periods`` section of the report (see the module docstring)."""
    cases = case_table(log)
    if case_fitness is not None:
        cases["fitness"] = cases.index.map(lambda c: case_fitness.get(c))
    is_open = open_case_mask(log, cases)
    done = cases[~is_open.to_numpy()]
    first, last = _span(log)
    quarters = _by_period(done, "Q", first, last, sla_seconds, conforming_at)
    months = _by_period(done, "M", first, last, sla_seconds, conforming_at)
    change, why_not = quarter_change(done, quarters, sla_seconds, conforming_at)
    return PeriodsSection(
        basis="case end",
        timezone="UTC",
        granularity="quarter",
        open_cases=OpenCases(int(is_open.sum()), OPEN_RULE),
        quarters=quarters,
        months=months,
        change=change,
        no_change=why_not,
        throughput_histogram=histogram(done["throughput"]),
    )


def histogram(values: pd.Series, bins: int = 20) -> list[HistogramBin]:
    """Equal-width bins from 0 to the 99th percentile; the last bin also holds the slowest 1 %, so one
    extreme case does not squash the chart (its upper edge is then the maximum)."""
    values = values.dropna()
    if values.empty:
        return []
    top = float(values.quantile(0.99)) or float(values.max()) or 1.0
    width = top / bins
    index = (values // width).clip(upper=bins - 1).astype(int)
    counts = index.value_counts().reindex(range(bins), fill_value=0)
    edges = [i * width for i in range(bins + 1)]
    edges[-1] = max(edges[-1], float(values.max()))
    return [HistogramBin(edges[i], edges[i + 1], int(counts[i])) for i in range(bins)]


def _span(log: EventLog) -> tuple[Any, Any]:
    return per_case.time_span(connect(log))


def _period_keys(cases: pd.DataFrame, freq: str) -> pd.Series:
    naive = cases["ended"].dt.tz_convert("UTC").dt.tz_localize(None)
    return naive.dt.to_period(freq)


def _by_period(
    cases: pd.DataFrame, freq: str, first: Any, last: Any, sla: float | None, conforming_at: float
) -> list[PeriodRow]:
    if cases.empty:
        return []
    import pandas as pd

    slack = pd.Timedelta(days=COVERAGE_SLACK_DAYS)
    rows = []
    for period, group in cases.groupby(_period_keys(cases, freq), sort=True, observed=True):
        start = period.start_time.tz_localize("UTC")
        end = (period + 1).start_time.tz_localize("UTC")
        tp = group["throughput"]
        fitness = _known_fitness(group)
        rows.append(
            PeriodRow(
                period=_label(period, freq),
                start=start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                end=end.strftime("%Y-%m-%dT%H:%M:%SZ"),
                partial=bool(first > start + slack or last < end - slack),
                cases=len(group),
                events=int(group["events"].sum()),
                throughput_median=float(tp.median()),
                throughput_p90=float(tp.quantile(0.9)),
                throughput_mean=float(tp.mean()),
                sla_breach_rate=float((tp > sla).mean()) if sla is not None else None,
                mean_fitness=float(fitness.mean()) if len(fitness) else None,
                conforming_share=float((fitness >= conforming_at - 1e-9).mean()) if len(fitness) else None,
            )
        )
    return rows


def _known_fitness(group: pd.DataFrame) -> pd.Series:
    if "fitness" not in group:
        return group["throughput"].iloc[:0]
    return group["fitness"].dropna().astype(float)


def _label(period: Any, freq: str) -> str:
    return f"{period.year}-Q{period.quarter}" if freq == "Q" else f"{period.year}-{period.month:02d}"


def quarter_change(
    cases: pd.DataFrame, quarters: list[PeriodRow], sla: float | None, conforming_at: float
) -> tuple[PeriodChange | None, str | None]:
    """The last full quarter against the full quarter before it, each figure with its test."""
    full = [i for i, q in enumerate(quarters) if not q.partial]
    if len(full) < 2:
        quarters_text = f"{len(full)} full quarter{'' if len(full) == 1 else 's'}"
        return None, f"the log covers {quarters_text}: nothing to compare"
    before, now = quarters[full[-2]], quarters[full[-1]]
    keys = _period_keys(cases, "Q").map(lambda p: _label(p, "Q"))
    a, b = cases[(keys == before.period).to_numpy()], cases[(keys == now.period).to_numpy()]
    days = (_days(before), _days(now))
    changes: dict[str, MetricChange | None] = {"cases": _count_change(before, now, days)}
    for metric in DURATIONS:
        changes[metric] = _sample_change(
            getattr(before, metric), getattr(now, metric), a["throughput"], b["throughput"]
        )
    changes["sla_breach_rate"] = None
    if sla is not None:
        changes["sla_breach_rate"] = _share_change(a["throughput"] > sla, b["throughput"] > sla)
    changes["mean_fitness"] = changes["conforming_share"] = None
    fit_a, fit_b = _known_fitness(a), _known_fitness(b)
    if len(fit_a) and len(fit_b):
        changes["mean_fitness"] = _sample_change(float(fit_a.mean()), float(fit_b.mean()), fit_a, fit_b)
        at = conforming_at - 1e-9
        changes["conforming_share"] = _share_change(fit_a >= at, fit_b >= at)
    left_out = [q.period for q in quarters[full[-1] + 1 :]]
    change = PeriodChange(now.period, before.period, left_out, MIN_CASES, sig.ALPHA, **changes)
    return change, None


def _days(row: PeriodRow) -> float:
    import pandas as pd

    return (pd.Timestamp(row.end) - pd.Timestamp(row.start)).total_seconds() / 86400.0


def _metric(
    previous: float | None, current: float | None, n: tuple[int, int], test: sig.TestResult | str
) -> MetricChange:
    if isinstance(test, str):  # too few cases: the figures, but no difference is claimed
        return MetricChange(previous, current, None, None, n[0], n[1], test, None, False)
    delta = None if previous is None or current is None else current - previous
    relative = delta / previous if delta is not None and previous else None
    return MetricChange(
        previous, current, delta, relative, n[0], n[1], test.name, test.p_value, test.significant
    )


def _too_few(n: tuple[int, int]) -> str | None:
    if min(n) < MIN_CASES:
        return f"not tested: fewer than {MIN_CASES} cases in a quarter"
    return None


def _count_change(before: PeriodRow, now: PeriodRow, days: tuple[float, float]) -> MetricChange:
    n = (before.cases, now.cases)
    test = _too_few(n) or sig.count_rate(before.cases, days[0], now.cases, days[1])
    return _metric(float(before.cases), float(now.cases), n, test)


def _sample_change(previous: float | None, current: float | None, a: pd.Series, b: pd.Series) -> MetricChange:
    n = (int(a.notna().sum()), int(b.notna().sum()))
    return _metric(previous, current, n, _too_few(n) or sig.mann_whitney(a.to_numpy(), b.to_numpy()))


def _share_change(a: pd.Series, b: pd.Series) -> MetricChange:
    n = (len(a), len(b))
    hits = (int(np.sum(a)), int(np.sum(b)))
    previous = hits[0] / n[0] if n[0] else None
    current = hits[1] / n[1] if n[1] else None
    test = _too_few(n) or sig.two_proportions(hits[0], n[0], hits[1], n[1])
    return _metric(previous, current, n, test)
