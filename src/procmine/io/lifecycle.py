"""Merge lifecycle ``start``/``complete`` events into one activity instance with a start and an end time.

Pairing is FIFO in time per case and activity: each completion takes the earliest still-open start of
the same activity in the same case at or before it. What cannot be paired is accounted for:

- a completion without a start stays an event (instantaneous: no start time);
- a start that never completes is dropped as ``unpaired_lifecycle``;
- any other transition (schedule, assign, suspend, resume, withdraw, ate_abort, ...) is dropped as
  ``unpaired_lifecycle`` too: it is not the execution of an activity.

A missing transition value counts as ``complete`` (the XES default when the attribute is absent).
When the column holds no start and no complete value at all it is not a lifecycle column; the reader
then ignores it (and says so in the notes).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from procmine.model.log import ACTIVITY, CASE, ROW, START, TIMESTAMP

START_WORDS = frozenset({"start", "started", "begin"})
COMPLETE_WORDS = frozenset({"complete", "completed", "end", "finish", "finished", "done"})
KIND = "__lifecycle_kind"  # 0 complete, 1 start, 2 other


@dataclass
class Paired:
    events: pd.DataFrame  # completions (with START filled where paired)
    pairs: int  # starts merged into their completion
    unpaired: int  # starts never completed + other transitions: dropped
    completes_without_start: int


def classify(values: pd.Series) -> pd.Series:
    """0 complete, 1 start, 2 other transition, per row."""
    words = values.astype("str").str.strip().str.lower()
    kind = np.full(len(values), 2, dtype=np.int8)
    kind[words.isin(COMPLETE_WORDS).to_numpy() | values.isna().to_numpy()] = 0
    kind[words.isin(START_WORDS).to_numpy()] = 1
    return pd.Series(kind, index=values.index)


def is_lifecycle(values: pd.Series) -> bool:
    """Does the column name lifecycle transitions at all (one start or complete value)?"""
    words = values.dropna().astype("str").str.strip().str.lower().unique()
    return any(w in START_WORDS or w in COMPLETE_WORDS for w in words)


def pair(events: pd.DataFrame, kind: pd.Series) -> Paired:
    """``events`` holds canonical CASE, ACTIVITY, TIMESTAMP, ROW; ``kind`` from ``classify``.

    Vectorised FIFO: in each case+activity group, in time order (a start before a completion at the
    same instant), let S be the running count of starts minus completions. A completion finds no open
    start exactly when S reaches a new low below zero; every other completion takes the oldest open
    start, so the k-th matched completion of a group pairs with the k-th start of that group.
    """
    kind_values = kind.to_numpy()
    other = int((kind_values == 2).sum())
    usable = kind_values < 2
    part = events[usable]
    is_start = kind_values[usable] == 1
    if not is_start.any():
        return Paired(part.copy(), 0, other, len(part))
    case_codes, _ = pd.factorize(part[CASE])
    activity_codes = pd.factorize(part[ACTIVITY])[0]
    group = case_codes.astype(np.int64) * (activity_codes.max() + 1) + activity_codes
    ts = as_int64(part[TIMESTAMP])
    row = part[ROW].to_numpy()
    order = np.lexsort((row, ~is_start, ts, group))
    g, start_sorted = group[order], is_start[order]
    running = pd.Series(np.where(start_sorted, 1, -1)).groupby(g).cumsum()
    low = np.minimum(running.groupby(g).cummin().to_numpy(), 0)
    previous_low = pd.Series(low).groupby(g).shift(1, fill_value=0).to_numpy()
    matched = ~start_sorted & (low >= previous_low)
    starts = pd.DataFrame({"g": g[start_sorted], "ts": ts[order][start_sorted]})
    starts["k"] = starts.groupby("g").cumcount()
    ends = pd.DataFrame({"g": g[matched], "pos": order[matched]})
    ends["k"] = ends.groupby("g").cumcount()
    joined = ends.merge(starts, on=["g", "k"], how="inner")
    start_ns = np.full(len(part), np.iinfo(np.int64).min, dtype=np.int64)  # NaT
    start_ns[joined["pos"].to_numpy()] = joined["ts"].to_numpy()
    out = part.copy()
    out[START] = pd.to_datetime(start_ns.view("datetime64[us]")).tz_localize("UTC")
    out = out[~is_start]
    pairs = len(joined)
    return Paired(out, pairs, other + int(is_start.sum()) - pairs, len(out) - pairs)


def as_int64(values: pd.Series) -> np.ndarray:
    """Microseconds since the epoch of a datetime64[us, UTC] column (NaT: int64 min), without objects."""
    return values.dt.tz_convert(None).astype("datetime64[us]").to_numpy().view(np.int64)
