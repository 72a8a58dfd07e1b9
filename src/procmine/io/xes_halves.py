"""Read a large XES log as two documents at once: half of its traces here, the other half in a forked child.

rustxes parses about 100 MB of XES a second on one core and holds the interpreter lock meanwhile, and the
input guards must scan every byte before it starts: on BPIC 2012 (74 MB) reading took as long as aligning
the whole log. A log's traces are independent of each other, so the file is cut at a ``<trace`` into two
XES documents, each with the log's opening (its start tag, extensions, globals, classifiers; not the log's
own attributes, which give no event a value: BPIC 2012 has 6.6 MB of them) and its own ``</log>``; the
guards scan each, rustxes parses each (in pieces of about a megabyte where it can: ``xes_pieces``), and
the child's events (Arrow IPC through an in-memory file) are put after this process's. The file itself is
expanded by another child while this process imports the parser (``expansion_aside``). The two halves'
events, one after the other, are the events of the whole file.

That holds only when nothing lets a trace's rows depend on the other half, so any doubt sends the file the
ordinary way (``input_files.check_log_file``, then ``xes_log.read_xes``), whose result and whose refusals,
word for word, are then those of today's whole read:
- the file is refused by a limit, or its header holds (outside comments) a CDATA section, DOCTYPE,
  processing instruction (past the XML declaration) or an event, or does not end inside ``<log>``;
- either half fails a guard (declaration, depth), is markup rustxes cannot take safely, does not end at
  depth 0 (the cut was not between two traces), or rustxes refuses it;
- an attribute has different types in the two halves, or in either half rustxes reports values of several
  types (it turns such a column into text and quotes its strings, which the other half alone would not).
A child that dies or does not answer costs time, not correctness: its half is then read here.

Only on Linux (fork, memfd) with two cores or more and more than one process allowed, for logs of 16 MiB
to 256 MiB expanded (the expansion, each half's document and the child's answer are held in memory
besides what rustxes holds: a few times the file), and only before
rustxes or polars ran in this process: their thread pools do not survive a fork (a child would wait
forever for threads it does not have).
"""

from __future__ import annotations

import contextlib
import gc
import importlib.util
import mmap
import os
import re
import select
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from procmine.errors import InputError
from procmine.io import limits, rustxes_parse, xes_pieces
from procmine.io.expansion_aside import NOT_MEASURED, ExpansionAside
from procmine.io.input_files import is_gzip, regular_file

MIB = 1 << 20
SPLIT_MIN = 16 * MIB
SPLIT_MAX = 256 * MIB
_TRACE = re.compile(rb"<trace[\s>/]")
_ODD = 3  # the child's exit code: read this file the ordinary way
# How much smaller this process's half is (it imports DuckDB beside it). 16 MiB while rustxes parsed a
# half whole; parsed in pieces (``xes_pieces``), this process's half ended first by 0.2 s on BPIC 2012: at
# 16/8/4/0/-4 MiB it read in 1.25-1.41/1.12-1.32/1.11-1.21/1.07-1.12/1.06-1.15 s, both halves ending
# together at 0 (interleaved runs, load 2-3). With the file expanded by a child while this process imports
# (``expansion_aside``), this process's half ended last by 0.03-0.15 s at 0; at 4 MiB both end within
# 0.02 s (8 MiB: the child's last by 0.04-0.1 s; three runs each, idle machine).
_HEAD_START = 4 * MIB
_HALF_NEEDS = ("numpy", "polars", "rustxes")  # to read a half; the frame and DuckDB: after the fork


def read_in_halves(
    path: Path, processes: int | None, meanwhile: Callable[[], None] | None = None
) -> Any | None:
    """The raw events of the XES log at ``path``, parsed by rustxes, read in two halves at once: an
    ``xes_log.ArrowEvents`` that DuckDB stores as the frame ``xes_log.read_xes`` gives (or that frame, for
    column types not checked); None: read it the ordinary way. ``meanwhile`` is called once both halves
    are parsed and the child has answered (no fork follows), before its answer is joined to this half."""
    if not _worth_trying(path, processes):
        return None
    from procmine.io import warm_imports

    aside = ExpansionAside(path, SPLIT_MAX, _header_length)  # forked before the import thread starts
    with warm_imports.importing(_HALF_NEEDS):  # joined before the halves' fork
        data = _checked(aside.result())
        cut = None if data is None else _cut(data, aside.measured)  # (numpy's loops let the imports run)
    if cut is None:
        return None
    opening, body, middle = cut
    first = (opening, memoryview(data)[body:middle], b"</log>\n")
    second = (opening, memoryview(data)[middle:])
    try:
        halves = _both_halves(first, second)
        if halves is not None and meanwhile is not None:
            meanwhile()
        events = None if halves is None else _joined(*halves, opening=opening)
        if events is None:
            return None
        from procmine.io.xes_log import frame_from_rustxes, table_from_rustxes

        table = table_from_rustxes(events)
        return table if table is not None else frame_from_rustxes(events)
    finally:
        _reap()


