"""Read a Parquet event log into DuckDB: a view over the file (or a folder / glob of files, a partitioned
dataset), types kept as stored, nothing loaded before a query needs it.

``__row`` numbers the rows across the files in name order (each file's rows after those of the files
before it), from the files' metadata, so ties in time are broken in a stable order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from procmine.errors import InputError
from procmine.io.sql_text import literal as _quote

HELPERS = "file_row_number, filename"


def parquet_files(path: Path) -> list[str]:
    """The files of a log: the file itself, the Parquet files below a folder, or a glob's matches."""
    text = str(path)
    if path.is_dir():
        files = sorted(
            str(p) for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (".parquet", ".pq")
        )
    elif any(ch in text for ch in "*?["):
        files = (
            sorted(str(p) for p in Path("/").glob(text.lstrip("/")))
            if path.is_absolute()
            else sorted(str(p) for p in Path().glob(text))
        )
    else:
        files = [text]
    if not files:
        raise InputError(path, "no Parquet files found")
    return files


def load_parquet(con: Any, path: Path, relation: str) -> list[str]:
    """Define the view ``relation`` (the source columns and ``__row``); return the column names."""
    files = parquet_files(path)
    listing = "[" + ", ".join(f"'{_quote(f)}'" for f in files) + "]"
    hive = "true" if path.is_dir() else "false"
    try:
        metadata = f"SELECT file_name, num_rows FROM parquet_file_metadata({listing})"
        counts = con.execute(metadata).fetchall() if len(files) > 1 else []
        offsets, total = {}, 0
        by_name = dict(counts)
        for name in files:
            offsets[name] = total
            total += int(by_name.get(name, 0))
        con.execute("CREATE OR REPLACE TEMP TABLE _parquet_offsets (filename VARCHAR, offset_rows BIGINT)")
        if offsets:
            con.executemany("INSERT INTO _parquet_offsets VALUES (?, ?)", list(offsets.items()))
        source = (
            f"read_parquet({listing}, file_row_number = true, filename = true, "
            f"hive_partitioning = {hive}, union_by_name = true)"
        )
        if len(files) == 1:
            query = f"SELECT file_row_number AS __row, p.* EXCLUDE ({HELPERS}) FROM {source} p"
        else:
            query = (
                f"SELECT file_row_number + o.offset_rows AS __row, p.* EXCLUDE ({HELPERS}) "
                f"FROM {source} p JOIN _parquet_offsets o USING (filename)"
            )
        con.execute(f"CREATE OR REPLACE TEMP VIEW {relation} AS {query}")
        names = [d[0] for d in con.execute(f"SELECT * FROM {relation} LIMIT 0").description]
    except duckdb.Error as exc:
        raise InputError(path, f"cannot read as Parquet: {_first_line(str(exc))}") from exc
    return [n for n in names if n != "__row"]


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "unknown error"
