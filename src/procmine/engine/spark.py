"""The engine on Apache Spark: the same SQL as on DuckDB (``procmine.engine.dialect`` translates it), run by
a Spark session, so a log never has to pass through one machine's memory; only small results come back.

``SparkConnection`` answers the part of DuckDB's connection API the engine uses (``execute`` with
``fetchall``/``df``/``description``, temporary tables and views, ``cursor``), so every query in
``procmine.engine`` runs unchanged on either engine. A temporary table is a cached temporary view; each
cursor is a new Spark session (its own temporary views) on the same Spark context, and the log's events
are a global temporary view all of them see.

pyspark is an optional extra (``pip install 'procmine[spark]'``); without it ``--engine spark`` says so
(exit 2).
"""

from __future__ import annotations

import itertools
import os
import re
import sys
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from procmine.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_MASTER = "local[*]"
INSTALL_HINT = "--engine spark needs pyspark: pip install 'procmine[spark]' (and Java 17)"
_CREATE = re.compile(
    r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?TEMP(?:ORARY)?\s+(TABLE|VIEW)\s+(\w+)\s+AS\s+(.*)$", re.I | re.S
)
_DROP = re.compile(r"^\s*DROP\s+(?:TABLE|VIEW)\s+(?:IF\s+EXISTS\s+)?(\w+)\s*;?\s*$", re.I)
_IGNORED = re.compile(r"^\s*(SET\s|CREATE\s+(?:OR\s+REPLACE\s+)?TEMP\s+TYPE\s)", re.I)
_SESSIONS: dict[str, Any] = {}


def session(master: str | None = None) -> Any:
    """One Spark session per master URL for the life of the process (starting one costs seconds)."""
    try:
        import sqlglot  # noqa: F401  (the SQL translation, part of the same extra)
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise InputError("--engine", INSTALL_HINT) from exc
    master = master or DEFAULT_MASTER
    if master not in _SESSIONS:
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # a local session talks over loopback only
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # local executors run procmine's Python
        builder = (
            SparkSession.builder.master(master)
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .appName("procmine")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.sql.ansi.enabled", "false")
            .config("spark.driver.memory", "2g")
            # the throughput collector: with G1 (Java's default) a 10M-event local run spent a third of
            # its CPU time collecting garbage (concurrent marking of a heap full of checkpointed rows)
            .config("spark.driver.extraJavaOptions", "-XX:+UseParallelGC")
        )
        try:
            spark = builder.getOrCreate()
        except Exception as exc:  # Java missing, no free port...: one line, not a Java stack trace
            raise InputError("--engine", f"cannot start Spark ({master}): {_first_line(exc)}") from exc
        spark.sparkContext.setLogLevel("ERROR")
        # pyspark warns about pandas 3 when pandas UDFs are made; procmine checks what it converts
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
        _SESSIONS[master] = spark
    return _SESSIONS[master]


class SparkResult:
    """A query's result with the methods of DuckDB's the engine reads."""

    def __init__(self, frame: Any) -> None:
        self._frame = frame
        self._rows: Any = None  # the rows streamed by fetchmany

    @property
    def description(self) -> list[tuple[str]]:
        return [(name,) for name in self._frame.columns]

    def fetchall(self) -> list[tuple[Any, ...]]:
        return [_row(row) for row in self._frame.collect()] if self._frame is not None else []

    def fetchmany(self, size: int) -> list[tuple[Any, ...]]:
        """The next ``size`` rows, in the result's order: streamed from the executors one partition at a
        time (``toLocalIterator``), so the driver holds a partition and a batch, never the whole result."""
        if self._frame is None:
            return []
        if self._rows is None:
            self._rows = self._frame.toLocalIterator(prefetchPartitions=False)
        return [_row(row) for row in itertools.islice(self._rows, size)]

    def fetchone(self) -> tuple[Any, ...] | None:
        rows = self._frame.limit(1).collect()
        return _row(rows[0]) if rows else None

    def df(self) -> pd.DataFrame:
        """The result as pandas, times as DuckDB gives them (UTC, microseconds; the session's zone is UTC)."""
        import pandas as pd

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pyspark's notices about pandas 3 (the conversion is checked)
            frame = self._frame.toPandas()
        for name in frame.columns:
            if pd.api.types.is_datetime64_any_dtype(frame[name].dtype):
                frame[name] = pd.to_datetime(frame[name]).dt.tz_localize("UTC").astype("datetime64[us, UTC]")
        return frame

    def fetchnumpy(self) -> dict[str, Any]:
        frame = self.df()
        return {name: frame[name].to_numpy() for name in frame.columns}


