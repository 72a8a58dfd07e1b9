"""The ``steps`` table straight from the canonical frame, without sorting it again.

The reader hands over the events sorted by case id, completion time and source row (the contract of
``procmine.model.log``). In that order each event's successor and predecessor in its case are simply its
neighbouring rows, so the table DuckDB would build with a window (``PARTITION BY case_id ORDER BY
timestamp, row``: a sort of a million string keys) is a handful of vectorised shifts here. The order is
checked first (one comparison of neighbouring rows); a frame that is not in canonical order returns None and
the caller falls back to the SQL window, which gives the same table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from procmine.model.log import ACTIVITY, CASE, RESOURCE, ROW, START, TIMESTAMP

UTC_US = pa.timestamp("us", tz="UTC")


def steps_arrow(events: pd.DataFrame) -> pa.Table | None:
    """Columns of ``engine.dfg.STEPS`` (activities as text), or None when ``events`` is not in order."""
    n = len(events)
    if n == 0:
        return None
    case = pa.array(events[CASE], type=pa.string(), from_pandas=True)
    done = _micros(events[TIMESTAMP])
    row = events[ROW].to_numpy(dtype=np.int64)
    if done is None:
        return None
    same = np.asarray(pc.equal(case[1:], case[:-1]).to_numpy(zero_copy_only=False), dtype=bool)
    ascending = np.asarray(pc.less_equal(case[:-1], case[1:]).to_numpy(zero_copy_only=False), dtype=bool)
    later = (done[1:] > done[:-1]) | ((done[1:] == done[:-1]) & (row[1:] > row[:-1]))
    if not ascending.all() or not (later | ~same).all():
        return None
    has_start = START in events.columns
    start = _micros(events[START]) if has_start else None
    if has_start and start is None:
        return None
    missing = np.iinfo(np.int64).min
    begin = done if start is None else np.where(start == missing, done, start)

    first = np.concatenate([[True], ~same])
    case_index = np.cumsum(first) - 1
    first_pos = np.flatnonzero(first)
    position = np.arange(n, dtype=np.int64) - first_pos[case_index] + 1
    has_next = np.concatenate([same, [False]])
    has_prev = np.concatenate([[False], same])
    nxt = np.minimum(np.arange(1, n + 1), n - 1)
    prv = np.maximum(np.arange(-1, n - 1), 0)
    wait_after = np.maximum(begin[nxt] - done, 0) / 1e6

    activity = pa.array(events[ACTIVITY], type=pa.string(), from_pandas=True)
    columns: dict[str, pa.Array] = {
        "case_id": case,
        "case_key": pa.array(row[first_pos][case_index]),
        "activity": activity,
        "row": pa.array(row),
        "position": pa.array(position),
        "begin_at": _stamps(begin),
        "completed_at": _stamps(done),
        "next_activity": _shifted(activity, nxt, has_next),
        "next_row": pa.array(row[nxt], mask=~has_next),
        "next_begin_at": _stamps(begin[nxt], ~has_next),
        "wait_seconds": pa.array(wait_after, mask=~has_next),
    }
    if start is not None:
        columns[START] = _stamps(start, start == missing)
    resource = None
    if RESOURCE in events.columns:
        resource = pa.array(events[RESOURCE].astype("str"), type=pa.string(), from_pandas=True)
        columns[RESOURCE] = resource
    columns["prev_activity"] = _shifted(activity, prv, has_prev)
    columns["prev_completed_at"] = _stamps(done[prv], ~has_prev)
    columns["prev_resource"] = (
        _shifted(resource, prv, has_prev) if resource is not None else pa.nulls(n, pa.string())
    )
    columns["prev_wait"] = pa.array(wait_after[prv], mask=~has_prev)
    return pa.table(columns)


def _micros(values: pd.Series) -> np.ndarray | None:
    """Microseconds since the epoch (NaT: int64 min), or None for a column that is not a UTC datetime."""
    if not isinstance(values.dtype, pd.DatetimeTZDtype):
        return None
    naive = values.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[us]")
    return naive.to_numpy().view(np.int64)


def _stamps(micros: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    if mask is None:
        mask = micros == np.iinfo(np.int64).min
    return pa.array(micros, type=pa.int64(), mask=mask).cast(UTC_US)


def _shifted(values: pa.Array, index: np.ndarray, present: np.ndarray) -> pa.Array:
    return pc.take(values, pa.array(index, mask=~present))
