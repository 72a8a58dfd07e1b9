"""Reading a log with ``--engine spark``: a Parquet or CSV dataset (a file, a folder, a glob, a partitioned
dataset) read by Spark, mapped to the canonical columns and checked with the same SQL as on DuckDB
(``procmine.io.quality``), so a log never has to pass through one machine's memory.

Rows are used or dropped by the reasons of ``procmine.io.canonical`` (missing case id, missing activity,
unparseable timestamp, duplicate event). The file order that breaks ties in time is each Parquet file's row
index (files in name order); a CSV has none in Spark, so its rows are numbered in the order Spark reads them.
Timestamps must be typed (Parquet) or ISO 8601 text; values without an offset are read in ``--timezone``.
Lifecycle pairing is DuckDB's alone: a log with start/complete transitions is refused with a pointer to it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from procmine.engine.spark import SparkConnection, SparkStore, session
from procmine.errors import InputError
from procmine.io import lifecycle, quality
from procmine.io.columns import detect_columns
from procmine.io.parquet_log import parquet_files
from procmine.model.log import (
    ACTIVITY,
    CANONICAL,
    CASE,
    DROP_REASONS,
    RESOURCE,
    ROW,
    START,
    TIMESTAMP,
    DataQuality,
    EventLog,
)

RAW = "spark_raw"
VIEW = "canonical_events"


def read_log_spark(path: str | Path, *, master: str | None = None, timezone: str = "UTC",
                   **overrides: str | None) -> EventLog:
    """The log at ``path`` as an EventLog whose events are a Spark view (``SparkStore``)."""
    spark = session(master)
    spark.conf.set("spark.sql.session.timeZone", timezone or "UTC")
    con = SparkConnection(spark)
    path = Path(path)
    fmt = _load(spark, path)
    names = [c for c in spark.table(RAW).columns if c != "__row"]
    mapping = detect_columns(names, str(path), {k: v for k, v in overrides.items() if v})
    if mapping.lifecycle and lifecycle.is_lifecycle(con, RAW, _q(mapping.lifecycle)):
        raise InputError(path, "lifecycle start/complete pairing needs --engine duckdb")
    rows_read = int(con.execute(f"SELECT count(*) FROM {RAW}").fetchall()[0][0])
    if not rows_read:
        raise InputError(path, "the log holds no events")
    select = [f"nullif(trim(CAST({_q(mapping.case)} AS VARCHAR)), '') AS {CASE}",
              f"nullif(trim(CAST({_q(mapping.activity)} AS VARCHAR)), '') AS {ACTIVITY}",
              f"CAST({_q(mapping.timestamp)} AS TIMESTAMPTZ) AS {TIMESTAMP}"]
    if mapping.start:
        select.append(f"CAST({_q(mapping.start)} AS TIMESTAMPTZ) AS {START}")
    if mapping.resource:
        select.append(f"nullif(trim(CAST({_q(mapping.resource)} AS VARCHAR)), '') AS {RESOURCE}")
    select.append(f'__row AS "{ROW}"')
    used = {mapping.case, mapping.activity, mapping.timestamp, mapping.start, mapping.resource,
            mapping.lifecycle}
    select += [f"{_q(c)} AS {_q(c + '_original' if c in CANONICAL else c)}" for c in names if c not in used]
    # a copy: the same values in every source column as an earlier row
    partition = ", ".join(_q(c) for c in names)
    select.append(f"row_number() OVER (PARTITION BY {partition} ORDER BY __row) AS __copy")
    con.execute(f"CREATE TEMP TABLE spark_stage AS SELECT {', '.join(select)} FROM {RAW}")
    return _finish(con, spark, path, fmt, mapping, rows_read, timezone)


def _finish(con: SparkConnection, spark: Any, path: Path, fmt: str, mapping: Any, rows_read: int,
            timezone: str) -> EventLog:
    row = con.execute(
        f"""SELECT count(*) FILTER (WHERE {CASE} IS NULL),
                   count(*) FILTER (WHERE {CASE} IS NOT NULL AND {ACTIVITY} IS NULL),
                   count(*) FILTER (WHERE {CASE} IS NOT NULL AND {ACTIVITY} IS NOT NULL
                                    AND {TIMESTAMP} IS NULL),
                   count(*) FILTER (WHERE {CASE} IS NOT NULL AND {ACTIVITY} IS NOT NULL
                                    AND {TIMESTAMP} IS NOT NULL AND __copy > 1)
            FROM spark_stage"""
    ).fetchall()[0]
    dropped = dict(zip(DROP_REASONS, [*map(int, row), 0], strict=True))
    usable = f"{CASE} IS NOT NULL AND {ACTIVITY} IS NOT NULL AND {TIMESTAMP} IS NOT NULL AND __copy = 1"
    columns = [c for c in spark.table("spark_stage").columns if not c.startswith("__")]
    frame = spark.sql(f"SELECT {', '.join('`' + c + '`' for c in columns)} FROM spark_stage WHERE {usable}")
    frame = frame.localCheckpoint(eager=True)
    frame.createOrReplaceGlobalTempView(VIEW)
    spark.conf.set("spark.sql.session.timeZone", "UTC")  # the times are read: from here on UTC, as DuckDB
    store = SparkStore(con)
    events = int(con.execute(f"SELECT count(*) FROM {store.table}").fetchall()[0][0])
    if not events:
        reasons = ", ".join(f"{n} {r.replace('_', ' ')}" for r, n in dropped.items() if n) or "no rows"
        raise InputError(path, f"no usable events ({rows_read} rows read; dropped: {reasons})")
    data_quality = DataQuality(rows_read=rows_read, rows_used=events, dropped=dropped, timezone=timezone,
                               notes=[f"read by Spark ({spark.sparkContext.master})"],
                               **quality.flags(con, store.table, datetime.now(UTC)))
    return EventLog(source=path, format=fmt, columns=mapping, quality=data_quality,
                    case_attributes=quality.case_attributes(con, store.table), store=store)


def _load(spark: Any, path: Path) -> str:
    """Define the view ``RAW`` (source columns and ``__row``); return the format."""
    from pyspark.sql import functions as F

    text = str(path)
    csv = text.lower().endswith((".csv", ".csv.gz", ".tsv")) or (
        path.is_dir() and any(p.suffix.lower() == ".csv" for p in path.rglob("*")))
    try:
        if csv:
            frame = spark.read.option("header", True).option("inferSchema", False).csv(text)
            frame = frame.withColumn("__row", F.monotonically_increasing_id())
        else:
            files = parquet_files(path)
            frame = spark.read.parquet(*files) if not path.is_dir() else spark.read.parquet(text)
            offsets, total = {}, 0
            import pyarrow.parquet as pq

            for name in files:
                offsets[Path(name).resolve().as_uri()] = total
                total += pq.ParquetFile(name).metadata.num_rows
            mapping = F.create_map(*[x for uri, off in offsets.items() for x in (F.lit(uri), F.lit(off))])
            uri = F.regexp_replace(F.col("_metadata.file_path"), "^file:/+", "file:///")
            offset = F.coalesce(mapping[uri], F.lit(0))
            frame = frame.withColumn("__row", F.col("_metadata.row_index") + offset)
    except Exception as exc:  # AnalysisException: no such path, not Parquet...
        if isinstance(exc, InputError):
            raise
        raise InputError(path, f"Spark cannot read it: {_first_line(exc)}") from exc
    frame.createOrReplaceTempView(RAW)
    return "csv" if csv else "parquet"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
