"""Progress lines on stderr. Machine formats own stdout; everything a person reads while waiting goes here."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from procmine.safe_text import printable_line

_quiet = False


def set_quiet(quiet: bool) -> None:
    global _quiet
    _quiet = quiet


def note(message: str) -> None:
    """One line for the person at the terminal (warnings, fallbacks, where output went)."""
    if not _quiet:
        print(f"procmine: {printable_line(message)}", file=sys.stderr, flush=True)


def text(block: str) -> None:
    """Several lines for the person at the terminal (a summary), each made printable on its own."""
    if not _quiet:
        lines = "\n".join(printable_line(line) for line in block.splitlines())
        print(lines, file=sys.stderr, flush=True)


def warn(message: str) -> None:
    """A warning is shown even with --quiet."""
    print(f"procmine: warning: {printable_line(message)}", file=sys.stderr, flush=True)


@contextmanager
def step(message: str) -> Iterator[None]:
    """Announce a long step and how long it took: ``procmine: reading log.csv ... 1.2 s``."""
    started = time.perf_counter()
    if not _quiet:
        print(f"procmine: {printable_line(message)} ...", end="", file=sys.stderr, flush=True)
    try:
        yield
    except BaseException:
        if not _quiet:
            print(" failed", file=sys.stderr, flush=True)
        raise
    if not _quiet:
        print(f" {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
