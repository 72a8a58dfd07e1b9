"""Figures per quarter and month on a hand-worked log: the right cases in the right period, and the change."""

from __future__ import annotations

import pytest

from procmine.analyses.periods import period_figures
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
    q = {r["period"]: r for r in out["quarters"]}
    assert list(q) == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert [q[p]["cases"] for p in q] == [2, 2, 1]
    assert [q[p]["events"] for p in q] == [4, 4, 2]
    assert q["2026-Q1"]["throughput_median"] == pytest.approx(6 * H)  # median of 2 h and 10 h
    assert q["2026-Q2"]["throughput_median"] == pytest.approx((97 * H + 1 * H) / 2)
    assert q["2026-Q1"]["sla_breach_rate"] == 0.5  # 10 h > 5 h
    assert q["2026-Q3"]["sla_breach_rate"] == 0.0
    assert q["2026-Q1"]["partial"] is True  # the log starts on 5 January
    assert q["2026-Q3"]["partial"] is True  # and stops on 1 July


def test_change_of_the_last_period_against_the_previous_one():
    change = period_figures(make_log(ROWS))["change"]
    assert (change["period"], change["previous"]) == ("2026-Q3", "2026-Q2")
    assert change["cases"] == {"previous": 2, "current": 1, "delta": -1, "relative": -0.5}
    assert change["sla_breach_rate"] is None  # no SLA given
    assert change["partial"] is True


def test_months_and_start_times():
    rows = [
        ("c1", "A", "2026-01-31 10:00", "2026-01-31 09:00"),
        ("c2", "A", "2026-02-02 10:00", "2026-02-02 08:00"),
    ]
    out = period_figures(make_log(rows))
    assert [(m["period"], m["throughput_median"]) for m in out["months"]] == [
        ("2026-01", H),
        ("2026-02", 2 * H),
    ]
    assert out["change"] is None  # one quarter only


def test_fitness_per_period_from_per_case_fitness():
    fitness = {"c1": 1.0, "c2": 0.5, "c3": 1.0, "c4": 1.0, "c5": 0.8}
    q = period_figures(make_log(ROWS), case_fitness=fitness)["quarters"]
    assert [r["mean_fitness"] for r in q] == [0.75, 1.0, 0.8]
    assert [r["conforming_share"] for r in q] == [0.5, 1.0, 0.0]


def test_throughput_histogram_holds_every_case():
    hist = period_figures(make_log(ROWS))["throughput_histogram"]
    assert sum(b["count"] for b in hist) == 5
    assert hist[0]["low"] == 0 and hist[-1]["high"] == pytest.approx(97 * H)


def test_sample_log_periods_match_an_independent_count(sample_logs):
    csv = sample_logs / "complaints.csv"
    if not csv.exists():
        pytest.skip("sample_logs not generated")
    import pandas as pd

    from procmine.io.logs import read_log

    out = period_figures(read_log(csv))
    raw = pd.read_csv(csv)
    ended = pd.to_datetime(raw["Complete Timestamp"], utc=True).groupby(raw["Complaint ID"]).max()
    expected = ended.dt.tz_localize(None).dt.to_period("Q").value_counts().sort_index()
    assert [r["cases"] for r in out["quarters"]] == expected.tolist()
