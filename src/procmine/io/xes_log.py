"""Read an XES event log (IEEE 1849; plain or gzipped) into a raw frame: one row per event.

The XML is hostile until proven otherwise: a document type declaration (the door to entity bombs and
external entities) refuses the file, and the parser resolves no entities, loads no DTD and never
touches the network. Elements are cleared as soon as they are read, so memory stays flat.

Column detection looks for the activity, times and resource among event attributes only (a trace's
``startdate`` is not an event's start time). Columns: event attributes by their XES key
(``concept:name``, ``time:timestamp``, ``org:resource``,
``lifecycle:transition``, ...); trace attributes by their key too, *without* a ``case:`` prefix, so the
XES and the CSV of one log give the same column names (``Channel``, not ``case:Channel``). Two
exceptions keep the prefix: the trace's ``concept:name`` becomes ``case:concept:name`` (the case id,
as pm4py names it), and a trace attribute whose key is also an event attribute becomes ``case:KEY``.

Two parsers give the same frame: rustxes (Rust, 5-10x faster) when it is installed and the log's
dates need no ``--timezone`` (it reads dates itself, offsets converted to UTC, dates without one as
UTC); otherwise, or when rustxes rejects the file (it panics on several XES edge cases), lxml's
``iterparse``, which keeps dates as text for ``timestamps`` to convert. With lxml, list and container
values, which have no single value, are left out, as are nested attributes; rustxes keeps a list's
text form.
"""

from __future__ import annotations

import gzip
import importlib.util
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from procmine.errors import InputError
from procmine.io import rustxes_parse
from procmine.io.input_files import LogFileFacts, check_log_file

if TYPE_CHECKING:
    import pandas as pd

CASE_PREFIX = "case:"
TRACE_COLUMNS = "trace_columns"  # frame.attrs key: the columns that came from trace attributes
_SCALAR = {"string", "id", "date", "int", "float", "boolean"}


def _open(path: Path) -> Any:
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb")


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


def read_xes(
    path: Path, timezone: str = "UTC", facts: LogFileFacts | None = None, arrow: bool = False
) -> tuple[Any, str]:
    """The raw frame and the parser that produced it (rustxes or lxml). ``facts`` come from the input
    check (``input_files.check_log_file``), which refuses a DOCTYPE and deep nesting before any parser.
    ``arrow``: rustxes's events as ``ArrowEvents`` where they can be (DuckDB stores them as the frame)."""
    if facts is None:
        facts = check_log_file(path, "xes")
    if timezone == "UTC" and _safe_for_rustxes(facts):
        frame = _read_with_rustxes(path, arrow, facts)
        if frame is not None:
            return frame, "rustxes"
    facts.expanded = None  # (the bytes the check kept for rustxes: not held while lxml reads the file)
    return _read_with_lxml(path), "lxml"


def _safe_for_rustxes(facts: LogFileFacts) -> bool:
    """rustxes reads only the first member of a gzip file, returns the events of a truncated file
    without complaint, reads UTF-8 only and crashes the process on deep nesting: those go to lxml."""
    complete = facts.members == 1 and facts.tail.rstrip().endswith(b"log>")
    return complete and rustxes_parse.safe_markup(facts.xml)


def _read_with_rustxes(path: Path, arrow: bool = False, facts: LogFileFacts | None = None) -> Any:
    if importlib.util.find_spec("rustxes") is None:
        return None
    try:
        with _silenced():  # rustxes prints debug lines and panic backtraces on the raw descriptors
            events = rustxes_parse.events(str(path), facts)
    except BaseException as exc:  # a Rust panic arrives as pyo3's PanicException (a BaseException)
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        return None
    table = table_from_rustxes(events) if arrow else None
    return table if table is not None else frame_from_rustxes(events)


