"""Figures per quarter and per month, and the change between the last two full quarters, with its tests.

A case belongs to the period in which it completed (its last event): a quarterly audit reports the cases
closed in the quarter, and a throughput time is only known once a case has ended. A case still open at the
end of the export (see ``OPEN_RULE``) belongs to no period: it is counted apart. Periods are calendar
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

The figures are counted in the engine (``engine.periods``): one row per period, the histogram's bins and
the two compared quarters' rank sums come back, never a row per case.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from procmine.analyses import significance as sig
from procmine.engine import case_table as per_case
from procmine.engine import periods as engine
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
    from procmine.analyses.alignment_stats import CaseFitness
    from procmine.model.log import EventLog

COVERAGE_SLACK_DAYS = 3  # a log starting after a new-year holiday still covers its first quarter
MIN_CASES = 30  # per period and figure: fewer cases give no comparison (and say so)
OPEN_RULE = (
    "its last activity is usually followed by another step (fewer than half of that activity's executions "
    "end their case) and less time has passed since it, up to the end of the export, than 90 % of the "
    "steps that follow that activity take to come"
)
DURATIONS = ("throughput_median", "throughput_p90", "throughput_mean")


def period_figures(
    log: EventLog,
    *,
    sla_seconds: float | None = None,
    case_fitness: CaseFitness | Mapping[str, float] | None = None,
    conforming_at: float = 1.0,
) -> PeriodsSection:
    """The ``periods`` section of the report (see the module docstring); ``case_fitness``: each case's
    fitness, from the conformance check (kept in the engine) or as case id -> fitness."""
    con = connect(log)
    still_open = engine.prepare(con, _fitness_sql(con, case_fitness))
    first, last = _span(log)
    quarters, counts = _by_period(con, "Q", first, last, sla_seconds, conforming_at)
    months, _ = _by_period(con, "M", first, last, sla_seconds, conforming_at)
    change, why_not = quarter_change(con, quarters, counts, sla_seconds)
    return PeriodsSection(
        basis="case end",
        timezone="UTC",
        granularity="quarter",
        min_cases=MIN_CASES,
        open_cases=OpenCases(still_open, OPEN_RULE),
        quarters=quarters,
        months=months,
        change=change,
        no_change=why_not,
        throughput_histogram=histogram(con),
    )


def _fitness_sql(con: Any, case_fitness: CaseFitness | Mapping[str, float] | None) -> str | None:
    """A query of (case_id, fitness) on ``con``: the conformance check's cases joined with their
    variants' fitness when they are on this connection, else the given values registered with it (a log
    held as a frame, or checked without the events another pool documents)."""
    import pandas as pd

    from procmine.analyses.alignment_stats import CaseFitness

    if case_fitness is None:
        return None
    if isinstance(case_fitness, CaseFitness):
        if case_fitness.cases.con is con:
            return case_fitness.fitness_sql()
        case_fitness = case_fitness.by_case()
    known = {str(c): float(f) for c, f in case_fitness.items() if f is not None and f == f}
    if not known:
        return None
    frame = pd.DataFrame(
        {
            "case_id": pd.Series(list(known), dtype=object),
            "fitness": pd.Series(list(known.values()), dtype=float),
        }
    )
    con.register("_period_case_fitness", frame)
    return "SELECT case_id, fitness FROM _period_case_fitness"


def histogram(con: Any, bins: int = 20) -> list[HistogramBin]:
    """Equal-width bins from 0 to the 99th percentile of the completed cases' throughput times; the last
    bin also holds the slowest 1 %, so one extreme case does not squash the chart (its upper edge is then
    the maximum)."""
    p99, most = engine.throughput_spread(con)
    if most is None:
        return []
    top = p99 or most or 1.0
    width = top / bins
    counts = engine.throughput_bins(con, width, bins)
    edges = [i * width for i in range(bins + 1)]
    edges[-1] = max(edges[-1], most)
    return [HistogramBin(edges[i], edges[i + 1], counts.get(i, 0)) for i in range(bins)]


def _span(log: EventLog) -> tuple[Any, Any]:
    return per_case.time_span(connect(log))


def _period(key: int, freq: str) -> Any:
    import pandas as pd

    if freq == "Q":
        return pd.Period(year=key // 10, quarter=key % 10, freq="Q")
    return pd.Period(year=key // 100, month=key % 100, freq="M")


def _by_period(
    con: Any, freq: str, first: Any, last: Any, sla: float | None, conforming_at: float
) -> tuple[list[PeriodRow], dict[str, engine.PeriodCounts]]:
    """The rows per period, and the engine's counts by period label."""
    import pandas as pd

    slack = pd.Timedelta(days=COVERAGE_SLACK_DAYS)
    rows, by_label = [], {}
    for counts in engine.period_counts(con, freq, sla, conforming_at):
        period = _period(counts.key, freq)
        start = period.start_time.tz_localize("UTC")
        end = (period + 1).start_time.tz_localize("UTC")
        fitted = counts.fitted
        rows.append(
            PeriodRow(
                period=_label(period, freq),
                start=start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                end=end.strftime("%Y-%m-%dT%H:%M:%SZ"),
                partial=bool(first > start + slack or last < end - slack),
                cases=counts.cases,
                events=counts.events,
                throughput_median=counts.throughput_median,
                throughput_p90=counts.throughput_p90,
                throughput_mean=counts.throughput_mean,
                sla_breach_rate=counts.breached / counts.cases if sla is not None else None,
                mean_fitness=counts.fitness_mean,
                conforming_share=counts.conforming / fitted if fitted else None,
            )
        )
        by_label[rows[-1].period] = counts
    return rows, by_label


