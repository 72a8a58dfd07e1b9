"""Progress lines on stderr. Machine formats own stdout; everything a person reads while waiting goes here."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from procmine.safe_text import printable_line

_quiet = False
_open_step: list[str] = []  # the step whose line waits for its time (one at most)


def set_quiet(quiet: bool) -> None:
    global _quiet
    _quiet = quiet


def _end_open_line() -> None:
    """Whatever is printed while a step's line is open starts a line of its own (the step ends later)."""
    if _open_step:
        _open_step.clear()
        print(file=sys.stderr, flush=True)


def note(message: str) -> None:
    """One line for the person at the terminal (warnings, fallbacks, where output went)."""
    if not _quiet:
        _end_open_line()
        print(f"procmine: {printable_line(message)}", file=sys.stderr, flush=True)


def text(block: str) -> None:
    """Several lines for the person at the terminal (a summary), each made printable on its own."""
    if not _quiet:
        _end_open_line()
        lines = "\n".join(printable_line(line) for line in block.splitlines())
        print(lines, file=sys.stderr, flush=True)


def warn(message: str) -> None:
    """A warning is shown even with --quiet."""
    _end_open_line()
    print(f"procmine: warning: {printable_line(message)}", file=sys.stderr, flush=True)


@contextmanager
def step(message: str) -> Iterator[None]:
    """Announce a long step and how long it took: ``procmine: reading log.csv ... 1.2 s``.

    Steps may nest, and notes may come while a step runs: the step's time then goes on a line of its own."""
    started = time.perf_counter()
    shown = printable_line(message)
    if not _quiet:
        _end_open_line()
        print(f"procmine: {shown} ...", end="", file=sys.stderr, flush=True)
        _open_step.append(shown)
    try:
        yield
    except BaseException:
        _close(shown, "failed")
        raise
    _close(shown, f"{time.perf_counter() - started:.1f} s")


def _close(shown: str, outcome: str) -> None:
    if _quiet:
        return
    if _open_step == [shown]:
        _open_step.clear()
        print(f" {outcome}", file=sys.stderr, flush=True)
    else:
        _end_open_line()
        print(f"procmine: {shown} ... {outcome}", file=sys.stderr, flush=True)
