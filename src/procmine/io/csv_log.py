"""Read a CSV event log (plain or gzipped) into a raw frame of its columns, as fast as Arrow can.

The delimiter (``,`` ``;`` tab ``|``) and the encoding (UTF-8, UTF-8 with BOM, else Latin-1) are decided
on the first 64 KiB; Arrow's multi-threaded reader then parses the file. The columns that hold the
case id, activity, resource and lifecycle are read as text (a case id ``007`` stays ``007``), the
timestamp columns as text too (``timestamps`` parses them); other columns get Arrow's type inference,
so a satisfaction score becomes a number. A row with the wrong number of fields refuses the file
(exit 2, naming the line) rather than being skipped silently.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from procmine.errors import InputError

DELIMITERS = (",", ";", "\t", "|")
HEAD_BYTES = 64 * 1024
# Missing-value spellings in number, date and boolean columns; in text columns only an empty field is
# missing (``canonical`` and ``timestamps`` treat blank text as missing).
NULL_VALUES = ["", "NA", "N/A", "NaN", "nan", "NULL", "null", "None", "#N/A"]


def read_head(path: Path) -> bytes:
    try:
        if path.name.lower().endswith(".gz"):
            with gzip.open(path, "rb") as fh:
                return fh.read(HEAD_BYTES)
        with path.open("rb") as fh:
            return fh.read(HEAD_BYTES)
    except (OSError, EOFError) as exc:
        raise InputError(path, f"cannot read: {exc}") from exc


def sniff_encoding(head: bytes) -> str:
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut in two at the end of the sample
            return "latin-1"
    return "utf-8"


def sniff_delimiter(text: str, path: Path) -> str:
    """The candidate that splits the header into most fields and the next lines into as many."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if not lines:
        raise InputError(path, "the file is empty")
    if len(lines) > 1 and len(text.encode()) >= HEAD_BYTES - 4:
        lines = lines[:-1]  # the last line of the sample may be cut short
    best, best_fields = None, 1
    for delimiter in DELIMITERS:
        rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
        fields = len(rows[0])
        consistent = sum(len(r) == fields for r in rows) >= 0.9 * len(rows)
        if consistent and fields > best_fields:
            best, best_fields = delimiter, fields
    if best is None:
        raise InputError(path, "cannot tell the field delimiter (tried , ; tab |): is this a CSV file?")
    return best


def read_header(path: Path) -> tuple[list[str], str, str]:
    """Column names, delimiter and encoding, from the head of the file."""
    head = read_head(path)
    encoding = sniff_encoding(head)
    text = head.decode("latin-1" if encoding == "latin-1" else "utf-8", errors="ignore").lstrip("\ufeff")
    delimiter = sniff_delimiter(text, path)
    header = next(csv.reader(io.StringIO(text), delimiter=delimiter))
    return header, delimiter, encoding


def unique_names(header: list[str]) -> list[str]:
    """Blank names become ``column_N``; repeated names get ``_2``, ``_3`` (as Arrow needs unique names)."""
    out: list[str] = []
    seen: set[str] = set()
    for i, name in enumerate(header, start=1):
        name = name.strip() or f"column_{i}"
        candidate, n = name, 2
        while candidate in seen:
            candidate, n = f"{name}_{n}", n + 1
        seen.add(candidate)
        out.append(candidate)
    return out


def read_csv(
    path: Path, text_columns: Callable[[list[str]], set[str]]
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The raw frame and what was sniffed. ``text_columns(names)`` says which columns to keep as text."""
    header, delimiter, encoding = read_header(path)
    names = unique_names(header)
    as_text = text_columns(names)
    convert = pacsv.ConvertOptions(
        column_types={name: pa.string() for name in as_text},
        null_values=NULL_VALUES,
        strings_can_be_null=False,  # a case named "NA" (Sepsis has one) is a name, not a gap
    )
    parse = pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=False)
    try:
        table = _read(path, encoding, names, parse, convert)
    except pa.ArrowInvalid as exc:
        message = str(exc)
        if "UTF8" in message or "utf8" in message or "UTF-8" in message:
            encoding = "latin-1"  # invalid UTF-8 past the sniffed head
            table = _retry(path, encoding, names, parse, convert)
        elif "Expected" in message and "columns" in message:
            # maybe a quoted field spans lines: slower parse that allows it
            parse = pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True)
            table = _retry(path, encoding, names, parse, convert)
        else:
            raise InputError(path, f"cannot parse as CSV: {_first_line(message)}") from exc
    table = _blank_as_missing(table, as_text)
    frame = table.to_pandas(split_blocks=True, self_destruct=True)
    return frame, {"delimiter": delimiter, "encoding": encoding}


def _blank_as_missing(table: pa.Table, keep: set[str]) -> pa.Table:
    """An empty field in a text column other than the mapped ones is a missing value."""
    for i, field in enumerate(table.schema):
        if field.name not in keep and pa.types.is_string(field.type):
            column = table.column(i)
            table = table.set_column(i, field, pc.if_else(pc.equal(column, ""), None, column))
    return table


def _retry(path: Path, encoding: str, names: list[str], parse, convert) -> pa.Table:  # type: ignore[no-untyped-def]
    try:
        return _read(path, encoding, names, parse, convert)
    except pa.ArrowInvalid as exc:
        raise InputError(path, f"cannot parse as CSV: {_first_line(str(exc))}") from exc


def _read(path: Path, encoding: str, names: list[str], parse, convert) -> pa.Table:  # type: ignore[no-untyped-def]
    read = pacsv.ReadOptions(
        encoding="utf8" if encoding == "utf-8-sig" else encoding,
        column_names=names,
        skip_rows=1,
        block_size=16 << 20,
    )
    try:
        return pacsv.read_csv(str(path), read_options=read, parse_options=parse, convert_options=convert)
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc}") from exc


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "unknown error"
