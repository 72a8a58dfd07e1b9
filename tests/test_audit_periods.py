"""Figures per quarter and month on hand-worked logs: the right cases in the right period, open cases apart,
and a change only between full quarters with enough cases, each figure with its test."""

from __future__ import annotations

import pandas as pd
import pytest

from procmine.analyses.periods import MIN_CASES, period_figures
from tests.factories import make_log

H = 3600.0
# c1: Q1, 2 h; c2: Q1, 10 h; c3: starts in Q1, ends in Q2, 4 days + 1 h; c4: Q2, 1 h; c5: Q3, 30 min
ROWS = [
    ("c1", "A", "2026-01-05 08:00"),
    ("c1", "B", "2026-01-05 10:00"),
    ("c2", "A", "2026-02-01 08:00"),
    ("c2", "B", "2026-02-01 18:00"),
    ("c3", "A", "2026-03-30 08:00"),
    ("c3", "B", "2026-04-03 09:00"),
    ("c4", "A", "2026-05-10 08:00"),
    ("c4", "B", "2026-05-10 09:00"),
    ("c5", "A", "2026-07-01 08:00"),
    ("c5", "B", "2026-07-01 08:30"),
]


def test_cases_belong_to_the_quarter_they_ended_in():
    out = period_figures(make_log(ROWS), sla_seconds=5 * H)
    q = {r.period: r for r in out.quarters}
    assert list(q) == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert [q[p].cases for p in q] == [2, 2, 1]
    assert [q[p].events for p in q] == [4, 4, 2]
    assert q["2026-Q1"].throughput_median == pytest.approx(6 * H)  # median of 2 h and 10 h
    assert q["2026-Q2"].throughput_median == pytest.approx((97 * H + 1 * H) / 2)
    assert q["2026-Q1"].sla_breach_rate == 0.5  # 10 h > 5 h
    assert q["2026-Q3"].sla_breach_rate == 0.0
    assert q["2026-Q1"].partial is True  # the log starts on 5 January
    assert q["2026-Q3"].partial is True  # and stops on 1 July
    assert out.open_cases.cases == 0


def test_no_change_without_two_full_quarters():
    out = period_figures(make_log(ROWS))
    assert out.change is None  # Q1 and Q3 are partial, Q2 alone is full
    assert out.no_change == "the log covers 1 full quarter: nothing to compare"


def _quarterly_log(per_quarter: dict[str, tuple[int, float]], tail: str | None = None) -> list[tuple]:
    """Cases spread over each quarter (month start -> n cases of a given duration in hours), the log
    covering Q1..Q3 2026 from start to end; ``tail`` adds one short case on that day (a partial Q4)."""
    rows = [("first", "A", "2026-01-01 00:00"), ("first", "B", "2026-01-01 01:00")]
    for quarter_start, (n, hours) in per_quarter.items():
        start = pd.Timestamp(quarter_start)
        for i in range(n):
            begin = start + pd.Timedelta(hours=20 * i + (i % 7))
            duration = pd.Timedelta(hours=hours * (1 + (i % 5) / 10))
            case = f"{quarter_start}-{i:03d}"
            end = begin + duration
            rows += [(case, "A", f"{begin:%Y-%m-%d %H:%M}"), (case, "B", f"{end:%Y-%m-%d %H:%M}")]
    rows += [("last", "A", "2026-09-30 22:00"), ("last", "B", "2026-09-30 23:30")]
    if tail:
        rows += [("tail", "A", f"{tail} 08:00"), ("tail", "B", f"{tail} 09:00")]
    return rows


