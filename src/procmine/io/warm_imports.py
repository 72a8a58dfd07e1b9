"""Import the heavy libraries a log reader will need on a second thread, while the first one checks the file.

Importing pandas, pyarrow and polars costs a few tenths of a second of interpreter work; the input checks
that must come first (``input_files``: every byte of a gzipped XES decompressed and scanned) spend most of
their time in zlib and numpy, which let other threads run. Started before the checks, the imports are
mostly done when the reader asks for them. Nothing else changes: a module imported here is the same module
the reader would have imported itself (Python's import lock makes the reader wait for an import under
way), and an import that fails here fails again, with its real error, where the reader imports it. The
thread is joined when the checks end (refused or not), so no import is under way when the command later
forks worker processes.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager

PANDAS = ("numpy", "pandas", "duckdb")  # reading a CSV or Parquet log: pandas reads odd timestamps
XES = ("polars", "rustxes")  # the Rust XES parser and the frame library it returns
XES_READ = ("numpy", "duckdb", *XES)  # reading an XES log needs neither pandas nor pyarrow
_EXPECTED: list[str] = []  # what the running command imports once the log is read (``expect``)


def expect(*names: str) -> None:
    """Modules the running command imports once its log is read: imported on the next reader's import
    thread as well, after the libraries reading needs (the command's analyses then start without
    importing). Taken once: a later command in the same process expects its own."""
    _EXPECTED.extend(name for name in names if name not in _EXPECTED)


@contextmanager
def alongside(log_format: str) -> Iterator[None]:
    """Import what reading a log of this format needs, then what the command expects, while the block
    runs; joined when it ends."""
    with importing(XES_READ if log_format == "xes" else PANDAS, and_expected=True):
        yield


@contextmanager
def importing(names: tuple[str, ...], *, and_expected: bool = False) -> Iterator[None]:
    """Import these modules (then, with ``and_expected``, those ``expect`` named), in order, on a second
    thread while the block runs; joined when it ends."""
    if and_expected:
        names = (*names, *_EXPECTED)
        _EXPECTED.clear()
    thread = threading.Thread(target=_import_all, args=(names,), name="procmine-imports", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()


def _import_all(names: tuple[str, ...]) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # the reader's own import raises it again, where it is handled
            return
