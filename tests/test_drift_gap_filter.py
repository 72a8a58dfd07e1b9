""" "Not executed since": the steps after whose last execution too few cases started to ever be reported are
left out before the medians are computed, and the findings are the same as when every step is counted."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd

from procmine.analyses import drift
from procmine.engine import drift as drift_counts
from procmine.io.logs import read_log

DAY0 = pd.Timestamp("2025-03-01", tz="UTC")


def _log(folder: Path, seed: int):
    """60 cases, one a day: A, then C (until a random case), D (in a random stretch), B; some cases short."""
    generator = random.Random(seed)
    c_stops, d_from, d_to = generator.randint(5, 58), generator.randint(0, 40), generator.randint(40, 59)
    rows = ["case,activity,timestamp"]
    for i in range(60):
        start = DAY0 + pd.Timedelta(days=i, minutes=generator.randint(0, 600))
        steps = [("A", 0)]
        if i < c_stops and generator.random() < 0.9:
            steps.append(("C", 2))
        if d_from <= i <= d_to and generator.random() < 0.5:
            steps.append(("D", 1))
        steps.append(("B", generator.choice([1, 3, 4])))
        rows += [f"c{i:02d},{a},{(start + pd.Timedelta(hours=h)).isoformat()}" for a, h in steps]
    path = folder / f"log{seed}.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return read_log(path)


def test_the_findings_are_those_of_counting_every_step(tmp_path, monkeypatch):
    counted = drift_counts.trailing_gaps
    found = 0
    for seed in range(16):
        log = _log(tmp_path, seed)
        for spec in ("3650d", "20d", None):
            period = drift.recent_period(drift.log_span(log), spec)
            with_filter = drift.silent_activities(log, period, {"A", "B", "C", "D"})
            monkeypatch.setattr(drift_counts, "trailing_gaps", lambda con, seen, **_: counted(con, seen))
            every_step = drift.silent_activities(log, period, {"A", "B", "C", "D"})
            monkeypatch.setattr(drift_counts, "trailing_gaps", counted)
            assert with_filter == every_step
            found += sum(s.cases_since is not None for s in every_step)
    assert found > 5  # the trailing gaps were there to find


def test_a_step_with_too_few_cases_after_it_is_left_out(tmp_path):
    from procmine.engine.db import connect

    log = _log(tmp_path, 3)
    con = connect(log)
    seen = drift_counts.presence(con, 0)
    last = {a: drift._micros(drift._utc(t)) for a, t in seen.last_seen.items()}
    every = drift_counts.trailing_gaps(con, last)
    some = drift_counts.trailing_gaps(con, last, min_started_after=drift.MIN_EXPECTED_SINCE)
    assert set(some) < set(every) and all(some[a] == every[a] for a in some)
    for activity in set(every) - set(some):
        gap = every[activity]
        assert gap.cases_since_long_enough < drift.MIN_EXPECTED_SINCE
