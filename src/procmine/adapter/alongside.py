"""Run one pure computation in a forked child process while this process goes on with other work.

The check's precision (pure Python, holding the interpreter lock) and its per-task statistics and
findings (DuckDB, pandas and Python) need the same alignments but not each other: on a machine with two
cores or more they can run side by side. The child is forked, so it starts with the alignments already
in memory (nothing is pickled on the way in) and sends back only the small result.

The result is the same as calling the function here: the child runs the same code on the same data.
Where fork is not available, or the machine has a single core, or the child fails in any way (killed,
out of memory, an exception, no answer within ``patience`` seconds of the moment the result is asked for),
the function simply runs in this process when the result is asked for.

The child freezes what it inherited from the garbage collector's view: an object the parent left for
collection (a database handle, say, whose finalizer takes a lock some thread of the parent held at the
fork) is never finalized in the child.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from procmine.adapter.alignments import available_cores

T = TypeVar("T")


class Alongside(Generic[T]):
    """``Alongside(work)`` starts ``work()`` in a child; ``result()`` waits for it (or runs it here).
    ``elsewhere=False``: run it here (when asked to use one process)."""

    def __init__(self, work: Callable[[], T], elsewhere: bool = True, patience: float | None = None):
        self.work, self.patience = work, patience
        self.process: Any = None
        self.conn: Any = None
        if not elsewhere or "fork" not in multiprocessing.get_all_start_methods() or available_cores() < 2:
            return
        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe(duplex=False)
        try:
            self.process = context.Process(target=_run, args=(work, child), daemon=True)
            self.process.start()
        except OSError:  # no process to spare (ulimit): run here later
            self.process = None
        child.close()

    def result(self) -> T:
        """The child's answer; a child that answered is left to exit by itself (tearing down a copy of a
        large process takes it ~10 ms, which nothing here needs to wait for: multiprocessing reaps it)."""
        if self.process is not None:
            try:
                if self.conn.poll(self.patience):
                    ok, value = self.conn.recv()
                    if ok:
                        return value
            except (EOFError, OSError):  # the child died without an answer
                pass
            finally:
                self.conn.close()
            if self.process.is_alive():
                self.process.kill()
            self.process.join()
        return self.work()


def _run(work: Callable[[], Any], conn: Any) -> None:
    gc.freeze()
    try:
        answer = (True, work())
    except BaseException:  # the parent runs it again and gets the real exception there
        answer = (False, None)
    conn.send(answer)
    conn.close()
