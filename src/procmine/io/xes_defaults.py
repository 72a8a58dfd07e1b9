"""An attribute one half of a log has and the other lacks, when a ``<global>`` of the log gives it a default.

rustxes fills a trace's or event's missing value with the default its ``<global>`` declares, but only in a
document where some trace or event has the attribute. When a log is read in two halves (``xes_halves``) and
only one half has the attribute, the whole read has the default in every row of the other half (BPIC 2015's
logs, the 2020 Permit log: 44,217 values of BPIC 2015_1): ``with_defaults`` gives that half a column of the
default. The default's value and type are rustxes's own: it parses a document of the log's opening and one
trace holding the trace-scope declarations' attributes, with one event holding the event-scope ones.

The same defaults make a wide log cheaper to parse (``without_event_defaults``): rustxes builds a default's
value in every event that lacks the attribute, so a log that declares many (the Permit log: 175, its events
hold about 20 each) is parsed without its event-scope ``<global>`` elements and the defaults are filled
after, where a value is missing, which gives rustxes's frame of the whole document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from html import unescape
from typing import Any

_KEY = re.compile(rb"""\skey\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_GLOBAL = re.compile(rb"<global(\s[^>]*)?>(.*?)</global\s*>", re.DOTALL)
_SCOPE = re.compile(rb"""\sscope\s*=\s*(?:"([^"]*)"|'([^']*)')""")

Reader = Callable[[Sequence[Any]], Any]  # rustxes's events of a document given in parts; None if refused


def with_defaults(first: Any, second: Any, opening: bytes, read: Reader) -> tuple[Any, Any] | None:
    """Both halves' events (polars frames), each given the defaulted attributes only the other has, as
    rustxes would have filled them in one whole read; None when the defaults cannot be had that way."""
    keys = global_keys(opening)
    lacking = set(first.columns) ^ set(second.columns)
    wanted = sorted(c for c in lacking if c in keys or c.removeprefix("case:") in keys)
    if not wanted:
        return first, second
    values = _parsed_defaults(opening, read)
    if values is None or not set(wanted) <= set(values.columns):
        return None
    return _filled(first, values, wanted), _filled(second, values, wanted)


def global_keys(opening: bytes) -> frozenset[str]:
    """The keys the opening gives a value (its globals' defaults), as written and with XML's escapes
    undone."""
    keys = [(a or b).decode(errors="replace") for a, b in _KEY.findall(opening)]
    return frozenset(keys) | {unescape(key) for key in keys}


def _parsed_defaults(opening: bytes, read: Reader) -> Any | None:
    """rustxes's one row of the defaults: trace-scope ones as ``case:`` columns."""
    found = _GLOBAL.findall(opening)
    if opening.count(b"<global") != len(found):
        return None
    scoped: dict[bytes, list[bytes]] = {b"trace": [], b"event": []}
    for attributes, body in found:
        kind = _scope(attributes)
        if kind not in scoped:
            return None
        scoped[kind].append(body)
    event = b"<event>" + b"".join(scoped[b"event"]) + b"</event>"
    trace = b"<trace>" + b"".join(scoped[b"trace"]) + event + b"</trace>"
    values = read((opening, trace, b"\n</log>\n"))
    return values if values is not None and values.height == 1 else None


def _filled(half: Any, values: Any, wanted: list[str]) -> Any:
    import numpy as np

    first_row = np.zeros(half.height, dtype=np.uint32)
    return half.with_columns([values[c].gather(first_row) for c in wanted if c not in half.columns])


# Event defaults a log declares from which rustxes's own filling costs more than filling them here: it
# builds the default's value in every event that lacks the attribute (the BPIC 2020 Permit log declares 175,
# its events hold about 20 each: 1.7 of rustxes's 5.2 s of CPU; logs with 20-30 defaults gain nothing).
WIDE = 32


def event_default_count(header: bytes) -> int:
    """The keys the event-scope ``<global>`` elements of a log's ``header`` give a default."""
    scoped = _GLOBAL.findall(header)
    return sum(len(_KEY.findall(body)) for attributes, body in scoped if _scope(attributes) == b"event")


def without_event_defaults(data: bytes, header: bytes, read: Reader) -> Any | None:
    """rustxes's events of the XES document ``data`` (which starts with ``header``, everything before its
    first trace), parsed without the header's event-scope ``<global>`` elements, each attribute they give a
    default then filled with it where an event lacks it, as rustxes fills it in a whole read: the same frame.
    None when the log declares fewer than ``WIDE`` such defaults, or the frame could differ."""
    if header.count(b"<global") != len(_GLOBAL.findall(header)) or event_default_count(header) < WIDE:
        return None
    if b"<!" in header[header.index(b"<global") :]:  # (a comment or CDATA could hide or fake a <global>)
        return None
    values = _parsed_defaults(header, read)
    if values is None:
        return None
    kept, start = [], 0
    for found in _GLOBAL.finditer(header):
        if _scope(found.group(1)) == b"event":
            kept.append(memoryview(data)[start : found.start()])
            start = found.end()
    events = read((*kept, memoryview(data)[start:]))
    return None if events is None else _defaults_filled(events, values)


def _scope(attributes: bytes | None) -> bytes:
    scope = _SCOPE.search(attributes or b"")
    return (scope.group(1) or scope.group(2)) if scope else b"event"  # (XES: event unless said)


def _defaults_filled(events: Any, values: Any) -> Any | None:
    """``events`` with each event default of ``values`` (its one row) filled where the value is missing;
    None when a default's type is not its column's (rustxes would have made it a column of text)."""
    import polars as pl

    defaults = [c for c in values.columns if not c.startswith("case:")]
    types, default_types = events.schema, values.schema  # (built on each call: once, not per default)
    filled = []
    for column in defaults:
        if column not in types:  # (as rustxes: no event has it, no column, whatever the traces hold)
            continue
        if types[column] != default_types[column]:
            return None
        filled.append(pl.col(column).fill_null(pl.lit(values[column])))
    return events.with_columns(filled)