def frame_from_rustxes(events: Any) -> pd.DataFrame:
    """The raw frame of rustxes's events: dates in UTC, trace attributes named as in the docstring."""
    import pandas as pd

    frame = events.to_pandas()
    for column in frame.columns:
        if pd.api.types.is_datetime64_dtype(frame[column].dtype) and not isinstance(
            frame[column].dtype, pd.DatetimeTZDtype
        ):
            frame[column] = frame[column].dt.tz_localize("UTC")  # rustxes gives UTC without the zone
    trace_keys = {c[len(CASE_PREFIX) :] for c in frame.columns if c.startswith(CASE_PREFIX)}
    event_keys = {c for c in frame.columns if not c.startswith(CASE_PREFIX)}
    names = _trace_column_names(trace_keys, event_keys)
    frame = frame.rename(columns=names)[sorted(frame.columns.map(lambda c: names.get(c, c)))]
    frame.attrs[TRACE_COLUMNS] = sorted(names.get(CASE_PREFIX + k, CASE_PREFIX + k) for k in trace_keys)
    return frame


@dataclass
class ArrowEvents:
    """rustxes's events ready for DuckDB (``table_from_rustxes``: a polars frame, read by DuckDB through
    the Arrow C stream interface, so neither pyarrow nor pandas is needed), with what a raw frame tells
    the reader: its column names, its row count and its ``attrs`` (the trace columns)."""

    table: Any  # a polars DataFrame
    attrs: dict[str, list[str]]

    @property
    def columns(self) -> list[str]:
        return list(self.table.columns)

    def __len__(self) -> int:
        return int(self.table.height)

    def numbered(self) -> Any:
        """The events with their row numbers first (``__row``, from 0), as DuckDB reads them. An attribute
        named ``__row`` stays beside them, as DuckDB names a second column of a name (``__row_1``...),
        which takes an Arrow table (pyarrow): a polars frame holds each name once."""
        import polars as pl

        if "__row" in self.table.columns:
            import numpy as np
            import pyarrow as pa

            table = self.table.to_arrow()
            return table.add_column(0, "__row", pa.array(np.arange(len(self), dtype=np.int64)))
        return ArrowStream(self.table.select(pl.int_range(pl.len(), dtype=pl.Int64).alias("__row"), pl.all()))

    def rows_on(self, con: Any) -> Any:
        """``drops.SourceRows`` of these events on ``con``: the numbered events whose numbers a table lists,
        picked out of the frame and registered on ``con`` (None when an attribute is named ``__row``)."""
        import polars as pl

        def rows(listing: str) -> str | None:
            if "__row" in self.table.columns:
                return None
            listed = con.execute(f'SELECT "row" FROM {listing} ORDER BY 1').fetchall()
            numbers = pl.Series("__row", [n for (n,) in listed], dtype=pl.Int64)
            picked = self.table[numbers].select(numbers, pl.all())
            con.register("_raw_xes_rows", ArrowStream(picked))
            return "_raw_xes_rows"

        return rows


class ArrowStream:
    """A frame seen through the Arrow PyCapsule stream interface alone: DuckDB scans it without pyarrow
    (given the frame itself, DuckDB asks pyarrow to convert it)."""

    def __init__(self, frame: Any) -> None:
        self._frame = frame

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        return self._frame.__arrow_c_stream__(requested_schema)


def table_from_rustxes(events: Any) -> ArrowEvents | None:
    """rustxes's events as the Arrow data that DuckDB stores exactly as it stores the pandas frame of
    ``frame_from_rustxes`` (the same column types and values: dates in UTC to the microsecond, a float's
    NaN and an integer column with blanks as DuckDB reads them from pandas), without pandas's copy;
    None when a column is of a type not checked to be stored the same (then the frame is used)."""
    import polars as pl

    columns = []
    for name, dtype in events.schema.items():
        column = pl.col(name)
        if dtype in (pl.String, pl.Boolean):
            columns.append(column)
        elif dtype == pl.Int64:  # pandas holds an integer column with blanks as floats
            columns.append(column.cast(pl.Float64) if events[name].null_count() else column)
        elif dtype == pl.Float64:  # DuckDB reads pandas's NaN as NULL
            columns.append(column.fill_nan(None))
        elif isinstance(dtype, pl.Datetime) and dtype.time_unit == "ns" and dtype.time_zone is None:
            if (events[name].dt.epoch("ns") % 1000 != 0).any():  # rounding to DuckDB's microseconds
                return None
            columns.append(column.dt.cast_time_unit("us").dt.replace_time_zone("UTC"))
        else:
            return None
    trace_keys = {c[len(CASE_PREFIX) :] for c in events.columns if c.startswith(CASE_PREFIX)}
    event_keys = {c for c in events.columns if not c.startswith(CASE_PREFIX)}
    names = _trace_column_names(trace_keys, event_keys)
    ready = events.select(columns).rename(names)
    trace_columns = sorted(names.get(CASE_PREFIX + k, CASE_PREFIX + k) for k in trace_keys)
    return ArrowEvents(ready.select(sorted(ready.columns)), {TRACE_COLUMNS: trace_columns})


