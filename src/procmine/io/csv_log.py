"""Read a CSV event log (plain or gzipped) into DuckDB: a table of its columns, as fast as DuckDB can.

The delimiter (``,`` ``;`` tab ``|``) and the encoding (UTF-8, UTF-8 with BOM, else Latin-1) are decided
on the first 64 KiB; DuckDB's multi-threaded reader then parses the file into a table. The columns that
hold the case id, activity, resource and lifecycle are read as text (a case id ``007`` stays ``007``), the
timestamp columns as text too (``timestamps`` parses them); other columns get DuckDB's type inference,
so a satisfaction score becomes a number. A row with the wrong number of fields refuses the file
(exit 2, naming the line) rather than being skipped silently.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from procmine.errors import InputError
from procmine.io import limits
from procmine.io.sql_text import identifier as _q
from procmine.io.sql_text import literal as _quote

DELIMITERS = (",", ";", "\t", "|")
HEAD_BYTES = 64 * 1024
# Missing-value spellings in number, date and boolean columns; in text columns only an empty field is
# missing (``canonical`` and ``timestamps`` treat blank text as missing).
NULL_VALUES = ["", "NA", "N/A", "NaN", "nan", "NULL", "null", "None", "#N/A"]


def read_head(path: Path) -> bytes:
    """The first 64 KiB, and more when the header line is longer (up to the header-bytes limit)."""
    longest = limits.current().header_bytes
    try:
        with gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
            while b"\n" not in head and len(head) <= longest and (more := fh.read(HEAD_BYTES)):
                head += more
    except (OSError, EOFError) as exc:
        raise InputError(path, f"cannot read: {exc}") from exc
    if b"\n" not in head and len(head) > longest:
        raise limits.refuse(path, "the header line is longer than", "header_bytes")
    return head


def sniff_encoding(head: bytes, path: Path | None = None) -> str:
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith(b"\xff\xfe") or _mostly_nul(head[1::2]):
        return "utf-16"  # little-endian, what spreadsheet programs save as "Unicode text"
    if head.startswith(b"\xfe\xff") or _mostly_nul(head[0::2]):
        raise InputError(
            path or "log", "UTF-16 big-endian text, which procmine does not read: save it as UTF-8"
        )
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut in two at the end of the sample
            return "latin-1"
    return "utf-8"


def _mostly_nul(half: bytes) -> bool:
    """True when most bytes at every other position are NUL: UTF-16 of mostly Latin text."""
    return len(half) >= 4 and half.count(0) >= 0.8 * len(half)


def decode_head(head: bytes, encoding: str) -> str:
    if encoding == "utf-16":
        return head[: len(head) // 2 * 2].decode("utf-16-le", errors="ignore").lstrip("\ufeff")
    return head.decode("latin-1" if encoding == "latin-1" else "utf-8", errors="ignore").lstrip("\ufeff")


def sniff_delimiter(text: str, path: Path) -> str:
    """The candidate that splits the header into most fields and the next lines into as many."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if not lines:
        raise InputError(path, "the file is empty")
    if len(lines) > 1 and len(text.encode()) >= HEAD_BYTES - 4:
        lines = lines[:-1]  # the last line of the sample may be cut short
    best, best_fields = None, 1
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
        except csv.Error:  # e.g. a whole long line as one field over the csv module's limit
            continue
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
    encoding = sniff_encoding(head, path)
    text = decode_head(head, encoding)
    delimiter = sniff_delimiter(text, path)
    try:
        header = next(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(path, f"cannot read the header line: {exc}") from None
    if len(header) > limits.current().csv_columns:
        raise limits.refuse(path, f"{len(header):,} columns, over", "csv_columns")
    return header, delimiter, encoding


def repeated_names(header: list[str]) -> list[str]:
    """A note for each column name the header holds more than once (the first is the one a role uses)."""
    counts = Counter(name.strip() for name in header if name.strip())
    return [
        f"column name {name!r} appears {n} times: the first is used, the others are read as "
        f"{', '.join(repr(f'{name}_{i}') for i in range(2, n + 1))}"
        for name, n in counts.items()
        if n > 1
    ]


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


RAW_TABLE = "_raw_csv"


def load_csv(
    con: Any, path: Path, text_columns: Callable[[list[str]], set[str]], relation: str
) -> tuple[list[str], dict[str, Any]]:
    """Read the file into DuckDB and define the view ``relation`` over it (its columns and ``__row``).
    ``text_columns(names)`` says which columns to keep as text. Returns the column names and what was
    sniffed."""
    header, delimiter, encoding = read_header(path)
    names = unique_names(header)
    as_text = text_columns(names)
    try:
        _read(con, path, names, delimiter, encoding, as_text)
    except duckdb.Error as exc:
        message = str(exc)
        if "unicode" in message.lower() or "utf" in message.lower():
            encoding = "latin-1"  # invalid UTF-8 past the sniffed head
            _retry(con, path, names, delimiter, encoding, as_text)
        elif "convert" in message.lower() or "cast" in message.lower():
            # a value later in the file does not fit the type guessed from the first rows: read as text
            _retry(con, path, names, delimiter, encoding, as_text, all_text=True)
        else:
            raise _refusal(path, exc) from exc
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {relation} AS SELECT rowid AS __row, {_retyped(con, as_text)} "
        f"FROM {RAW_TABLE}"
    )
    return names, {"delimiter": delimiter, "encoding": encoding, "repeated": repeated_names(header)}