class SparkConnection:
    """DuckDB's connection API, as far as the engine uses it, over a Spark session."""

    dialect = "spark"

    def __init__(self, spark: Any) -> None:
        self.spark = spark
        self._cached: dict[str, Any] = {}

    def execute(self, sql: str, params: list[Any] | None = None) -> SparkResult:
        for statement in _statements(sql):
            result = self._run(statement, params)
        return result

    def _run(self, sql: str, params: list[Any] | None) -> SparkResult:
        if _IGNORED.match(sql):
            return SparkResult(None)
        created = _CREATE.match(sql)
        if created:
            kind, name, query = created.groups()
            frame = self.query(query, params)
            if kind.upper() == "TABLE":
                frame = materialise(frame)  # computed once, like a DuckDB table
            frame.createOrReplaceTempView(name)
            return SparkResult(None)
        dropped = _DROP.match(sql)
        if dropped:
            self.spark.catalog.dropTempView(dropped.group(1))
            return SparkResult(None)
        return SparkResult(self.query(sql, params))

    def query(self, sql: str, params: list[Any] | None) -> Any:
        from procmine.engine.dialect import excluded_stars, to_spark

        if "EXCLUDE" in sql.upper():
            sql = excluded_stars(sql, self.columns_of)
        return self.spark.sql(to_spark(sql), args=list(params)) if params else self.spark.sql(to_spark(sql))

    def columns_of(self, relation_sql: str) -> list[str]:
        """The columns of a relation (DuckDB's SQL), from Spark's analysis of it (nothing is computed)."""
        from procmine.engine.dialect import to_spark

        return list(self.spark.sql(to_spark(f"SELECT * FROM {relation_sql}")).columns)

    def register(self, name: str, frame: pd.DataFrame | dict[str, Any]) -> None:
        """A small pandas frame, or columns of numpy arrays by name (per variant, per activity), as the
        temporary view ``name``, as DuckDB's ``register`` does."""
        if isinstance(frame, dict):
            import pandas as pd

            frame = pd.DataFrame(frame)
        self.spark.createDataFrame(frame).createOrReplaceTempView(name)

    def table_exists(self, name: str) -> bool:
        return bool(self.spark.catalog.tableExists(name))

    def cursor(self) -> SparkConnection:
        return SparkConnection(self.spark.newSession())

    def close(self) -> None:
        """Temporary views go with the session; the Spark context stays for the next command."""


def materialise(frame: Any) -> Any:
    """``frame`` computed once and kept, like a DuckDB table: a local checkpoint (the rows in the
    executors' block stores, the plan cut there). Spark's columnar cache (``persist``) was measured
    slower here: at 1M events it doubled the executors' CPU time (building and reading compressed column
    batches) for the same results."""
    return frame.localCheckpoint(eager=True)


@dataclass
class SparkStore:
    """The canonical events of a log as a global temporary view of a Spark session."""

    con: SparkConnection
    table: str = "global_temp.canonical_events"

    def columns(self) -> list[str]:
        return self.con.columns_of(self.table)

    def frame(self, columns: list[str] | None = None) -> pd.DataFrame:
        chosen = ", ".join(f'"{c}"' for c in columns) if columns else "*"
        return self.con.execute(f'SELECT {chosen} FROM {self.table} ORDER BY case_id, timestamp, "row"').df()

    def rows(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, params).fetchall()

    def one(self, sql: str, params: list[Any] | None = None) -> tuple[Any, ...]:
        return self.rows(sql, params)[0]

    def derived(self, name: str, select_sql: str) -> SparkStore:
        """A global temporary view of what ``select_sql`` (DuckDB's SQL) gives, computed once."""
        materialise(self.con.query(select_sql, None)).createOrReplaceGlobalTempView(name)
        return SparkStore(self.con, f"global_temp.{name}")


def session_of(log: Any) -> Any | None:
    """The Spark session that holds the log's events (None: the log is not in Spark)."""
    store = getattr(log, "store", None)
    return store.con.spark if isinstance(store, SparkStore) else None


def _row(row: Any) -> tuple[Any, ...]:
    """A row as DuckDB gives it: times aware, in UTC (pyspark hands them naive, in the local zone)."""
    return tuple(v.astimezone(UTC) if isinstance(v, datetime) and v.tzinfo is None else v for v in row)


def _statements(sql: str) -> list[str]:
    parts = [p for p in sql.split(";") if p.strip()]
    return parts or [sql]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
