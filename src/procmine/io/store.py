"""Where a log lives after reading: a DuckDB database (in memory, or a file with ``--database``).

The canonical events are the table ``canonical_events`` of that database; every analysis reads them with
SQL (``procmine.engine``), and a pandas frame is made from them only when something asks for one
(``EventLog.events``). DuckDB works out of core: with a memory limit (``--memory-limit``, by default a
quarter of the machine's memory, at most 8 GB) it spills what does not fit to a temporary folder, so a log
larger than memory can still be read and analysed.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from procmine.errors import InputError
from procmine.io.sql_text import literal as _quote

if TYPE_CHECKING:
    import pandas as pd

TABLE = "canonical_events"
WORK = "procmine_work"  # tables derived from the events (pseudonymised...), never saved
MEMORY_SHARE = 0.25  # of the machine's memory, by default
MEMORY_CAP = 8 << 30
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?i?B?)\s*$", re.IGNORECASE)


def default_memory_limit() -> str:
    """A quarter of the machine's memory (at most 8 GB, at least 512 MB), as DuckDB spells sizes."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        total = 8 << 30
    limit = max(512 << 20, min(int(total * MEMORY_SHARE), MEMORY_CAP))
    return f"{limit >> 20}MB"


def check_memory_limit(text: str) -> str:
    """``4GB``, ``512MB``, ``2.5GiB``... (a number alone means megabytes)."""
    match = _SIZE.match(str(text))
    if not match:
        raise InputError("--memory-limit", f"not a size: {text!r} (e.g. 4GB or 512MB)")
    number, unit = match.groups()
    unit = (unit or "MB").upper().replace("I", "i")
    if not unit.endswith("B"):
        unit += "B"
    if float(number) <= 0:
        raise InputError("--memory-limit", f"must be above 0, not {text!r}")
    return f"{number}{unit}"


def connect(
    database: str | Path | None = None,
    memory_limit: str | None = None,
    temp_directory: str | Path | None = None,
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection set up for procmine: UTC session time zone, no progress bar (DuckDB draws it
    on stdout, which belongs to machine formats), a memory limit and a folder to spill to."""
    limit = check_memory_limit(memory_limit) if memory_limit else default_memory_limit()
    reserve_less_address_space()
    try:
        con = duckdb.connect(str(database) if database else ":memory:", config={"threads": _cores()})
    except duckdb.Error as exc:
        raise InputError(database or "--database", f"cannot open the database: {_first_line(exc)}") from exc
    global _LIMIT
    _LIMIT = limit
    spill = Path(temp_directory) if temp_directory else Path(tempfile.gettempdir()) / "procmine-duckdb"
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET memory_limit = '{limit}'")
    con.execute(f"SET temp_directory = '{_quote(str(spill))}'")
    con.execute("SET preserve_insertion_order = true")
    return con


def _cores() -> int:
    """The cores this process may run on (a container or ``taskset`` may allow fewer than the machine has)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


_RESERVED_LESS = False


def reserve_less_address_space() -> None:
    """Keep the process's address space near what it uses, so a log read under ``ulimit -v`` needs
    megabytes, not gigabytes: glibc reserves 64 MB of address space per thread that allocates (DuckDB
    starts about ten), and Arrow's default allocator (mimalloc) reserves a gigabyte when a result becomes
    a frame. At most two malloc arenas and Arrow on the system allocator cost no measurable speed here."""
    global _RESERVED_LESS
    if _RESERVED_LESS:
        return
    _RESERVED_LESS = True
    import ctypes
    import ctypes.util
    import sys

    name = ctypes.util.find_library("c")
    if name and os.uname().sysname == "Linux":
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(name).mallopt(M_ARENA_MAX, 2)
    if "pyarrow" not in sys.modules:  # Arrow reads it when it first makes its pool (importing it: 60 ms)
        os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
        return
    import pyarrow as pa

    with contextlib.suppress(pa.ArrowException, AttributeError):
        pa.set_memory_pool(pa.system_memory_pool())


M_ARENA_MAX = -8  # glibc's mallopt parameter


_LIMIT = ""  # the memory limit of the last connection made (for the out-of-memory message)


def out_of_memory(exc: BaseException) -> InputError | None:
    """DuckDB ran out of memory: one line naming the limit and ``--memory-limit`` (exit 2, not a crash);
    None for any other error."""
    if not isinstance(exc, duckdb.OutOfMemoryException) and not (
        isinstance(exc, duckdb.Error) and "out of memory" in str(exc).lower()
    ):
        return None
    detail = _first_line(exc).removeprefix("Out of Memory Error: ")
    limit = _LIMIT or default_memory_limit()
    if "bad allocation" in detail:  # the system refused memory below DuckDB's own limit (ulimit, cgroup)
        return InputError(
            "--memory-limit",
            f"the system refused memory before DuckDB reached its limit of "
            f"{limit} ({detail}): lower --memory-limit to what this process may use",
        )
    return InputError(
        "--memory-limit",
        f"DuckDB needed more than its limit of {limit} ({detail}): raise "
        "--memory-limit, or free disk space in TMPDIR for it to spill to",
    )


@dataclass
class LogStore:
    """The canonical events of one log in a DuckDB database: ``table`` on ``con``."""

    con: duckdb.DuckDBPyConnection
    table: str = TABLE

    def columns(self) -> list[str]:
        return [d[0] for d in self.con.execute(f"SELECT * FROM {self.table} LIMIT 0").description]

    def frame(self, columns: list[str] | None = None) -> pd.DataFrame:
        """The events as the canonical pandas frame (sorted by case id, time, row; see model.log), or only
        ``columns`` of it."""
        import pandas as pd
        import pyarrow as pa

        chosen = ", ".join(f'"{c}"' for c in columns) if columns else "*"
        order = 'ORDER BY case_id, timestamp, "row"'
        table = arrow_table(self.con.sql(f"SELECT {chosen} FROM {self.table} {order}"))
        frame = table.to_pandas()
        for name, kind in zip(table.schema.names, table.schema.types, strict=True):
            if pa.types.is_timestamp(kind) and kind.tz is not None:
                frame[name] = frame[name].dt.tz_convert("UTC").astype("datetime64[us, UTC]")
        return frame.reset_index(drop=True) if not isinstance(frame.index, pd.RangeIndex) else frame

    def rows(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, params or []).fetchall()

    def one(self, sql: str, params: list[Any] | None = None) -> tuple[Any, ...]:
        return self.con.execute(sql, params or []).fetchall()[0]  # type: ignore[return-value]

    def derived(self, name: str, select_sql: str) -> LogStore:
        """A table of what ``select_sql`` gives, in an in-memory database attached beside the log's (every
        cursor sees it; it spills as the log's table does, and never goes into a ``--database`` file)."""
        self.con.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {WORK}")
        self.con.execute(f"CREATE OR REPLACE TABLE {WORK}.{name} AS {select_sql}")
        return LogStore(self.con, f"{WORK}.{name}")


def arrow_table(result: Any) -> Any:
    """The result as an Arrow table (the method's name changed between DuckDB versions)."""
    fetch = getattr(result, "to_arrow_table", None) or result.fetch_arrow_table
    return fetch()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
