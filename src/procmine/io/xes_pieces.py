"""rustxes's events of an XES document parsed in pieces of about a megabyte of whole traces.

rustxes turns what it parsed into a frame column by column, each column a pass over every event of the
document that looks the attribute up among the event's own. A wide log pays columns x events for that (the
BPIC 2020 Permit log: 169 columns, 81,092 events; 6.7 s of rustxes's 7.4 s), and even a narrow log's passes
over a whole document's events cost more than over a piece's (BPIC 2012: 1.1 s whole, 0.7 s in 64 pieces).
A piece of the Permit log's traces has 35-65 of its 169 columns: 1.4 s for the whole log.

Each piece is a document of its own: the log's opening (its start tag, extensions, globals, classifiers; not
the log's own attributes, which give no event a value), the piece's traces and ``</log>``. The scan found
where pieces can start (``xml_scan``: traces among the root's children, and nothing else among them after
the first trace). The pieces' frames, one after the other, are the frame of one whole parse when:
- the header (all before the first trace) holds, outside comments, no CDATA section, declaration,
  processing instruction past the XML declaration or event (it is read once per piece);
- no piece has an attribute of values of several types (rustxes's warning: it makes such a column text,
  quoting its strings, which a piece without the other type would not), and every piece that has an
  attribute has it of one type;
- an attribute some pieces lack is given, in those, the default a ``<global>`` declares for it
  (``xes_defaults.joined``), as one whole parse fills it in every event that lacks it.
A log that declares many event defaults is parsed without them and they are filled after, as in a whole
parse (``xes_defaults``). Otherwise None: the caller parses the document whole.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from procmine.io import xes_defaults

_DECLARATION = re.compile(rb"(\xef\xbb\xbf)?\s*<\?xml[^>]*\?>")
_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_DOUBTFUL = re.compile(rb"<(?:[!?]|event)")  # outside comments, in a header read more than once: refused
_LOG_ATTRIBUTES = {b"string", b"date", b"int", b"float", b"boolean", b"id", b"list", b"container"}
MIXED = b"contains values of different dtypes"  # rustxes's warning for an attribute of several types
_END = b"</log>\n"


def doubtful(header: bytes) -> int | None:
    """Where the ``header`` holds (outside comments) markup that must not be read more than once: a CDATA
    section, declaration, processing instruction past the XML declaration, or an event; None if nowhere.
    (The place is in ``without_comments(header)``.)"""
    found = _DOUBTFUL.search(without_comments(header))
    return None if found is None else found.start()


def without_comments(header: bytes) -> bytes:
    """The ``header`` without its XML declaration and comments."""
    declaration = _DECLARATION.match(header)
    return _COMMENT.sub(b"", header[declaration.end() :] if declaration else header)


def opening(header: bytes) -> bytes | None:
    """The ``header`` (a document's beginning: the root's start tag and whole children) without the log's
    own attributes; None when the header does not end inside the root or hides markup."""
    from procmine.io.xml_scan import root_children

    shape = root_children(header)
    if shape is None:
        return None
    root_end, children = shape
    kept = (header[start:end] for name, start, end in children if name not in _LOG_ATTRIBUTES)
    return bytes(header[:root_end]) + b"".join(kept) + b"\n"


def events(parts: Sequence[Any], cuts: Sequence[int], read: Callable[[Sequence[Any]], Any]) -> Any | None:
    """rustxes's events (a polars frame, columns in any order) of the document made of ``parts``, parsed in
    pieces starting at ``cuts`` (``XmlFacts.trace_cuts``) by ``read`` (rustxes's frame of the document
    made of the parts given; its warnings checked by the caller); None when there would be fewer than two
    pieces or the frame could differ from one whole parse (see the module docstring)."""
    if len(cuts) < 2:
        return None
    document = _Document(parts)
    header = b"".join(document.slices(0, cuts[0]))
    full = opening(header) if doubtful(header) is None else None
    if full is None:
        return None
    wide = xes_defaults.without_event_globals(full)  # (the event defaults are then filled after)
    ends = [*cuts[1:], None]
    frames = [
        read((wide or full, *document.slices(start, end), _END if end is not None else b""))
        for start, end in zip(cuts, ends, strict=True)
    ]
    if any(frame is None for frame in frames):
        return None
    return _joined(frames, full, read, wide is not None)


def _joined(frames: list[Any], full: bytes, read: Callable[[Sequence[Any]], Any], wide: bool) -> Any | None:
    """The pieces' frames one after the other; ``wide``: parsed without the event defaults of ``full`` (the
    opening), which are then filled wherever a value is missing."""
    defaults = _Defaults(full, read)
    if not wide:
        return xes_defaults.joined(frames, full, defaults)
    values = defaults()
    if values is None:
        return None
    later = frozenset(c for c in values.columns if not c.startswith("case:"))
    whole = xes_defaults.joined(frames, full, defaults, later)
    return None if whole is None else xes_defaults.defaults_filled(whole, values)


class _Defaults:
    """The one row of the defaults the opening's globals declare (``xes_defaults.parsed_defaults``), parsed
    once when first asked for."""

    def __init__(self, full: bytes, read: Callable[[Sequence[Any]], Any]) -> None:
        self.full, self.read = full, read
        self.values: list[Any] = []

    def __call__(self) -> Any | None:
        if not self.values:
            self.values.append(xes_defaults.parsed_defaults(self.full, self.read))
        return self.values[0]


class _Document:
    """A document given as consecutive parts (bytes, bytearray, memoryview), sliced without copying."""

    def __init__(self, parts: Sequence[Any]) -> None:
        self.parts = [memoryview(part) for part in parts]

    def slices(self, start: int, end: int | None) -> list[memoryview]:
        """The parts' views holding bytes ``start`` to ``end`` (None: to the end) of the document."""
        found, offset = [], 0
        for part in self.parts:
            low, high = max(start - offset, 0), len(part) if end is None else min(end - offset, len(part))
            if low < high:
                found.append(part[low:high])
            offset += len(part)
        return found


@contextmanager
def rustxes_reader() -> Iterator[tuple[Callable[[Sequence[Any]], Any], list[bytes]]]:
    """A reader of documents given in parts by rustxes (through one in-memory file; None where rustxes
    refuses one), and what native code wrote on stdout and stderr meanwhile (rustxes's debug lines and
    warnings), in the list's one item once the block ends."""
    import rustxes

    document = os.memfd_create("procmine-xes-piece")

    def read(parts: Sequence[Any]) -> Any | None:
        os.ftruncate(document, 0)
        with open(document, "wb", closefd=False) as out:
            out.seek(0)
            for part in parts:
                out.write(part)
        try:
            found, _meta = rustxes.import_xes(f"/proc/self/fd/{document}")
        except BaseException as exc:  # a Rust panic arrives as pyo3's PanicException (a BaseException)
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            return None
        return found

    try:
        with captured() as said:
            yield read, said
    finally:
        os.close(document)


@contextmanager
def captured() -> Iterator[list[bytes]]:
    """What native code writes on stdout and stderr meanwhile (rustxes's debug lines and warnings),
    in the list's one item once the block ends (also when it raises)."""
    saved = [os.dup(1), os.dup(2)]
    sink = os.memfd_create("procmine-xes-said")
    said = [b""]
    try:
        os.dup2(sink, 1)
        os.dup2(sink, 2)
        yield said
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        said[0] = os.pread(sink, os.fstat(sink).st_size, 0)
        for fd in (*saved, sink):
            os.close(fd)