def _label(period: Any, freq: str) -> str:
    return f"{period.year}-Q{period.quarter}" if freq == "Q" else f"{period.year}-{period.month:02d}"


def quarter_change(
    con: Any, quarters: list[PeriodRow], counts: dict[str, engine.PeriodCounts], sla: float | None
) -> tuple[PeriodChange | None, str | None]:
    """The last full quarter against the full quarter before it, each figure with its test."""
    full = [i for i, q in enumerate(quarters) if not q.partial]
    if len(full) < 2:
        quarters_text = f"{len(full)} full quarter{'' if len(full) == 1 else 's'}"
        return None, f"the log covers {quarters_text}: nothing to compare"
    before, now = quarters[full[-2]], quarters[full[-1]]
    a, b = counts[before.period], counts[now.period]
    days = (_days(before), _days(now))
    changes: dict[str, MetricChange | None] = {"cases": _count_change(before, now, days)}
    times = engine.rank_sums(con, "throughput", "Q", a.key, b.key)
    for metric in DURATIONS:
        changes[metric] = _sample_change(getattr(before, metric), getattr(now, metric), times)
    changes["sla_breach_rate"] = None
    if sla is not None:
        changes["sla_breach_rate"] = _share_change((a.breached, a.cases), (b.breached, b.cases))
    changes["mean_fitness"] = changes["conforming_share"] = None
    if a.fitted and b.fitted:
        fitness = engine.rank_sums(con, "fitness", "Q", a.key, b.key)
        changes["mean_fitness"] = _sample_change(a.fitness_mean, b.fitness_mean, fitness)
        changes["conforming_share"] = _share_change((a.conforming, a.fitted), (b.conforming, b.fitted))
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


def _sample_change(previous: float | None, current: float | None, ranks: engine.RankSums) -> MetricChange:
    n = (ranks.n1, ranks.n2)
    test = _too_few(n) or sig.mann_whitney_ranked(ranks.n1, ranks.n2, ranks.rank_sum_1, ranks.tie_term)
    return _metric(previous, current, n, test)


def _share_change(a: tuple[int, int], b: tuple[int, int]) -> MetricChange:
    """``a`` and ``b``: (hits, cases) of each period."""
    hits, n = (a[0], b[0]), (a[1], b[1])
    previous = hits[0] / n[0] if n[0] else None
    current = hits[1] / n[1] if n[1] else None
    test = _too_few(n) or sig.two_proportions(hits[0], n[0], hits[1], n[1])
    return _metric(previous, current, n, test)
