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
