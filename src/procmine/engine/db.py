"""One DuckDB connection per analysis, with the canonical events registered as the view ``events``."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    from procmine.model.log import EventLog


def connect(log: EventLog) -> duckdb.DuckDBPyConnection:
    """An in-memory database whose ``events`` view is ``log.events`` (zero-copy through Arrow)."""
    con = duckdb.connect(config={"threads": os.cpu_count() or 1})
    con.register("events", log.events)
    return con