_COUNTS_PER_QUERY = 200
_FIRST_ROWS = 10_000  # where a text column usually shows a value that is not a number


def _retyped(con: Any, as_text: set[str]) -> str:
    """The select list of the raw table: a column DuckDB kept as text only because it spells a missing
    value (``NA``, ``NULL``...) becomes numbers, those spellings NULL; other text stays as it is."""
    kinds = number_kinds(con, RAW_TABLE, maybe_numbers(con, as_text))
    replace = [f"CAST({missing_as_null(name)} AS {kind}) AS {_q(name)}" for name, kind in kinds.items()]
    return f"* REPLACE ({', '.join(replace)})" if replace else "*"


def maybe_numbers(con: Any, as_text: set[str]) -> list[str]:
    """The text columns of the raw table (but ``as_text``) whose first rows hold only numbers or missing
    values: those may be numbers spelled with ``NA``; only counting every row tells (``number_kinds``)."""
    described = con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {RAW_TABLE})").fetchall()
    others = [name for name, kind in described if kind == "VARCHAR" and name not in as_text]
    return _maybe_numbers(con, others, {name: missing_as_null(name) for name in others})


def missing_as_null(name: str) -> str:
    spelled = ", ".join(f"'{_quote(v)}'" for v in NULL_VALUES)
    return f"(CASE WHEN {_q(name)} IN ({spelled}) THEN NULL ELSE {_q(name)} END)"


def number_kinds(con: Any, table: str, names: list[str]) -> dict[str, str]:
    """Of these text columns of ``table``, those whose every present value (missing spellings aside) is a
    number: BIGINT or DOUBLE."""
    value = {name: missing_as_null(name) for name in names}
    row: list[Any] = []
    for start in range(0, len(names), _COUNTS_PER_QUERY):  # DuckDB binds thousands of aggregates slowly
        counts = ", ".join(
            f"count({v}), count(try_cast({v} AS BIGINT)), count(try_cast({v} AS DOUBLE))"
            for v in (value[name] for name in names[start : start + _COUNTS_PER_QUERY])
        )
        row += con.execute(f"SELECT {counts} FROM {table}").fetchall()[0]
    kinds = {}
    for i, name in enumerate(names):
        present, integers, numbers = row[3 * i : 3 * i + 3]
        if present and integers == present:
            kinds[name] = "BIGINT"
        elif present and numbers == present:
            kinds[name] = "DOUBLE"
    return kinds


def _maybe_numbers(con: Any, names: list[str], value: dict[str, str]) -> list[str]:
    """The columns whose first rows hold only numbers (or missing values): a column with text there stays
    text, so only these need counting over every row (for most text columns that pass would cost more
    than reading them)."""
    first = f"(SELECT * FROM {RAW_TABLE} LIMIT {_FIRST_ROWS})"
    kept: list[str] = []
    for start in range(0, len(names), _COUNTS_PER_QUERY):
        part = names[start : start + _COUNTS_PER_QUERY]
        checks = ", ".join(f"count({value[n]}) = count(try_cast({value[n]} AS DOUBLE))" for n in part)
        row = con.execute(f"SELECT {checks} FROM {first}").fetchall()[0]
        kept += [n for n, numbers in zip(part, row, strict=True) if numbers]
    return kept


def _retry(con: Any, path: Path, *how: Any, all_text: bool = False) -> None:
    """``_read`` again (``how``: its arguments after the path); an error now refuses the file."""
    try:
        _read(con, path, *how, all_text=all_text)
    except duckdb.Error as exc:
        raise _refusal(path, exc) from exc


def _refusal(path: Path, exc: duckdb.Error) -> InputError:
    """Why the file could not be read: out of memory (the limit to raise), or what DuckDB found."""
    from procmine.io.store import out_of_memory

    return out_of_memory(exc) or InputError(path, f"cannot parse as CSV: {_first_line(str(exc))}")


def _read(
    con: Any,
    path: Path,
    names: list[str],
    delimiter: str,
    encoding: str,
    as_text: set[str],
    all_text: bool = False,
) -> None:
    source = csv_source(path, names, delimiter, encoding, as_text, all_text)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {RAW_TABLE} AS SELECT * FROM {source}")


def csv_source(
    path: Path, names: list[str], delimiter: str, encoding: str, as_text: set[str], all_text: bool = False
) -> str:
    """DuckDB's CSV reader with the sniffed dialect: mapped columns as text (only an empty field is
    missing there), the others typed by DuckDB's sniffer, missing-value spellings as NULL. A row with the
    wrong number of fields is an error, not skipped."""
    return _reader(path, _options(path, names, delimiter, encoding, as_text, all_text))