def test_the_change_compares_the_last_two_full_quarters_with_their_tests(scipy_stats):
    log = make_log(
        _quarterly_log(
            {"2026-01-05": (60, 5), "2026-04-02": (60, 5), "2026-07-02": (62, 20)}, tail="2026-10-03"
        )
    )
    out = period_figures(log, sla_seconds=10 * H)
    assert [q.partial for q in out.quarters] == [False, False, False, True]
    change = out.change
    assert (change.previous, change.period, change.left_out) == ("2026-Q2", "2026-Q3", ["2026-Q4"])
    q2, q3 = out.quarters[1], out.quarters[2]
    durations = change.throughput_median
    assert (durations.previous, durations.current) == (q2.throughput_median, q3.throughput_median)
    assert durations.test == "Mann-Whitney U (two-sided)"
    assert durations.significant and durations.p_value < 0.001
    a = [5 * (1 + (i % 5) / 10) * H for i in range(60)]
    b = [20 * (1 + (i % 5) / 10) * H for i in range(62)] + [1.5 * H]  # with the 'last' case
    ref = scipy_stats.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic")
    assert durations.p_value == pytest.approx(ref.pvalue, rel=1e-6)
    breaches = change.sla_breach_rate
    assert breaches.test == "two-proportion z test (two-sided)"
    assert (breaches.previous, breaches.current) == (0.0, pytest.approx(62 / 63))
    cases = change.cases
    assert (cases.previous_n, cases.current_n) == (60, 63)
    assert cases.test.startswith("exact binomial") and not cases.significant  # 60 vs 63 cases
    assert cases.delta == 3


def test_too_few_cases_give_no_delta():
    log = make_log(
        _quarterly_log({"2026-01-05": (40, 5), "2026-04-02": (MIN_CASES - 5, 5), "2026-07-02": (40, 9)})
    )
    change = period_figures(log).change
    median = change.throughput_median
    assert median.previous_n == MIN_CASES - 5
    assert median.test == f"not tested: fewer than {MIN_CASES} cases in a quarter"
    assert median.delta is None and median.p_value is None and not median.significant


def test_open_cases_are_counted_apart():
    rows = [
        # B usually follows A after 1 to 2 days; D ends every case
        *[
            r
            for i in range(6)
            for r in (
                (f"c{i}", "A", f"2026-03-0{i + 1} 09:00"),
                (f"c{i}", "B", f"2026-03-0{i + 2} {9 + i}:00"),
                (f"c{i}", "D", f"2026-03-0{i + 2} 18:00"),
            )
        ],
        ("open", "A", "2026-03-09 12:00"),  # 6 h before the export ends, B not yet done: open
        ("stuck", "A", "2026-03-01 08:00"),  # 8 days without B: abandoned, completed (with A last)
        ("end", "A", "2026-03-09 17:00"),
        ("end", "B", "2026-03-09 17:30"),
        ("end", "D", "2026-03-09 18:00"),
    ]
    out = period_figures(make_log(rows))
    assert out.open_cases.cases == 1
    assert sum(m.cases for m in out.months) == 8  # c0..c5, stuck, end


def test_fitness_per_period_from_per_case_fitness():
    fitness = {"c1": 1.0, "c2": 0.5, "c3": 1.0, "c4": 1.0, "c5": 0.8}
    q = period_figures(make_log(ROWS), case_fitness=fitness).quarters
    assert [r.mean_fitness for r in q] == [0.75, 1.0, 0.8]
    assert [r.conforming_share for r in q] == [0.5, 1.0, 0.0]


def test_throughput_histogram_holds_every_case():
    hist = period_figures(make_log(ROWS)).throughput_histogram
    assert sum(b.count for b in hist) == 5
    assert hist[0].low == 0 and hist[-1].high == pytest.approx(97 * H)


def test_sample_log_periods_match_an_independent_count(sample_logs):
    csv = sample_logs / "complaints.csv"
    if not csv.exists():
        pytest.skip("sample_logs not generated")
    from procmine.io.logs import read_log

    out = period_figures(read_log(csv))
    raw = pd.read_csv(csv)
    ended = pd.to_datetime(raw["Complete Timestamp"], utc=True).groupby(raw["Complaint ID"]).max()
    expected = ended.dt.tz_localize(None).dt.to_period("Q").value_counts().sort_index()
    counted = [r.cases for r in out.quarters]
    assert sum(counted) + out.open_cases.cases == expected.sum()
    assert counted[:-1] == expected.tolist()[:-1]  # open cases end in the last quarter only
