"""``read_log``: the one way procmine reads an event log (CSV, gzipped CSV, XES, gzipped XES, Parquet).

Every format is first read into DuckDB as a relation of its own columns (CSV and Parquet by DuckDB's own
readers, XES by the Rust reader into Arrow), the columns are mapped to the canonical ones (``columns``),
and ``canonical.build_event_log`` turns the relation into the canonical events table, counting every row
it does not use. Anything unreadable raises InputError (exit 2, one line).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from procmine.errors import InputError
from procmine.io.columns import detect_columns
from procmine.model.log import EventLog

FORMATS = {
    ".csv": "csv",
    ".csv.gz": "csv",
    ".tsv": "csv",
    ".tsv.gz": "csv",
    ".txt": "csv",
    ".xes": "xes",
    ".xes.gz": "xes",
    ".parquet": "parquet",
    ".pq": "parquet",
}


def log_format(path: Path) -> str:
    """The format by the file name; a folder is a Parquet dataset when it holds Parquet files."""
    if path.is_dir():
        if any(p.suffix.lower() in (".parquet", ".pq") for p in path.rglob("*")):
            return "parquet"
        raise InputError(path, "is a folder, not an event log file (a folder must hold Parquet files)")
    name = path.name.lower()
    for suffix in sorted(FORMATS, key=len, reverse=True):
        if name.endswith(suffix):
            return FORMATS[suffix]
    raise InputError(path, "unknown event log format (expected .csv, .csv.gz, .xes, .xes.gz or .parquet)")


def read_log(
    path: str | Path,
    *,
    case: str | None = None,
    activity: str | None = None,
    timestamp: str | None = None,
    start: str | None = None,
    resource: str | None = None,
    lifecycle: str | None = None,
    timezone: str = "UTC",
    timestamp_format: str | None = None,
    memory_limit: str | None = None,
    database: str | Path | None = None,
    order: str | None = None,
    count_out_of_order: bool = True,
    processes: int | None = None,
) -> EventLog:
    """Read ``path`` into the canonical EventLog (see ``procmine.model.log``), held in DuckDB.

    Column options name source columns and override the detection; ``timezone`` is the zone of
    timestamps without an offset; ``timestamp_format`` (strftime) replaces format detection.
    ``memory_limit`` caps DuckDB's memory (it spills beyond); ``database`` keeps the loaded log in that
    file, and a later call with the same file and the same options reuses it without reading again.
    A log without a timestamp column, or read with ``order`` (a column giving the events' order within
    a case), is order-only (``ColumnMapping``). Without ``count_out_of_order`` the out-of-order cases are
    left to the caller (None), unless the log is kept in ``database``. ``processes=1``: read in this
    process alone (a large XES is otherwise read in two halves at once, ``xes_halves``).
    """
    from procmine.io import warm_imports

    path = Path(path)
    fmt = log_format(path)
    connection = _Connection(database, memory_limit)
    raw = _in_halves(path, fmt, timezone, database, processes, connection.start)  # each half checked
    facts = None
    if raw is None:
        keep = _kept_for_rustxes(fmt, timezone)
        with warm_imports.alongside(fmt):  # the checks wait on zlib and numpy: import meanwhile
            facts = _check_files(path, fmt, keep)  # before any reader: file type, size, expansion, XML depth
    from procmine.io import saved  # (after the checks: it imports DuckDB)
    from procmine.io.timestamps import check_timezone

    check_timezone(timezone or "UTC")
    overrides = {
        "case": case,
        "activity": activity,
        "timestamp": timestamp,
        "start": start,
        "resource": resource,
        "lifecycle": lifecycle,
        "order": order,
    }
    con = connection.made()
    key = saved.log_key(path, overrides, timezone or "UTC", timestamp_format)
    if database is not None:
        log = saved.load(con, key)
        if log is not None:
            return log
    log = _read_into(
        con,
        path,
        fmt,
        overrides,
        timezone or "UTC",
        timestamp_format,
        bool(start),
        facts,
        count_out_of_order or database is not None,
        raw,
    )
    if database is not None:
        saved.save(con, key, log)
    return log


def _read_into(
    con: object,
    path: Path,
    fmt: str,
    overrides: dict[str, str | None],
    timezone: str,
    timestamp_format: str | None,
    start_given: bool,
    facts: object,
    count_out_of_order: bool,
    raw_xes: object = None,
) -> EventLog:
    from procmine.io.canonical import build_event_log

    notes: list[str] = []
    staged = source_rows = None
    if fmt == "csv":
        from procmine.io.csv_direct import read_direct
        from procmine.io.csv_log import load_csv

        mapping_of: dict[str, object] = {}

        def text_columns(names: list[str]) -> set[str]:
            mapping = detect_columns(names, str(path), overrides)
            mapping_of["mapping"] = mapping
            return {c for c in mapping.to_dict().values() if c}

        plan_options = {
            "where": str(path),
            "timezone": timezone,
            "timestamp_format": timestamp_format,
            "start_given": start_given,
        }
        direct = read_direct(con, path, text_columns, mapping_of, RAW, **plan_options)
        if direct is not None:
            staged, sniffed = direct
        else:
            _, sniffed = load_csv(con, path, text_columns, RAW)
            _check_not_empty(con, path)
        mapping = mapping_of["mapping"]
        if sniffed["delimiter"] != "," or sniffed["encoding"] not in ("utf-8", "utf-8-sig"):
            delimiter = {"\t": "tab"}.get(sniffed["delimiter"], sniffed["delimiter"])
            notes.append(f"read with delimiter {delimiter!r} and encoding {sniffed['encoding']}")
        notes.extend(sniffed["repeated"])  # type: ignore[arg-type]
    elif fmt == "xes":
        from procmine.io.xes_log import read_xes

        if raw_xes is not None:
            raw, parser = raw_xes, "rustxes"
        else:
            raw, parser = read_xes(path, timezone, facts, arrow=True)
        notes.append(f"parsed with {parser}")
        if len(raw) == 0:
            raise InputError(path, "the log holds no events")
        trace_columns = set(raw.attrs.get("trace_columns", ())) - {"case:concept:name"}
        mapping = detect_columns(list(raw.columns), str(path), overrides, skip=trace_columns)
        source_rows = _frame_into(con, raw)
    else:
        from procmine.io.parquet_log import load_parquet

        names = load_parquet(con, path, RAW)
        _check_not_empty(con, path)
        mapping = detect_columns(names, str(path), overrides)
    return build_event_log(
        con,
        RAW,
        mapping,  # type: ignore[arg-type]
        source=path,
        fmt=fmt,
        timezone=timezone,
        timestamp_format=timestamp_format,
        notes=notes,
        start_given=start_given,
        count_out_of_order=count_out_of_order,
        staged=staged,
        source_rows=source_rows,
    )


RAW = "raw_source"


def _frame_into(con: object, raw: object) -> Any:
    """A raw frame (XES), or the events of ``xes_log.ArrowEvents``, into DuckDB, behind the view ``RAW``.
    The events are not copied: the view reads them where they are, as an Arrow stream (with their row
    numbers as ``__row``), registered on ``con`` alone (cursors do not see it; nothing reads ``RAW`` after
    the canonical events are built). Returns the ``drops.SourceRows`` of the events (None for a frame)."""
    from procmine.io.table_writes import written_whole
    from procmine.io.xes_log import ArrowEvents

    if isinstance(raw, ArrowEvents):
        con.register("_raw_xes", raw.numbered())  # type: ignore[attr-defined]
        con.execute(f"CREATE OR REPLACE TEMP VIEW {RAW} AS SELECT * FROM _raw_xes")  # type: ignore[attr-defined]
        return raw.rows_on(con)
    con.register("_raw_frame", raw.reset_index(drop=True))  # type: ignore[attr-defined]
    with written_whole(con, len(raw)):  # (a wide log of under a row group: one copy, not two)
        con.execute("CREATE OR REPLACE TEMP TABLE _raw_xes AS SELECT * FROM _raw_frame")  # type: ignore[attr-defined]
    con.unregister("_raw_frame")  # type: ignore[attr-defined]
    con.execute(f"CREATE OR REPLACE TEMP VIEW {RAW} AS SELECT rowid AS __row, * FROM _raw_xes")  # type: ignore[attr-defined]
    return None


def _in_halves(
    path: Path, fmt: str, timezone: str | None, database: object, processes: int | None, meanwhile: Any
) -> object:
    """The raw frame of a large XES log read in two halves at once (``xes_halves``), or None: read it
    the ordinary way (also when the log is kept in a database, which may already hold it)."""
    if fmt != "xes" or database is not None or (timezone or "UTC") != "UTC":
        return None
    from procmine.io.xes_halves import read_in_halves

    return read_in_halves(path, processes, meanwhile)


class _Connection:
    """The read's DuckDB connection (``store.connect``): made on a thread once a log's halves are parsed,
    while this one joins them (DuckDB lets go of the interpreter lock while it sets up its catalogue: 20-28
    ms hidden), or here when asked for. An error connecting is raised where the connection is asked for."""

    def __init__(self, database: str | Path | None, memory_limit: str | None):
        self.options = (database, memory_limit)
        self.thread: threading.Thread | None = None
        self.outcome: list[Any] = []  # the connection, or the exception connecting raised

    def start(self) -> None:
        self.thread = threading.Thread(target=self._connect, name="procmine-connect", daemon=True)
        self.thread.start()

    def _connect(self) -> None:
        from procmine.io import store

        try:
            self.outcome.append(store.connect(*self.options))
        except BaseException as exc:  # (raised again by made(), on the reading thread)
            self.outcome.append(exc)

    def made(self) -> Any:
        if self.thread is None:
            from procmine.io import store

            return store.connect(*self.options)
        self.thread.join()
        if isinstance(self.outcome[0], BaseException):
            raise self.outcome[0]
        return self.outcome[0]


def _check_files(path: Path, fmt: str, keep: int = 0) -> object:
    """The input checks of every file of the log (each file of a Parquet dataset); the facts of a
    single file, which the XES reader uses (with the expanded bytes, up to ``keep`` of them)."""
    from procmine.io.input_files import check_log_file

    if fmt == "parquet" and (path.is_dir() or not path.exists()):
        from procmine.io.parquet_log import parquet_files

        for name in parquet_files(path):
            check_log_file(Path(name), fmt)
        return None
    return check_log_file(path, fmt, keep)


def _kept_for_rustxes(fmt: str, timezone: str | None) -> int:
    """How many expanded bytes of an XES the input check keeps for rustxes, which reads at most that many
    from memory in pieces (``rustxes_parse.WIDE_MAX``); 0 when rustxes will not read the file."""
    import importlib.util

    from procmine.io import rustxes_parse

    if fmt != "xes" or (timezone or "UTC") != "UTC" or importlib.util.find_spec("rustxes") is None:
        return 0
    return rustxes_parse.WIDE_MAX


def _check_not_empty(con: object, path: Path) -> None:
    if not con.execute(f"SELECT count(*) FROM (SELECT 1 FROM {RAW} LIMIT 1)").fetchall()[0][0]:  # type: ignore[attr-defined]
        raise InputError(path, "the log holds no events")
