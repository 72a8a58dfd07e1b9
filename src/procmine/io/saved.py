"""A loaded log kept in a DuckDB database file (``--database FILE``) for the next command.

The file holds the canonical events table and one row saying what was read: the log's path, size and
modification time, the reading options, the column mapping and the data-quality figures. A later command
with the same database, the same log (unchanged on disk) and the same options uses the table as it is;
anything else reads the log again and replaces it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from procmine.io.store import TABLE, LogStore
from procmine.model.log import ColumnMapping, DataQuality, EventLog

META = "procmine_loaded_log"


def log_key(path: Path, overrides: dict[str, str | None], timezone: str, timestamp_format: str | None) -> str:
    """What identifies one reading of a log: the file as it is on disk and the options."""
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    stamp = [(str(p.resolve()), p.stat().st_size, p.stat().st_mtime_ns) for p in files if p.exists()]
    return json.dumps(
        {"files": stamp, "options": overrides, "timezone": timezone, "timestamp_format": timestamp_format},
        sort_keys=True,
    )


def load(con: Any, key: str) -> EventLog | None:
    """The log saved under ``key``, or None when the database holds another (or none)."""
    found = con.execute(  # the events: a table, or a view of the table read straight from the file
        "SELECT count(*) FROM information_schema.tables WHERE table_name IN (?, ?) "
        "AND table_type IN ('BASE TABLE', 'VIEW')",
        [META, TABLE],
    ).fetchall()[0][0]
    if found < 2:
        return None
    rows = con.execute(f"SELECT meta FROM {META} WHERE key = ?", [key]).fetchall()
    if not rows:
        return None
    row = rows[0]
    meta = json.loads(row[0])
    quality = dict(meta["quality"])
    quality.pop("rows_dropped", None)
    quality.pop("rows_set_aside", None)
    return EventLog(
        source=Path(meta["source"]),
        format=meta["format"],
        columns=ColumnMapping(**meta["columns"]),
        quality=DataQuality(**quality),
        case_attributes=meta["case_attributes"],
        store=LogStore(con, TABLE),
    )


def save(con: Any, key: str, log: EventLog) -> None:
    meta = {
        "source": str(log.source),
        "format": log.format,
        "columns": log.columns.to_dict(),
        "quality": log.quality.to_dict(),
        "case_attributes": list(log.case_attributes),
    }
    con.execute(f"CREATE OR REPLACE TABLE {META} (key VARCHAR, meta VARCHAR)")
    con.execute(f"INSERT INTO {META} VALUES (?, ?)", [key, json.dumps(meta)])
    con.execute("CHECKPOINT")