def _options(
    path: Path, names: list[str], delimiter: str, encoding: str, as_text: set[str], all_text: bool = False
) -> dict[str, Any]:
    if not path.exists() or path.is_dir():
        raise InputError(path, "cannot read: no such file")
    return {
        "delim": delimiter,
        "quote": '"',
        "escape": '"',
        "header": True,
        "names": names,
        "encoding": "utf-8" if encoding == "utf-8-sig" else encoding,
        "types": {name: "VARCHAR" for name in as_text},
        "nullstr": "",
        "force_not_null": sorted(as_text),
        "strict_mode": True,
        "null_padding": False,
        "compression": "gzip" if path.name.lower().endswith(".gz") else "none",
        "auto_detect": True,
        "all_varchar": all_text,
        **_line_sizes(),
    }


def _reader(path: Path, options: dict[str, Any]) -> str:
    args = ", ".join(f"{key} = {_literal(value)}" for key, value in options.items())
    return f"read_csv('{_quote(str(path))}', {args})"


_SNIFF_LINE = 1 << 20  # the sniff and the first rows: a longer line is read the two-pass way


def _sniffed_readers(
    con: Any, path: Path, names: list[str], delimiter: str, encoding: str, as_text: set[str]
) -> tuple[str, str]:
    """The reader of the whole file and the reader of its first rows, with what DuckDB's sniffer guesses
    (the column types, date formats, rows to skip; ``sniff_csv`` runs the sniffer ``read_csv`` runs) written
    out, so neither read sniffs again. Raises duckdb.Error where the sniffer cannot read the file. (The
    line end is left to the reader: with ``strict_mode`` and ``new_line`` given, DuckDB 2.0 reads no rows of
    a file with CRLF line ends; without it, the same rows as the sniffing reader, LF, CRLF or CR.)"""
    options = _options(path, names, delimiter, encoding, as_text)
    small = {**options, "max_line_size": _SNIFF_LINE, "buffer_size": 2 * _SNIFF_LINE}
    args = ", ".join(f"{key} = {_literal(value)}" for key, value in small.items())
    comment, skip, columns, date_format, timestamp_format = con.execute(
        "SELECT Comment, SkipRows, Columns, DateFormat, TimestampFormat "
        f"FROM sniff_csv('{_quote(str(path))}', {args})"
    ).fetchall()[0]
    if [c["name"] for c in columns] != names:
        raise duckdb.InvalidInputException("not a file the sniffer's guess can be written out for")
    guessed = {"columns": {c["name"]: c["type"] for c in columns}, "skip": skip}
    if comment != "(empty)":
        guessed["comment"] = comment
    if date_format:
        guessed["dateformat"] = date_format
    if timestamp_format:
        guessed["timestampformat"] = timestamp_format
    unused = ("names", "types", "auto_detect", "all_varchar")
    explicit = {key: value for key, value in options.items() if key not in unused}
    explicit |= {"auto_detect": False, **guessed}
    head = {**explicit, "max_line_size": _SNIFF_LINE, "buffer_size": 2 * _SNIFF_LINE}
    return _reader(path, explicit), _reader(path, head)


def load_head(
    con: Any, path: Path, text_columns: Callable[[list[str]], set[str]], relation: str
) -> tuple[str, dict[str, Any], list[str]] | None:
    """Like ``load_csv``, with only the first rows in the view ``relation``; returns the reader's SQL for
    the whole file, what was sniffed, and the text columns that may be numbers spelled with ``NA`` (only
    counting every row tells: ``number_kinds``). None when the first rows cannot be read."""
    header, delimiter, encoding = read_header(path)
    names = unique_names(header)
    as_text = text_columns(names)
    try:
        source, head = _sniffed_readers(con, path, names, delimiter, encoding, as_text)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {RAW_TABLE} AS SELECT * FROM {head} LIMIT {_FIRST_ROWS}")
    except duckdb.Error:
        return None
    maybe = maybe_numbers(con, as_text)
    con.execute(f"CREATE OR REPLACE TEMP VIEW {relation} AS SELECT rowid AS __row, * FROM {RAW_TABLE}")
    return source, {"delimiter": delimiter, "encoding": encoding, "repeated": repeated_names(header)}, maybe


def _line_sizes() -> dict[str, int]:
    """The longest line DuckDB accepts (as long as the longest header the limits allow, at least 16 MiB)
    and its read buffer: twice that. DuckDB's own buffer would be 16 times the line size, and it keeps
    a few buffers, which alone reserved gigabytes of address space for a log of a megabyte."""
    from procmine.io import limits

    line = max(16 << 20, limits.current().header_bytes)
    return {"max_line_size": line, "buffer_size": 2 * line}


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return f"'{_quote(value)}'"
    if isinstance(value, dict):
        return "{" + ", ".join(f"'{_quote(k)}': {_literal(v)}" for k, v in value.items()) + "}"
    return "[" + ", ".join(_literal(v) for v in value) + "]"


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "unknown error"