def _worth_trying(path: Path, processes: int | None) -> bool:
    if not all(hasattr(os, name) for name in ("fork", "memfd_create", "sched_getaffinity")):
        return False  # Linux only
    if processes == 1 or len(os.sched_getaffinity(0)) < 2 or rustxes_parse.pools_started:
        return False
    if not os.path.isdir("/proc/self/fd"):
        return False
    if importlib.util.find_spec("polars") is None or importlib.util.find_spec("rustxes") is None:
        return False
    expected = _expected_size(path)
    return expected is not None and SPLIT_MIN <= expected <= SPLIT_MAX


def _expected_size(path: Path) -> int | None:
    """The expanded size a file announces: its size, or a gzip file's trailer (ISIZE, the size modulo
    2**32 of its last member: a hint only, the expansion is counted as it comes)."""
    try:
        regular_file(path, limit="log_size")
        size = path.stat().st_size
        if not is_gzip(path):
            return size
        if size < 18:
            return None
        with path.open("rb") as fh:
            fh.seek(-4, os.SEEK_END)
            return int.from_bytes(fh.read(4), "little")
    except (InputError, OSError):
        return None


def _checked(data: mmap.mmap | None) -> mmap.mmap | None:
    """The expanded bytes if they end with ``</log>`` (give or take spaces) and are not UTF-16."""
    if data is None or not data[-512:].rstrip().endswith(b"log>"):
        return None
    from procmine.io.xml_scan import utf16_of

    return None if utf16_of(data[:4]) else data


