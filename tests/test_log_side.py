"""The log's side of a check, counted on threads while the model's side is prepared: the same variants as
counted on the spot, the pending facts counted by the time the variants are handed over, and an error of
the count raised where the variants are asked for."""

from __future__ import annotations

import threading

import pytest

from procmine.analyses import log_side
from procmine.analyses.alignment_stats import log_variants
from tests.test_conformance_findings import cases_log


def _log():
    return cases_log([(["A", "B", "C"], 3), (["A", "C"], 2), (["B"], 1), (["A", "B", "C"], 1)])


def test_the_variants_counted_on_a_thread_are_those_counted_here():
    side = log_side.LogSide(_log())
    counted = side.variants()
    here = log_variants(_log())
    assert (
        (counted.traces, counted.counts)
        == (here.traces, here.counts)
        == ([("A", "B", "C"), ("A", "C"), ("B",)], [4, 2, 1])
    )
    assert not side._variants.thread.is_alive() and not side._pending.thread.is_alive()


def test_the_pending_facts_are_counted_on_a_thread_before_the_variants_are_handed_over(monkeypatch):
    log = _log()
    counted_on = []
    monkeypatch.setattr(log, "count_pending", lambda: counted_on.append(threading.current_thread().name))
    log_side.LogSide(log).variants()
    assert counted_on == ["procmine-log-facts"]


def test_an_error_of_the_count_is_raised_where_the_variants_are_asked_for(monkeypatch):
    def broken(log):
        raise RuntimeError("engine gone")

    monkeypatch.setattr(log_side, "log_variants", broken)
    side = log_side.LogSide(_log())
    with pytest.raises(RuntimeError, match="engine gone"):
        side.variants()
    side.join()  # (joined already: nothing left running)


def test_the_times_counted_on_a_connection_of_their_own_are_those_counted_on_the_shared_one(tmp_path):
    """The task table's times and the steps no longer executed (``LogTimes``), counted on a thread with a
    connection of its own while the variants are counted on the shared one, equal the same figures counted
    afterwards on the shared connection; the silences of all activities, kept for the ones asked about,
    are those of the ones asked about. The shared connection is not the thread's."""
    from procmine.analyses.conformance_tables import activity_times
    from procmine.analyses.drift import log_period, silent_activities
    from procmine.engine.db import connect, own_connection
    from procmine.io.logs import read_log

    rows = ["case,activity,time"]
    for n in range(240):  # D stops after the first 120 days; C runs all year
        for hour, activity in enumerate(["A", "B", "C", "D"] if n < 120 else ["A", "B", "C"]):
            rows.append(f"c{n:03d},{activity},{_moment(n, hour)}")
    path = tmp_path / "log.csv"
    path.write_text("\n".join(rows) + "\n")
    log = read_log(path)
    period = log_period(log)
    side = log_side.LogSide(log, period)
    side.variants()
    times = side.times()
    assert times.activities == activity_times(log) and set(times.activities) == {"A", "B", "C", "D"}
    assert [s.activity for s in times.silences] == ["D"]
    for asked in ({"A", "D"}, {"C"}, {"A", "B", "C", "D"}):
        assert [s for s in times.silences if s.activity in asked] == silent_activities(log, period, asked)
    own = own_connection(log)
    assert own is not connect(log)
    own.close()
    assert connect(log).execute("SELECT count(*) FROM events").fetchall() == [(840,)]


def _moment(n: int, hour: int) -> str:
    from datetime import datetime, timedelta

    return (datetime(2024, 1, 1) + timedelta(days=n, hours=hour)).isoformat() + "Z"


def test_without_a_recent_period_nothing_is_judged_silent():
    side = log_side.LogSide(_log())
    side.variants()
    assert side.times().silences == [] and set(side.times().activities) == {"A", "B", "C"}


def test_the_lock_changes_hands_every_millisecond_while_the_threads_count_and_as_before_once_joined():
    import sys

    before = sys.getswitchinterval()
    side = log_side.LogSide(_log())
    assert sys.getswitchinterval() == min(before, log_side.HANDOVER)
    side.variants()
    assert sys.getswitchinterval() == before
    side.join()  # (a second join leaves it as it is)
    assert sys.getswitchinterval() == before
