"""The log's side of a check, counted on threads while the model's side is prepared on this one.

Once the log is read, a check counts the log's variants (one SQL query, which the engine runs on one core),
the facts the reader left pending (``EventLog.count_pending``: each on a cursor of its own) and the times
the task table and the outdated steps read (``LogTimes``: on a connection of its own), and it translates,
matches and reads the model (Python). Neither side needs the other, so the engine counts while the
interpreter works, and the second core, idle while a single query runs, counts the rest. The threads are
joined before the alignment workers are forked (``variants``): no thread runs while a process forks. The
figures are those counted one after the other: the same queries on the same log. Meanwhile the interpreter
lock changes hands every millisecond (``HANDOVER``), and as before once they are joined.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from procmine.analyses.alignment_stats import Variants, log_variants

if TYPE_CHECKING:
    from procmine.analyses.drift import RecentPeriod, Silence
    from procmine.engine.conformance_inputs import ActivityTimes
    from procmine.model.log import EventLog

T = TypeVar("T")
# How often (seconds) the interpreter lock is handed over while the threads count. A query's answer waits
# for the lock, which the model's translation holds here: at Python's 5 ms each of the threads' twenty-odd
# queries waited up to that long (BPIC 2012: the three threads with 0.06 s of interpreter work beside them
# took 0.15-0.16 s at 5 ms, 0.11-0.12 s at 1 ms; alone, 0.09-0.10 s either way).
HANDOVER = 0.001


class _Started(Generic[T]):
    """``work()`` on a thread of its own; ``result()`` joins it and returns its value (or raises what it
    raised)."""

    def __init__(self, work: Callable[[], T], name: str):
        self.value: T | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(work,), name=name, daemon=True)
        self.thread.start()

    def _run(self, work: Callable[[], T]) -> None:
        try:
            self.value = work()
        except BaseException as exc:  # (raised again on the thread that asks for the result)
            self.error = exc

    def result(self) -> T:
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.value  # type: ignore[return-value]


@dataclass(frozen=True)
class LogTimes:
    """``activities``: ``conformance_tables.activity_times`` of the log; ``silences``: its activities no
    longer executed in the recent period (``drift.silent_activities`` of them all; empty without one)."""

    activities: dict[str, ActivityTimes]
    silences: list[Silence]


class LogSide:
    """Started with the log (and its recent period, if it has one), before the model's side is prepared;
    ``variants()`` once it is, then ``times()``."""

    def __init__(self, log: EventLog, period: RecentPeriod | None = None):
        self.log, self.period = log, period
        self._interval: float | None = sys.getswitchinterval()
        sys.setswitchinterval(min(self._interval, HANDOVER))
        self._variants = _Started(lambda: log_variants(log), "procmine-variants")
        self._pending = _Started(log.count_pending, "procmine-log-facts")  # (it raises nothing)
        self._times = _Started(lambda: _log_times(log, period), "procmine-log-times")

    def variants(self) -> Variants:
        """The log's variants, with the threads joined."""
        try:
            return self._variants.result()
        finally:
            self.join()

    def times(self) -> LogTimes:
        return self._times.result()

    def join(self) -> None:
        """The threads ended (what they raised is left to ``variants`` and ``times``)."""
        for started in (self._variants, self._pending, self._times):
            started.thread.join()
        if self._interval is not None:
            sys.setswitchinterval(self._interval)
            self._interval = None


def _log_times(log: EventLog, period: RecentPeriod | None) -> LogTimes:
    from procmine.analyses.conformance_tables import activity_times
    from procmine.analyses.drift import silent_activities
    from procmine.engine.db import own_connection

    con = own_connection(log)
    try:
        times = activity_times(log, con)
        return LogTimes(times, silent_activities(log, period, set(times), con) if period else [])
    finally:
        con.close()
