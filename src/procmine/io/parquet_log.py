"""Read a Parquet event log into a raw frame of its columns (types kept as stored)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from procmine.errors import InputError


def read_parquet(path: Path) -> pd.DataFrame:
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        cause = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(path, f"cannot read as Parquet: {cause}") from exc
    frame = table.to_pandas(split_blocks=True, self_destruct=True)
    if not isinstance(frame.index, pd.RangeIndex):  # a stored pandas index is a column like any other
        frame = frame.reset_index()
    return frame
