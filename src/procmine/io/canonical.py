"""From a raw frame (source columns, any format) to the canonical EventLog, accounting for every row.

Each row is used, or dropped for the first reason that applies, in this order:
``missing_case_id``, ``missing_activity``, ``unparseable_timestamp`` (the completion time; a bad start
time only empties the start), ``duplicate_event`` (same values in every source column as an earlier
row), ``unpaired_lifecycle`` (see ``lifecycle``). Lifecycle start rows merged into their completion
count as used, so ``rows_read == rows_used + rows_dropped`` and ``events == rows_used - lifecycle_pairs``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from procmine.errors import InputError
from procmine.io import lifecycle, quality
from procmine.io.timestamps import parse_timestamps
from procmine.model.log import (
    ACTIVITY,
    CANONICAL,
    CASE,
    RESOURCE,
    ROW,
    START,
    TIMESTAMP,
    ColumnMapping,
    DataQuality,
    EventLog,
)


def build_event_log(
    raw: pd.DataFrame,
    mapping: ColumnMapping,
    *,
    source: Path,
    fmt: str,
    timezone: str = "UTC",
    timestamp_format: str | None = None,
    notes: list[str] | None = None,
    now: pd.Timestamp | None = None,
) -> EventLog:
    notes = list(notes or [])
    where = str(source)
    rows_read = len(raw)
    raw = raw.reset_index(drop=True)
    dropped = dict.fromkeys(("missing_case_id", "missing_activity", "unparseable_timestamp",
                             "duplicate_event", "unpaired_lifecycle"), 0)

    case = _text(raw[mapping.case])
    activity = _text(raw[mapping.activity])
    keep = case.notna().to_numpy().copy()
    dropped["missing_case_id"] = int((~keep).sum())
    missing = activity.isna().to_numpy() & keep
    dropped["missing_activity"] = int(missing.sum())
    keep &= ~missing

    ts = parse_timestamps(raw[mapping.timestamp], column=mapping.timestamp, source=where,
                          timezone=timezone, fmt=timestamp_format)
    if ts.note:
        notes.append(f"{mapping.timestamp}: {ts.note}")
    bad_time = ts.values.isna().to_numpy() & keep
    dropped["unparseable_timestamp"] = int(bad_time.sum())
    if keep.any() and bad_time.sum() == keep.sum():
        example = raw.loc[bad_time, mapping.timestamp].dropna().head(1).tolist()
        raise InputError(source, f"no timestamp in column {mapping.timestamp!r} could be read as "
                         f"{ts.format}{f' (e.g. {example[0]!r})' if example else ''}")
    keep &= ~bad_time

    duplicate = raw.duplicated(keep="first").to_numpy() & keep if keep.any() else keep
    dropped["duplicate_event"] = int(duplicate.sum())
    keep &= ~duplicate

    events = pd.DataFrame({CASE: case, ACTIVITY: activity, TIMESTAMP: ts.values})
    if mapping.start:
        start = parse_timestamps(raw[mapping.start], column=mapping.start, source=where,
                                 timezone=timezone, fmt=timestamp_format)
        events[START] = start.values
        bad_start = int((start.values.isna() & raw[mapping.start].notna()).to_numpy()[keep].sum())
        if bad_start:
            notes.append(f"{bad_start} start times in {mapping.start!r} could not be read; those events "
                         "have no start time")
    if mapping.resource:
        events[RESOURCE] = _text(raw[mapping.resource])
    events[ROW] = np.arange(len(raw), dtype=np.int64)
    used_source = {mapping.case, mapping.activity, mapping.timestamp, mapping.start, mapping.resource,
                   mapping.lifecycle}
    for column in raw.columns:
        if column not in used_source:
            name = f"{column}_original" if column in CANONICAL else column
            events[name] = raw[column]

    pairs = 0
    if mapping.lifecycle and lifecycle.is_lifecycle(raw[mapping.lifecycle]):
        kind = lifecycle.classify(raw[mapping.lifecycle])[keep]
        kept = events[keep]
        if mapping.start:  # start times come from their own column: only completions are events
            paired = lifecycle.Paired(kept[kind == 0], 0, int((kind != 0).sum()), 0)
        else:
            paired = lifecycle.pair(kept, kind)
        events, pairs = paired.events, paired.pairs
        dropped["unpaired_lifecycle"] = paired.unpaired
        if paired.pairs and paired.completes_without_start:
            notes.append(f"{paired.completes_without_start} completions have no start event "
                         "(kept without a start time)")
    else:
        if mapping.lifecycle:
            notes.append(f"column {mapping.lifecycle!r} holds no start/complete values: not used as lifecycle")
            events[mapping.lifecycle] = raw[mapping.lifecycle]
            mapping = ColumnMapping(**{**mapping.to_dict(), "lifecycle": None})
        events = events[keep]

    events = events.sort_values([CASE, TIMESTAMP, ROW], kind="stable").reset_index(drop=True)
    if events.empty:
        reasons = ", ".join(f"{n} {r.replace('_', ' ')}" for r, n in dropped.items() if n) or "no rows"
        raise InputError(source, f"no usable events ({rows_read} rows read; dropped: {reasons})")

    data_quality = DataQuality(
        rows_read=rows_read,
        rows_used=len(events) + pairs,
        dropped=dropped,
        lifecycle_pairs=pairs,
        out_of_order_cases=quality.out_of_order_cases(events),
        future_events=quality.future_events(events, now or pd.Timestamp.now(tz="UTC")),
        single_event_cases=quality.single_event_cases(events),
        timezone=timezone,
        notes=notes,
    )
    assert data_quality.rows_read == data_quality.rows_used + data_quality.rows_dropped, data_quality
    return EventLog(
        events=events,
        source=source,
        format=fmt,
        columns=mapping,
        quality=data_quality,
        case_attributes=quality.case_attributes(events),
    )


def _text(values: pd.Series) -> pd.Series:
    """Values as text with surrounding blanks removed; blank or missing becomes NA."""
    if values.dtype.kind == "f":  # 12.0 from a float column is the id 12
        whole = values.dropna()
        if len(whole) and (whole == whole.round()).all():
            values = values.astype("Int64")
    text = values.astype("str").str.strip()
    return text.where(values.notna() & (text != ""))
