""" "Not executed since" counted in the engine, on a hand-worked log (analyses.drift over engine.drift)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from procmine.analyses.drift import log_span, recent_period, silent_activities
from procmine.errors import InputError
from procmine.io.logs import read_log

DAY0 = pd.Timestamp("2025-03-01", tz="UTC")


@pytest.fixture
def log(tmp_path: Path):
    """40 cases, one a day: A at midnight, then C two hours later in the first 20 cases only, then B
    (one hour after A in those 20, three hours after A in the 20 later cases, which run longer)."""
    rows = []
    for i in range(40):
        start = DAY0 + pd.Timedelta(days=i)
        rows.append((f"c{i:02d}", "A", start))
        if i < 20:
            rows += [
                (f"c{i:02d}", "C", start + pd.Timedelta(hours=2)),
                (f"c{i:02d}", "B", start + pd.Timedelta(hours=3)),
            ]
        else:
            rows.append((f"c{i:02d}", "B", start + pd.Timedelta(hours=3)))
    path = tmp_path / "log.csv"
    lines = ["case,activity,timestamp"] + [f"{c},{a},{t.isoformat()}" for c, a, t in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return read_log(path)


def test_the_default_period_finds_the_step_by_its_earlier_rate(log) -> None:
    first, last = log_span(log)
    assert (first, last) == (DAY0, DAY0 + pd.Timedelta(days=39, hours=3))
    period = recent_period((first, last))
    assert period.start == first + (last - first) * 0.75  # day 29, 06:45
    # cases with an event before it: c00..c29 (30); in it: c30..c39 (10); C in 20 of the 30 before
    [silence] = silent_activities(log, period, {"A", "B", "C"})
    assert silence.activity == "C" and silence.cases_before == 20 and silence.cases_since is None
    assert silence.last_seen == DAY0 + pd.Timedelta(days=19, hours=2)
    assert silence.expected_recent == pytest.approx(20 / 30 * 10)


def test_a_step_that_stopped_inside_a_long_period_is_its_trailing_gap(log) -> None:
    period = recent_period(log_span(log), "3650d")  # longer than the log: the whole log
    [silence] = silent_activities(log, period, {"A", "B", "C"})
    # C comes 2 h after a case starts; the 20 cases started after its last execution ran 3 h
    assert (silence.activity, silence.cases_before, silence.cases_since) == ("C", 20, 20)
    assert silence.expected_recent == pytest.approx(20 / 20 * 20)


def test_cases_too_short_to_reach_the_step_prove_nothing(tmp_path: Path) -> None:
    rows = ["case,activity,timestamp"]
    for i in range(40):
        start = DAY0 + pd.Timedelta(days=i)
        rows.append(f"c{i:02d},A,{start.isoformat()}")
        if i < 20:
            rows.append(f"c{i:02d},C,{(start + pd.Timedelta(hours=2)).isoformat()}")
        rows.append(f"c{i:02d},B,{(start + pd.Timedelta(hours=1 if i >= 20 else 3)).isoformat()}")
    path = tmp_path / "short.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    short = read_log(path)
    assert silent_activities(short, recent_period(log_span(short), "3650d"), {"A", "B", "C"}) == []


def test_a_recent_period_that_is_neither_length_nor_date_is_refused(log) -> None:
    with pytest.raises(InputError, match="--recent-period"):
        recent_period(log_span(log), "lately")
    assert recent_period(log_span(log), "2025-04-01").start == pd.Timestamp("2025-04-01", tz="UTC")