def _cut(data: bytes, header_length: int | object | None = NOT_MEASURED) -> tuple[bytes, int, int] | None:
    """The opening both halves start with (the log's header without its attributes), where the first
    trace starts and where the trace that halves the work starts; None when the header holds anything
    that must not be read twice or hides markup. ``header_length``: ``_header_length`` of the data, when
    the child that expanded it measured it (BPIC 2012's 6.6 MB header: 20-30 ms it spent while this process
    imported)."""
    if header_length is NOT_MEASURED:
        header = _header(data)
    else:
        header = None if header_length is None else data[: int(header_length)]  # type: ignore[call-overload]
    if header is None:
        return None
    middle = _TRACE.search(data, (len(data) + len(header) - min(_HEAD_START, len(data) // 4)) // 2)
    if middle is None:
        return None
    from procmine.io.xes_pieces import opening

    kept = opening(header)  # None unless the cut falls inside <log>, between traces
    return None if kept is None else (kept, len(header), middle.start())


def _header_length(data: bytes) -> int | None:
    """The length of ``_header`` (None when there is none to cut the log after)."""
    header = _header(data)
    return None if header is None else len(header)


def _header(data: bytes) -> bytes | None:
    """Everything before the first ``<trace`` outside a comment, if it holds (outside comments) no CDATA
    section, declaration, processing instruction past the XML declaration, or event."""
    from procmine.io.xes_pieces import doubtful, without_comments

    for found, candidate in enumerate(_TRACE.finditer(data)):
        header = data[: candidate.start()]
        at = doubtful(header)  # (one pass: BPIC 2012's header is 6.6 MB)
        if at is None:
            return header
        if found < 8 and b"<!--" in without_comments(header)[at:]:  # that <trace was in a comment: the next
            continue
        return None
    return None


def _both_halves(first: Sequence[Any], second: Sequence[Any]) -> tuple[Any, Any] | None:
    """Both halves' events, the second read by a child (here if it does not answer)."""
    from procmine.io import warm_imports

    answer = os.memfd_create("procmine-xes-half")
    try:
        child = _start_child(second, answer)
        started = time.monotonic()
        mine = None
        try:
            with warm_imports.importing(("duckdb",), and_expected=True):  # (mostly while scanning)
                mine = _read_half(first)
            odd = mine is None
        finally:
            code = _finish(child, patience=2 * (time.monotonic() - started) + 1.0, kill=mine is None)
        if odd or code == _ODD:
            return None
        theirs = _answer(answer) if code == 0 else _read_half(second)
        return None if theirs is None else (mine, theirs)
    finally:
        os.close(answer)


def _start_child(half: Sequence[Any], answer: int) -> _Child | None:
    """Fork a child that reads ``half``, writes its events as Arrow IPC into ``answer`` and says its exit
    code on a pipe before it exits."""
    said, says = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no process to spare: the half is read here
        os.close(said)
        os.close(says)
        return None
    if pid:
        os.close(says)
        return _Child(pid, said)
    code = 1
    try:
        os.close(said)
        gc.freeze()  # what the parent left for collection is never finalized here
        events = _read_half(half)
        if events is None:
            code = _ODD
        else:
            events.write_ipc(f"/proc/self/fd/{answer}")
            code = 0
    finally:
        try:
            os.write(says, bytes([code]))
        finally:
            os._exit(code)


@dataclass
class _Child:
    pid: int
    said: int  # the pipe on which the child says its exit code once its answer is written


_unreaped: list[int] = []  # children that answered and exit by themselves: waited for by ``_reap``


def _finish(child: _Child | None, patience: float, kill: bool) -> int | None:
    """The child's exit code, as soon as it says it (its answer is then written: it is left to exit by
    itself, which takes a forked copy of this process ~10 ms); None when there is no child or it did not
    answer within ``patience`` seconds (it is killed, and so it is at once when ``kill``)."""
    if child is None:
        return None
    try:
        if not kill and select.select([child.said], [], [], patience)[0]:
            code = os.read(child.said, 1)
            if code:
                _unreaped.append(child.pid)
                return code[0]
        os.kill(child.pid, signal.SIGKILL)  # (not reaped yet: the id is still the child's)
        os.waitpid(child.pid, 0)
        return None
    finally:
        os.close(child.said)


def _reap() -> None:
    """Wait for the children that answered (by now they have exited, or nearly)."""
    while _unreaped:
        with contextlib.suppress(ChildProcessError):  # (reaped already: by the embedding program)
            os.waitpid(_unreaped.pop(), 0)


def _answer(fd: int) -> Any | None:
    import polars as pl

    try:
        os.lseek(fd, 0, os.SEEK_SET)
        with open(fd, "rb", closefd=False) as answer:
            return pl.read_ipc(answer)
    except Exception:  # a short or broken answer: that half is read here
        return None


def _read_half(parts: Sequence[Any]) -> Any | None:
    """rustxes's events of the document made of ``parts``, after the input guards; None when either
    says the file is better read the ordinary way."""
    from procmine.io.xml_scan import scan_xml

    facts = scan_xml(parts, stop_depth=limits.current().xml_depth)
    if (
        facts.declaration
        or facts.oversized
        or facts.max_depth > limits.current().xml_depth
        or facts.end_depth != 0
        or not rustxes_parse.safe_markup(facts)
    ):
        return None
    try:
        events = rustxes_parse.in_pieces(parts, facts.trace_cuts)
        return events if events is not None else _parsed_whole(parts)
    except BaseException as exc:  # a Rust panic arrives as pyo3's PanicException (a BaseException)
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        return None


def _parsed_whole(parts: Sequence[Any]) -> Any | None:
    """rustxes's events of the document made of ``parts`` in one parse; None when rustxes reports an
    attribute of values of several types."""
    document = os.memfd_create("procmine-xes-document")
    try:
        with open(document, "wb", closefd=False) as out:
            for part in parts:
                out.write(part)
        with xes_pieces.captured() as said:
            events = rustxes_parse.events(f"/proc/self/fd/{document}")
    finally:
        os.close(document)
    return None if rustxes_parse.MIXED in said[0] else events


def _joined(first: Any, second: Any, opening: bytes = b"") -> Any | None:
    """The two halves' events, one after the other (an attribute only one half has, given a default by
    a ``<global>`` of the ``opening``, filled in the other as one whole read fills it: ``xes_defaults``);
    None when an attribute has different types in the two halves, or such a default cannot be had."""
    from procmine.io.xes_defaults import joined, parsed_defaults

    events = joined([first, second], opening, lambda: parsed_defaults(opening, _read_half))
    return None if events is None else events.select(sorted(events.columns))
