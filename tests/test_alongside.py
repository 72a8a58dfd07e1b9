"""adapter.alongside: a computation run in a forked child gives what it gives here, and a child that fails
leaves the work to this process (with its real exception)."""

from __future__ import annotations

import os

import pytest

from procmine.adapter.alongside import Alongside


def test_result_comes_from_the_child_when_one_can_be_forked():
    parent = os.getpid()
    pending = Alongside(lambda: (os.getpid(), sum(range(1000))))
    pid, total = pending.result()
    assert total == 499500
    if pending.process is not None:  # fork available and two cores: computed elsewhere
        assert pid != parent


def test_asked_to_stay_here_it_runs_in_this_process():
    pending = Alongside(os.getpid, elsewhere=False)
    assert pending.process is None
    assert pending.result() == os.getpid()


def test_a_failing_child_leaves_the_work_and_its_exception_to_this_process():
    calls = []

    def work() -> int:
        calls.append(os.getpid())
        raise ValueError("no precision today")

    pending = Alongside(work)
    with pytest.raises(ValueError, match="no precision today"):
        pending.result()
    assert calls[-1] == os.getpid()  # raised here, where the caller handles it


def test_a_child_that_dies_is_replaced_by_the_work_here():
    parent = os.getpid()

    def work() -> str:
        if os.getpid() != parent:
            os._exit(9)  # killed, out of memory...
        return "done here"

    assert Alongside(work).result() == "done here"


def test_a_child_that_does_not_answer_in_time_is_killed_and_the_work_done_here():
    import time

    parent = os.getpid()

    def work() -> str:
        if os.getpid() != parent:
            time.sleep(60)  # stuck (a lock never released)
        return "done here"

    started = time.monotonic()
    pending = Alongside(work, patience=0.5)
    assert pending.result() == "done here"
    assert time.monotonic() - started < 30
    if pending.process is not None:
        assert not pending.process.is_alive()
