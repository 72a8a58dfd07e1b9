"""Build canonical EventLogs by hand, for tests whose right answer is worked out on paper.

    log = make_log([
        ("c1", "Register", "2024-01-01 09:00"),
        ("c1", "Approve",  "2024-01-01 10:30"),
    ])

Rows are (case, activity, timestamp) or (case, activity, timestamp, start) or
(case, activity, timestamp, start, resource); ``attributes`` maps case id -> {column: value}.
Timestamps are naive strings read as UTC. Rows keep their given order as ``row`` (file order).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from procmine.model.log import (
    ACTIVITY,
    CASE,
    RESOURCE,
    ROW,
    START,
    TIMESTAMP,
    ColumnMapping,
    DataQuality,
    EventLog,
)


def make_log(
    rows: list[tuple],
    attributes: dict[str, dict[str, Any]] | None = None,
    source: str = "tiny.csv",
) -> EventLog:
    width = max(len(r) for r in rows)
    names = [CASE, ACTIVITY, TIMESTAMP, START, RESOURCE][:width]
    df = pd.DataFrame([tuple(r) + (None,) * (width - len(r)) for r in rows], columns=names)
    df[CASE] = df[CASE].astype(str)
    df[TIMESTAMP] = pd.to_datetime(df[TIMESTAMP], utc=True)
    if START in df:
        df[START] = pd.to_datetime(df[START], utc=True)
    df[ROW] = range(len(df))
    attr_names: list[str] = []
    if attributes:
        attr_names = sorted({k for v in attributes.values() for k in v})
        for name in attr_names:
            df[name] = df[CASE].map(lambda c, n=name: attributes.get(c, {}).get(n))
    df = df.sort_values([CASE, TIMESTAMP, ROW], kind="stable").reset_index(drop=True)
    mapping = ColumnMapping(
        case="case",
        activity="activity",
        timestamp="timestamp",
        start="start" if START in df else None,
        resource="resource" if RESOURCE in df else None,
    )
    return EventLog(
        events=df,
        source=Path(source),
        format="csv",
        columns=mapping,
        quality=DataQuality(rows_read=len(df), rows_used=len(df)),
        case_attributes=attr_names,
    )


def case_variants_frame(variants: Any) -> pd.DataFrame:
    """Every case of ``log_variants(...)`` (case_id, variant, start, end, sorted by case id) read back from
    the engine, for tests on small logs (procmine itself never reads the cases table whole)."""
    cases = variants.cases
    query = f'SELECT case_id, variant, start, "end" FROM {cases.table} ORDER BY case_id'
    return cases.con.execute(query).df()
