"""Reading a log with ``--engine spark``: a Parquet or CSV dataset (a file, a folder, a glob, a partitioned
dataset) read by Spark, mapped to the canonical columns and checked with the same SQL as on DuckDB
(``procmine.io.quality``), so a log never has to pass through one machine's memory.

Rows are used or dropped by the reasons of ``procmine.io.canonical`` (missing case id, missing activity,
unparseable timestamp, duplicate event). The file order that breaks ties in time is each Parquet file's row
index (files in name order); for CSV, files in name order and each file's rows in the order Spark reads them
(a file's own order).
Timestamps are typed (Parquet) or text in ISO 8601 or the format the DuckDB reader would detect (or
``--timestamp-format``); values without an offset are read in ``--timezone``.
Lifecycle transitions are paired, set aside and counted by the DuckDB reader's SQL (``io.lifecycle``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from procmine.engine.spark import SparkConnection, SparkStore, materialise, session
from procmine.errors import InputError
from procmine.io import lifecycle, quality, timestamps
from procmine.io.canonical import refuse_if_empty
from procmine.io.columns import detect_columns
from procmine.io.csv_log import read_header
from procmine.io.parquet_log import parquet_files
from procmine.io.sql_text import identifier as _q
from procmine.model.log import (
    ACTIVITY,
    CANONICAL,
    CASE,
    DROP_REASONS,
    RESOURCE,
    ROW,
    START,
    TIMESTAMP,
    ColumnMapping,
    DataQuality,
    EventLog,
)

RAW = "spark_raw"
CSV_SUFFIXES = (".csv", ".tsv", ".gz")
JAVA_CHARSETS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "latin-1": "ISO-8859-1", "utf-16": "UTF-16LE"}
CSV_FILE_STRIDE = 1 << 44  # row numbers of one CSV file (Spark's per-partition numbering) stay below this
VIEW = "canonical_events"


def read_log_spark(
    path: str | Path,
    *,
    master: str | None = None,
    timezone: str = "UTC",
    timestamp_format: str | None = None,
    **overrides: str | None,
) -> EventLog:
    """The log at ``path`` as an EventLog whose events are a Spark view (``SparkStore``)."""
    spark = session(master)
    spark.conf.set("spark.sql.session.timeZone", timezone or "UTC")
    con = SparkConnection(spark)
    path = Path(path)
    fmt, read_note = _load(spark, path)
    names = [c for c in spark.table(RAW).columns if c != "__row"]
    mapping = detect_columns(names, str(path), {k: v for k, v in overrides.items() if v})
    if mapping.timestamp is None:
        raise InputError(path, "a log without timestamps (read in file order) needs --engine duckdb")
    notes = [f"read by Spark ({spark.sparkContext.master})", *read_note]
    use_lifecycle = bool(mapping.lifecycle) and lifecycle.is_lifecycle(con, RAW, _q(mapping.lifecycle))
    if mapping.lifecycle and not use_lifecycle:
        notes.append(f"column {mapping.lifecycle!r} holds no start/complete values: not used as lifecycle")
        mapping = ColumnMapping(**{**mapping.to_dict(), "lifecycle": None})
    rows_read = int(con.execute(f"SELECT count(*) FROM {RAW}").fetchall()[0][0])
    if not rows_read:
        raise InputError(path, "the log holds no events")
    time_sql = _time_sql(con, spark, mapping.timestamp, timestamp_format, notes)
    select = [
        f"nullif(trim(CAST({_q(mapping.case)} AS VARCHAR)), '') AS {CASE}",
        f"nullif(trim(CAST({_q(mapping.activity)} AS VARCHAR)), '') AS {ACTIVITY}",
        f"{time_sql} AS {TIMESTAMP}",
    ]
    if mapping.start:
        select.append(f"{_time_sql(con, spark, mapping.start, timestamp_format, notes)} AS {START}")
    if mapping.resource:
        select.append(f"nullif(trim(CAST({_q(mapping.resource)} AS VARCHAR)), '') AS {RESOURCE}")
    select.append(f'__row AS "{ROW}"')
    used = {
        mapping.case,
        mapping.activity,
        mapping.timestamp,
        mapping.start,
        mapping.resource,
        mapping.lifecycle,
    }
    select += [f"{_q(c)} AS {_q(c + '_original' if c in CANONICAL else c)}" for c in names if c not in used]
    if use_lifecycle:
        select.append(f"{lifecycle.kind_sql(_q(mapping.lifecycle))} AS {lifecycle.KIND}")
        select.append(f"{lifecycle.word_sql(_q(mapping.lifecycle))} AS {lifecycle.WORD}")
    # a copy: the same values in every source column as an earlier row
    partition = ", ".join(_q(c) for c in names)
    select.append(f"row_number() OVER (PARTITION BY {partition} ORDER BY __row) AS __copy")
    con.execute(f"CREATE TEMP TABLE spark_stage AS SELECT {', '.join(select)} FROM {RAW}")
    dropped = _drops(con)
    pairs, set_aside = (
        lifecycle.events(
            con, "_kept", "_events", start_column=bool(mapping.start), dropped=dropped, notes=notes
        )
        if use_lifecycle
        else (0, {})
    )
    if not use_lifecycle:
        con.execute("CREATE OR REPLACE TEMP VIEW _events AS SELECT * FROM _kept")
    return _finish(con, spark, path, fmt, mapping, rows_read, dropped, (pairs, set_aside), timezone, notes)


def _time_sql(con: SparkConnection, spark: Any, column: str, given: str | None, notes: list[str]) -> str:
    """How a timestamp column is read: typed values as they are; text as ISO 8601, or in the format found
    on a sample by the DuckDB reader's rule (``io.timestamps.detect_format``) or given with
    ``--timestamp-format`` (``strptime``, which sqlglot writes as Spark's ``to_timestamp``). Times without
    an offset are read in ``--timezone`` (the session's zone while reading)."""
    from pyspark.sql.types import StringType

    if not isinstance(spark.table(RAW).schema[column].dataType, StringType):
        return f"CAST({_q(column)} AS TIMESTAMPTZ)"
    sample = None if given else timestamps.sample_sql(con, RAW, _q(column))
    fmt, note = (given, None) if given else timestamps.detect_format(sample)
    if note:
        notes.append(f"{column}: {note}")
    if fmt is None or fmt == timestamps.ISO:
        return f"CAST(trim({_q(column)}) AS TIMESTAMPTZ)"
    return f"CAST(strptime(trim({_q(column)}), '{fmt.replace(chr(39), chr(39) * 2)}') AS TIMESTAMPTZ)"


def _drops(con: SparkConnection) -> dict[str, int]:
    """Rows dropped by reason; the view ``_kept`` holds the others."""
    row = con.execute(
        f"""SELECT count(*) FILTER (WHERE {CASE} IS NULL),
                   count(*) FILTER (WHERE {CASE} IS NOT NULL AND {ACTIVITY} IS NULL),
                   count(*) FILTER (WHERE {CASE} IS NOT NULL AND {ACTIVITY} IS NOT NULL
                                    AND {TIMESTAMP} IS NULL),
                   count(*) FILTER (WHERE {CASE} IS NOT NULL AND {ACTIVITY} IS NOT NULL
                                    AND {TIMESTAMP} IS NOT NULL AND __copy > 1)
            FROM spark_stage"""
    ).fetchall()[0]
    usable = f"{CASE} IS NOT NULL AND {ACTIVITY} IS NOT NULL AND {TIMESTAMP} IS NOT NULL AND __copy = 1"
    con.execute(f"CREATE OR REPLACE TEMP VIEW _kept AS SELECT * FROM spark_stage WHERE {usable}")
    return dict(zip(DROP_REASONS, [*map(int, row), 0], strict=True))


def _finish(
    con: SparkConnection,
    spark: Any,
    path: Path,
    fmt: str,
    mapping: ColumnMapping,
    rows_read: int,
    dropped: dict[str, int],
    lifecycle_rows: tuple[int, dict[str, int]],
    timezone: str,
    notes: list[str],
) -> EventLog:
    pairs, set_aside = lifecycle_rows
    names = spark.table("_events").columns
    columns = [c for c in CANONICAL if c in names] + [
        c for c in names if c not in CANONICAL and not c.startswith("__")
    ]
    frame = spark.sql(f"SELECT {', '.join('`' + c + '`' for c in columns)} FROM _events")
    frame = materialise(frame)
    frame.createOrReplaceGlobalTempView(VIEW)
    lifecycle.release(con)
    spark.conf.set("spark.sql.session.timeZone", "UTC")  # the times are read: from here on UTC, as DuckDB
    store = SparkStore(con)
    events = int(con.execute(f"SELECT count(*) FROM {store.table}").fetchall()[0][0])
    refuse_if_empty(path, events, rows_read, dropped)
    data_quality = DataQuality(
        rows_read=rows_read,
        rows_used=events + pairs,
        dropped=dropped,
        lifecycle_pairs=pairs,
        set_aside=set_aside,
        timezone=timezone,
        notes=notes,
        **quality.flags(con, store.table, datetime.now(UTC)),
    )
    accounted = data_quality.rows_used + data_quality.rows_dropped + data_quality.rows_set_aside
    assert data_quality.rows_read == accounted, data_quality
    return EventLog(
        source=path,
        format=fmt,
        columns=mapping,
        quality=data_quality,
        case_attributes=quality.case_attributes(con, store.table),
        store=store,
    )


def _load(spark: Any, path: Path) -> tuple[str, list[str]]:
    """Define the view ``RAW`` (source columns and ``__row``); return the format and how it was read."""
    from pyspark.sql import functions as F

    text = str(path)
    csv = text.lower().endswith((".csv", ".csv.gz", ".tsv")) or (
        path.is_dir() and any(p.suffix.lower() == ".csv" for p in path.rglob("*"))
    )
    try:
        if csv:
            files = _csv_files(path)
            # delimiter and encoding sniffed on the first file as the DuckDB reader does
            _, delimiter, encoding = read_header(files[0]) if files else ([], ",", "utf-8")
            note = [f"read with delimiter {delimiter!r} and encoding {encoding}"]
            frame = (
                spark.read.option("header", True)
                .option("inferSchema", False)
                .option("sep", delimiter)
                .option("encoding", JAVA_CHARSETS.get(encoding, "UTF-8"))
                .csv(text)
            )
            # files in name order, each in its own order: Spark numbers rows per partition, and packs
            # the pieces of several files into partitions by size
            ranks = {p.resolve().as_uri(): i * CSV_FILE_STRIDE for i, p in enumerate(files)}
            frame = frame.withColumn("__row", _by_file(F, ranks) + F.monotonically_increasing_id())
        else:
            files = parquet_files(path)
            frame = spark.read.parquet(*files) if not path.is_dir() else spark.read.parquet(text)
            offsets, total = {}, 0
            import pyarrow.parquet as pq

            for name in files:
                offsets[Path(name).resolve().as_uri()] = total
                total += pq.ParquetFile(name).metadata.num_rows
            frame = frame.withColumn("__row", F.col("_metadata.row_index") + _by_file(F, offsets))
    except Exception as exc:  # AnalysisException: no such path, not Parquet...
        if isinstance(exc, InputError):
            raise
        raise InputError(path, f"Spark cannot read it: {_first_line(exc)}") from exc
    frame.createOrReplaceTempView(RAW)
    return ("csv", note) if csv else ("parquet", [])


def _csv_files(path: Path) -> list[Path]:
    """The dataset's CSV files (the file, those below a folder, a glob's matches), in name order."""
    text = str(path)
    if path.is_dir():
        files = [p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(CSV_SUFFIXES)]
    elif any(ch in text for ch in "*?["):
        files = list(Path("/").glob(text.lstrip("/"))) if path.is_absolute() else list(Path().glob(text))
    else:
        files = [path]
    return sorted(files, key=str)


def _by_file(F: Any, offsets: dict[str, int]) -> Any:
    """Per row, the number its file's rows start from (Spark's file path spelled as ``as_uri`` does)."""
    mapping = F.create_map(*[x for uri, off in offsets.items() for x in (F.lit(uri), F.lit(off))])
    uri = F.regexp_replace(F.col("_metadata.file_path"), "^file:/+", "file:///")
    return F.coalesce(mapping[uri], F.lit(0))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
