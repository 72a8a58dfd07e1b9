"""Exit codes and the one error type that reaches the user as a one-line message."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1  # findings over a threshold
    USAGE = 2  # bad usage or unreadable input
    INTERNAL = 3  # a bug in procmine


class InputError(Exception):
    """An input procmine cannot use: shown as ``procmine: FILE: cause`` and exit code 2.

    ``source`` names the file (or option) at fault; ``cause`` says what is wrong in one line.
    """

    def __init__(self, source: str | Path | None, cause: str):
        self.source = str(source) if source is not None else None
        self.cause = " ".join(str(cause).split())
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """The message, safe for a terminal (a file name or a value quoted from a row may hold escapes)."""
        from procmine.safe_text import printable_line

        return printable_line(f"{self.source}: {self.cause}" if self.source else self.cause)
