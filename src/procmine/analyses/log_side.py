"""The log's side of a check, counted on threads while the model's side is prepared on this one.

Once the log is read, a check counts the log's variants (one SQL query, which the engine runs on one core)
and the facts the reader left pending (``EventLog.count_pending``: each on a cursor of its own), and it
translates, matches and reads the model (Python). Neither side needs the other, so the engine counts
while the interpreter works, and the second core, idle while a single query runs, counts the pending
facts. Both threads are joined before the alignment workers are forked (``variants``): no thread runs
while a process forks. The figures are those counted one after the other: the same queries on the same
log.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from procmine.analyses.alignment_stats import Variants, log_variants

if TYPE_CHECKING:
    from procmine.model.log import EventLog

T = TypeVar("T")


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


class LogSide:
    """Started with the log, before the model's side is prepared; ``variants()`` once it is."""

    def __init__(self, log: EventLog):
        self.log = log
        self._variants = _Started(lambda: log_variants(log), "procmine-variants")
        self._pending = _Started(log.count_pending, "procmine-log-facts")  # (it raises nothing)

    def variants(self) -> Variants:
        """The log's variants, with both threads joined."""
        try:
            return self._variants.result()
        finally:
            self.join()

    def join(self) -> None:
        """Both threads ended (what they raised is left to ``variants``)."""
        self._variants.thread.join()
        self._pending.thread.join()
