"""Read an XES event log (IEEE 1849; plain or gzipped) into a raw frame: one row per event.

The XML is hostile until proven otherwise: a document type declaration (the door to entity bombs and
external entities) refuses the file, and the parser resolves no entities, loads no DTD and never
touches the network. Elements are cleared as soon as they are read, so memory stays flat.

Columns: event attributes by their XES key (``concept:name``, ``time:timestamp``, ``org:resource``,
``lifecycle:transition``, ...); trace attributes by their key too, *without* a ``case:`` prefix, so the
XES and the CSV of one log give the same column names (``Channel``, not ``case:Channel``). Two
exceptions keep the prefix: the trace's ``concept:name`` becomes ``case:concept:name`` (the case id,
as pm4py names it), and a trace attribute whose key is also an event attribute becomes ``case:KEY``.
Dates stay text here (``timestamps`` converts them, offsets included); list and container values,
which have no single value, are left out, as are nested attributes.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pandas as pd
from lxml import etree

from procmine.errors import InputError

CASE_PREFIX = "case:"
PROLOG_BYTES = 64 * 1024
_SCALAR = {"string", "id", "date", "int", "float", "boolean"}


def _open(path: Path) -> Any:
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb")


def _check_prolog(path: Path) -> None:
    try:
        with _open(path) as fh:
            head = fh.read(PROLOG_BYTES)
    except (OSError, EOFError) as exc:
        raise InputError(path, f"cannot read: {exc}") from exc
    if not head.strip():
        raise InputError(path, "the file is empty")
    upper = head.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise InputError(path, "refused: the XML declares a DOCTYPE or entities (not allowed in an event log)")


def _value(tag: str, raw: str | None) -> Any:
    if raw is None:
        return None
    if tag == "int":
        try:
            return int(raw)
        except ValueError:
            return raw
    if tag == "float":
        try:
            return float(raw)
        except ValueError:
            return raw
    if tag == "boolean":
        return {"true": True, "false": False}.get(raw.strip().lower(), raw)
    return raw


def _local(tag: Any) -> str:
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag.rsplit("}", 1)[-1]


def read_xes(path: Path) -> pd.DataFrame:
    _check_prolog(path)
    events: list[dict[str, Any]] = []
    event_keys: set[str] = set()
    trace_keys: set[str] = set()
    empty_traces = 0
    try:
        with _open(path) as fh:
            parser = etree.iterparse(
                fh, events=("start", "end"), resolve_entities=False, no_network=True,
                load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True,
            )
            depth = 0
            root_seen = False
            trace_attrs: dict[str, Any] = {}
            trace_events: list[dict[str, Any]] = []
            current: dict[str, Any] | None = None
            for action, element in parser:
                tag = _local(element.tag)
                if action == "start":
                    depth += 1
                    if depth == 1:
                        if tag != "log":
                            raise InputError(path, f"not an XES log: the root element is <{tag}>, not <log>")
                        root_seen = True
                    elif depth == 2 and tag == "trace":
                        trace_attrs, trace_events = {}, []
                    elif depth == 3 and tag == "event":
                        current = {}
                    continue
                depth -= 1
                if depth == 2 and tag in _SCALAR and current is None:  # trace attribute
                    key = element.get("key")
                    if key is not None:
                        trace_attrs[key] = _value(tag, element.get("value"))
                elif depth == 3 and tag in _SCALAR and current is not None:  # event attribute
                    key = element.get("key")
                    if key is not None:
                        current[key] = _value(tag, element.get("value"))
                elif depth == 2 and tag == "event" and current is not None:
                    trace_events.append(current)
                    event_keys.update(current)
                    current = None
                    element.clear()
                elif depth == 1 and tag == "trace":
                    if not trace_events:
                        empty_traces += 1
                    trace_keys.update(trace_attrs)
                    prefixed = {CASE_PREFIX + k: v for k, v in trace_attrs.items()}
                    for event in trace_events:
                        event.update(prefixed)
                    events.extend(trace_events)
                    element.clear()
                    while element.getprevious() is not None:
                        del element.getparent()[0]
                elif depth == 1 and tag == "event":  # an event outside any trace: no case
                    element.clear()
            if not root_seen:
                raise InputError(path, "not an XES log: no <log> element")
    except etree.XMLSyntaxError as exc:
        raise InputError(path, f"not well-formed XML: {exc}") from exc
    except (OSError, EOFError) as exc:
        raise InputError(path, f"cannot read: {exc}") from exc
    frame = pd.DataFrame.from_records(events) if events else pd.DataFrame()
    frame = frame.rename(columns=_trace_column_names(trace_keys, event_keys))
    frame.attrs["empty_traces"] = empty_traces
    return frame


def _trace_column_names(trace_keys: set[str], event_keys: set[str]) -> dict[str, str]:
    """``case:KEY`` -> ``KEY`` where that is free (see the module docstring)."""
    return {
        CASE_PREFIX + key: key
        for key in trace_keys
        if key != "concept:name" and key not in event_keys
    }