@contextmanager
def _silenced() -> Iterator[None]:
    saved = [os.dup(1), os.dup(2)]
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, devnull):
            os.close(fd)


def _read_with_lxml(path: Path) -> pd.DataFrame:
    import pandas as pd

    collected = _Collector()
    try:
        with _open(path) as fh:
            parser = etree.iterparse(
                fh,
                events=("start", "end"),
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                huge_tree=False,
                remove_comments=True,
                remove_pis=True,
            )
            depth = 0
            root_seen = False
            for action, element in parser:
                tag = _local(element.tag)
                if action == "start":
                    depth += 1
                    if depth == 1 and tag != "log":
                        raise InputError(path, f"not an XES log: the root element is <{tag}>, not <log>")
                    root_seen = True
                    collected.start(depth, tag)
                else:
                    depth -= 1
                    collected.end(depth, tag, element)
            if not root_seen:
                raise InputError(path, "not an XES log: no <log> element")
    except etree.XMLSyntaxError as exc:
        raise InputError(path, f"not well-formed XML: {exc}") from exc
    except (OSError, EOFError) as exc:
        raise InputError(path, f"cannot read: {exc}") from exc
    events = collected.events
    frame = pd.DataFrame.from_records(events) if events else pd.DataFrame()
    names = _trace_column_names(collected.trace_keys, collected.event_keys)
    frame = frame.rename(columns=names)
    frame.attrs[TRACE_COLUMNS] = sorted(
        names.get(CASE_PREFIX + k, CASE_PREFIX + k) for k in collected.trace_keys
    )
    return frame


class _Collector:
    """The events of one streaming pass over an XES file: each event's attributes with its trace's
    attributes (``case:`` prefixed), and the keys seen; elements are freed as soon as they are read."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.event_keys: set[str] = set()
        self.trace_keys: set[str] = set()
        self.trace_attrs: dict[str, Any] = {}
        self.trace_events: list[dict[str, Any]] = []
        self.current: dict[str, Any] | None = None

    def start(self, depth: int, tag: str) -> None:
        if depth == 2 and tag == "trace":
            self.trace_attrs, self.trace_events = {}, []
        elif depth == 3 and tag == "event":
            self.current = {}

    def end(self, depth: int, tag: str, element: Any) -> None:
        """``depth``: of the element's parent."""
        if depth == 2 and tag in _SCALAR and self.current is None:  # trace attribute
            self._attribute(self.trace_attrs, tag, element)
        elif depth == 3 and tag in _SCALAR and self.current is not None:  # event attribute
            self._attribute(self.current, tag, element)
        elif depth == 2 and tag == "event" and self.current is not None:
            self.trace_events.append(self.current)
            self.event_keys.update(self.current)
            self.current = None
            element.clear()
        elif depth == 1 and tag == "trace":
            self._end_trace(element)
        elif depth == 1 and tag == "event":  # an event outside any trace: no case
            element.clear()

    @staticmethod
    def _attribute(into: dict[str, Any], tag: str, element: Any) -> None:
        key = element.get("key")
        if key is not None:
            into[key] = _value(tag, element.get("value"))

    def _end_trace(self, element: Any) -> None:
        self.trace_keys.update(self.trace_attrs)
        prefixed = {CASE_PREFIX + k: v for k, v in self.trace_attrs.items()}
        for event in self.trace_events:
            event.update(prefixed)
        self.events.extend(self.trace_events)
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]


def _trace_column_names(trace_keys: set[str], event_keys: set[str]) -> dict[str, str]:
    """``case:KEY`` -> ``KEY`` where that is free (see the module docstring)."""
    return {CASE_PREFIX + key: key for key in trace_keys if key != "concept:name" and key not in event_keys}
