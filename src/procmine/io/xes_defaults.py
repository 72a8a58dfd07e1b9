"""An attribute one part of a log has and another lacks, when a ``<global>`` of the log gives it a default.

rustxes fills a trace's or event's missing value with the default its ``<global>`` declares, but only in a
document where some trace or event has the attribute. When a log is read in parts (two halves at once,
``xes_halves``; pieces of about a megabyte, ``xes_pieces``) and only some parts have the attribute, the
whole read has the default in every row of the others (BPIC 2015's logs, the 2020 Permit log: 44,217 values
of BPIC 2015_1): ``joined`` gives them the default's value. The default's value and type are rustxes's
own: it parses a document of the log's opening and one trace holding the trace-scope declarations'
attributes, with one event holding the event-scope ones.

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


def joined(
    frames: list[Any], opening: bytes, defaults: Callable[[], Any], later: frozenset[str] = frozenset()
) -> Any | None:
    """The events of a log's parts (polars frames) one after the other, the parts that lack an attribute
    others have given the default a ``<global>`` of the ``opening`` declares for it, as one whole read fills
    it in every event that lacks it; None when an attribute has two types, or such a default cannot be had.
    ``defaults``: the one row of the opening's defaults (``parsed_defaults``), asked for only when needed;
    ``later``: the attributes whose missing values the caller fills anyway (``defaults_filled``)."""
    import polars as pl

    if not one_type_each(frames):
        return None
    keys = global_keys(opening)
    every: set[str] = set().union(*(frame.columns for frame in frames))
    lacking = every - set.intersection(*(set(frame.columns) for frame in frames))
    wanted = sorted(c for c in lacking - later if c in keys or c.removeprefix("case:") in keys)
    whole = pl.concat(frames, how="diagonal")
    if not wanted:
        return whole
    values = defaults()
    if values is None or not set(wanted) <= set(values.columns):
        return None
    types, default_types = whole.schema, values.schema
    if any(types[c] != default_types[c] for c in wanted):
        return None
    return whole.with_columns(_where_lacking(frames, c, values[c]) for c in wanted)


def one_type_each(frames: list[Any]) -> bool:
    """Does every column have one type in every frame that has it?"""
    seen: dict[str, Any] = {}
    for frame in frames:
        for name, dtype in frame.schema.items():  # (a polars frame builds its schema on each call: once)
            if seen.setdefault(name, dtype) != dtype:
                return False
    return True


def _where_lacking(frames: list[Any], column: str, value: Any) -> Any:
    """The ``column`` of the frames one after the other, ``value`` (a series of one) in the rows of the
    frames that lack it."""
    import numpy as np
    import polars as pl

    lacking = np.zeros(sum(frame.height for frame in frames), dtype=bool)
    start = 0
    for frame in frames:
        if column not in frame.columns:
            lacking[start : start + frame.height] = True
        start += frame.height
    return pl.when(pl.Series(lacking)).then(pl.lit(value)).otherwise(pl.col(column)).alias(column)


def global_keys(opening: bytes) -> frozenset[str]:
    """The keys the opening gives a value (its globals' defaults), as written and with XML's escapes
    undone."""
    keys = [(a or b).decode(errors="replace") for a, b in _KEY.findall(opening)]
    return frozenset(keys) | {unescape(key) for key in keys}


def parsed_defaults(opening: bytes, read: Reader) -> Any | None:
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
    stripped = without_event_globals(header)
    if stripped is None:
        return None
    values = parsed_defaults(header, read)
    if values is None:
        return None
    events = read((stripped, memoryview(data)[len(header) :]))
    return None if events is None else defaults_filled(events, values)


def without_event_globals(header: bytes) -> bytes | None:
    """The ``header`` without its event-scope ``<global>`` elements, when it declares at least ``WIDE``
    event defaults (filled after: ``defaults_filled``) and nothing could hide or fake a ``<global>``;
    else None."""
    if header.count(b"<global") != len(_GLOBAL.findall(header)) or event_default_count(header) < WIDE:
        return None
    if b"<!" in header[header.index(b"<global") :]:  # (a comment or CDATA could hide or fake a <global>)
        return None
    kept, start = [], 0
    for found in _GLOBAL.finditer(header):
        if _scope(found.group(1)) == b"event":
            kept.append(header[start : found.start()])
            start = found.end()
    return b"".join(kept) + header[start:]


def _scope(attributes: bytes | None) -> bytes:
    scope = _SCOPE.search(attributes or b"")
    return (scope.group(1) or scope.group(2)) if scope else b"event"  # (XES: event unless said)


def defaults_filled(events: Any, values: Any) -> Any | None:
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
        value = values[column]  # (text as a scalar: filled in half the time of a series of one)
        default = pl.lit(value[0], dtype=pl.String) if value.dtype == pl.String else pl.lit(value)
        filled.append(pl.col(column).fill_null(default))
    return events.with_columns(filled)
