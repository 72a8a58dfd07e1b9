"""rustxes, the Rust XES parser: what it can take safely, and the one call that runs it.

Kept apart from ``xes_log`` (which needs pandas) so that a process reading half of a log
(``xes_halves``) imports only what the parse needs.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from procmine.io.input_files import LogFileFacts
    from procmine.io.xml_scan import XmlFacts

MAX_DEPTH = 200  # it overflows its stack somewhere between 3,000 and 10,000 levels
pools_started = False  # rustxes or polars ran in this process: their thread pools exist (see xes_halves)
WIDE_MAX = 256 << 20  # expanded bytes: a log read without its event defaults is held in memory meanwhile
_HEAD = 1 << 20  # a log's header (all before its first trace) is looked for there; past it: not wide
MIXED = b"contains values of different dtypes"  # rustxes's warning for an attribute of several types


def safe_markup(xml: XmlFacts | None) -> bool:
    """Markup rustxes reads safely: regular, UTF-8 and not nested too deep."""
    return xml is not None and xml.regular and not xml.utf16 and xml.max_depth <= MAX_DEPTH


def events(path: str, facts: LogFileFacts | None = None) -> Any:
    """rustxes's events (a polars frame) of the XES document at ``path``, columns sorted (rustxes orders
    them differently from run to run). Parsed in pieces when its ``facts`` (the input check's) say where
    (``xes_pieces``); else a log that declares many event defaults is parsed without them, which are filled
    after (``xes_defaults.without_event_defaults``): the same frame, cheaper. Raises what rustxes raises
    (a panic: pyo3's PanicException)."""
    global pools_started
    import rustxes

    pools_started = True
    found = None
    expanded = facts.expanded if facts is not None else None  # (the input check's copy, if it kept one)
    if facts is not None:
        facts.expanded = None  # (freed once parsed)
    if facts is not None and facts.xml is not None and facts.xml.trace_cuts and facts.size <= WIDE_MAX:
        found = _pieces_of_file(path, facts.xml.trace_cuts, expanded)
    if found is None:
        found = _without_event_defaults(path, expanded)
    if found is None:
        found, _meta = rustxes.import_xes(path)
    return found.select(sorted(found.columns))


def in_pieces(parts: Sequence[Any], cuts: Sequence[int]) -> Any | None:
    """rustxes's events of the document made of ``parts``, parsed in pieces starting at ``cuts``
    (``xes_pieces``), columns sorted; None when it cannot be parsed so (rustxes refused a piece, or the
    frame could differ from one whole parse)."""
    global pools_started
    from procmine.io import xes_pieces

    if len(cuts) < 2:
        return None
    pools_started = True
    with xes_pieces.rustxes_reader() as (read, said):
        found = xes_pieces.events(parts, cuts, read)
    if found is None or MIXED in said[0]:
        return None
    return found.select(sorted(found.columns))


def _pieces_of_file(path: str, cuts: Sequence[int], expanded: list[bytes] | None = None) -> Any | None:
    from pathlib import Path

    from procmine.io.input_files import Expansion

    if expanded is not None:
        return in_pieces(expanded, cuts)
    data = bytearray()  # (each chunk copied in and freed at once: its memory serves the next chunk)
    for chunk in Expansion(Path(path)).chunks():
        data += chunk
    return in_pieces([data], cuts)


def _without_event_defaults(path: str, expanded: list[bytes] | None = None) -> Any | None:
    from procmine.io import xes_defaults

    if not hasattr(os, "memfd_create"):
        return None
    data = _wide_document(path, expanded)
    if data is None:
        return None
    end = data.find(b"<trace", 0, _HEAD)
    return xes_defaults.without_event_defaults(data, data[:end], _parsed)


def _wide_document(path: str, expanded: list[bytes] | None) -> bytes | None:
    """The expanded document (from the input check's chunks when it kept them, else the file) when its
    header declares many event defaults and it is at most ``WIDE_MAX`` bytes; None otherwise, read no
    further than its head."""
    if expanded is not None:
        head = b"".join(_first_bytes(expanded, _HEAD))
        return b"".join(expanded) if _declares_many_event_defaults(head) else None
    with open(path, "rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
    with gzip.open(path, "rb") if gzipped else open(path, "rb") as fh:
        data = fh.read(_HEAD)
        if not _declares_many_event_defaults(data):
            return None
        data += fh.read(WIDE_MAX + 1 - len(data))
    return data if len(data) <= WIDE_MAX else None


def _declares_many_event_defaults(head: bytes) -> bool:
    from procmine.io import xes_defaults

    end = head.find(b"<trace")
    return end >= 0 and xes_defaults.event_default_count(head[:end]) >= xes_defaults.WIDE


def _first_bytes(parts: Sequence[bytes], size: int) -> list[bytes]:
    """The parts' first ``size`` bytes, as slices of them."""
    out: list[bytes] = []
    for part in parts:
        if size <= 0:
            break
        out.append(part[:size])
        size -= len(out[-1])
    return out


def _parsed(parts: Sequence[Any]) -> Any | None:
    """rustxes's events of the XES document made of ``parts``; None when it reports an attribute of values
    of several types (it makes such a column text, which defaults filled afterwards would not be)."""
    import rustxes

    from procmine.io.xes_pieces import captured

    document = os.memfd_create("procmine-xes-document")
    try:
        with open(document, "wb", closefd=False) as out:
            for part in parts:
                out.write(part)
        with captured() as said:
            found, _meta = rustxes.import_xes(f"/proc/self/fd/{document}")
    finally:
        os.close(document)
    return None if MIXED in said[0] else found
