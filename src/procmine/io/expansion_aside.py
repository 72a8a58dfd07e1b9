"""A log file's expanded bytes, made by a forked child while this process imports what parsing needs.

Expanding a gzipped XES (ISA-L's inflate and the copies of its output) and importing numpy, polars and
rustxes take about 0.1 s each on BPIC 2012, but neither lets the other run: inflate holds the interpreter
lock, the imports are interpreter work, and on two threads they took as long as one after the other (0.21
s). A child process has its own interpreter: it expands the file into an anonymous in-memory file
(``memfd``) while this process imports, and this process then maps that file, the same pages, without a
copy. The child is forked before any thread starts and imports nothing (a fork with threads running may
copy a lock held).

The child counts the expansion against the same limits as the input check (``input_files.Expansion``) and
stops at ``cap`` bytes; it answers by its exit code, and with the answer of a ``measure`` of the bytes, if
given one (the XES reader's: where the log's header ends), on a pipe. Any refusal, a file of several gzip
members, a child that cannot be forked or dies: None, and the caller reads the file the ordinary way, whose
checks then say why; a measure that fails is left to the caller.
"""

from __future__ import annotations

import mmap
import os
import struct
from collections.abc import Callable
from pathlib import Path

from procmine.errors import InputError
from procmine.io.input_files import Expansion

_WRITTEN = 0  # the child's exit code: the whole expansion is in the file
_POPULATE = getattr(mmap, "MAP_POPULATE", 0)  # (the pages mapped at once, not one fault each)


class ExpansionAside:
    """The expansion of ``path`` under way in a child (or refused at once: ``pid`` None). ``measure``: a
    function of the expanded bytes (a small integer, or None) that the child runs on them once they are
    written, while this process may still be importing; its answer is ``measured`` after ``result``."""

    def __init__(self, path: Path, cap: int, measure: Callable[[mmap.mmap], int | None] | None = None):
        self.fd = os.memfd_create("procmine-expanded")
        self.pid: int | None = None
        self.measured: int | object | None = NOT_MEASURED
        said, says = os.pipe()
        try:
            self.pid = os.fork()
        except OSError:  # no process to spare: the caller reads the file the ordinary way
            os.close(said)
            os.close(says)
            return
        if not self.pid:
            code = 1
            try:
                os.close(said)
                code = _WRITTEN if _expand_into(path, self.fd, cap) else 1
                if code == _WRITTEN and measure is not None:
                    os.write(says, _measured_by(measure, self.fd))
            finally:
                os._exit(code)
        os.close(says)
        self._said = said

    def result(self) -> mmap.mmap | None:
        """The expanded bytes, read-only (None: read the file the ordinary way). Waits for the child."""
        try:
            if self.pid is None:
                return None
            _, status = os.waitpid(self.pid, 0)
            size = os.fstat(self.fd).st_size
            if os.waitstatus_to_exitcode(status) != _WRITTEN or not size:
                return None
            self.measured = _answer(os.read(self._said, _ANSWER.size))
            return mmap.mmap(self.fd, size, flags=mmap.MAP_SHARED | _POPULATE, prot=mmap.PROT_READ)
        finally:
            os.close(self.fd)
            if self.pid is not None:
                os.close(self._said)


NOT_MEASURED = object()  # ``measured`` when the child gave no answer (it failed, or was given no measure)
_ANSWER = struct.Struct("<q")  # the measure's answer on the pipe; -1: None
_NONE = -1


def _measured_by(measure: Callable[[mmap.mmap], int | None], fd: int) -> bytes:
    """The child's answer: ``measure`` of the bytes written (nothing when it fails: measured here)."""
    try:
        with mmap.mmap(fd, os.fstat(fd).st_size, prot=mmap.PROT_READ) as data:
            value = measure(data)
    except Exception:
        return b""
    return _ANSWER.pack(_NONE if value is None else value)


def _answer(said: bytes) -> int | object | None:
    if len(said) != _ANSWER.size:
        return NOT_MEASURED
    (value,) = _ANSWER.unpack(said)
    return None if value == _NONE else value


def _expand_into(path: Path, fd: int, cap: int) -> bool:
    """Write the expansion of ``path`` into ``fd``: False when refused by a limit, over ``cap`` bytes or
    of several gzip members."""
    stream = Expansion(path)
    written = 0
    try:
        for chunk in stream.chunks():
            written += len(chunk)
            if written > cap:
                return False
            view = memoryview(chunk)
            while view:
                view = view[os.write(fd, view) :]
    except (InputError, OSError):
        return False
    return stream.members == 1
