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
from procmine.io.timestamps import ParsedTimestamps, parse_timestamps
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

CASE_CODE = "__case_code"  # helper columns while building, removed before the log is returned
TIME_CODE = "__time_code"


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
    start_given: bool = False,
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

    case_codes = pd.factorize(case, sort=True)[0]  # in case-id order: sorting by it sorts by case id
    time_codes = lifecycle.as_int64(ts.values)
    duplicate = _duplicates(raw, keep, case_codes, pd.factorize(activity)[0], time_codes)
    dropped["duplicate_event"] = int(duplicate.sum())
    keep &= ~duplicate

    events = pd.DataFrame({CASE: case, ACTIVITY: activity, TIMESTAMP: ts.values, CASE_CODE: case_codes,
                           TIME_CODE: time_codes})
    start = _start_times(raw, mapping, where, timezone, timestamp_format, start_given, notes)
    start_source = mapping.start  # an unusable start column is left out, with a note
    if start is None and mapping.start:
        mapping = ColumnMapping(**{**mapping.to_dict(), "start": None})
    if start is not None and mapping.start:
        events[START] = start.values
        bad_start = int((start.values.isna() & raw[mapping.start].notna()).to_numpy()[keep].sum())
        if bad_start:
            notes.append(f"{bad_start} start times in {mapping.start!r} could not be read; those events "
                         "have no start time")
    if mapping.resource:
        events[RESOURCE] = _text(raw[mapping.resource])
    events[ROW] = np.arange(len(raw), dtype=np.int64)
    used_source = {mapping.case, mapping.activity, mapping.timestamp, start_source, mapping.resource,
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
            notes.append(f"column {mapping.lifecycle!r} holds no start/complete values: "
                         "not used as lifecycle")
            events[mapping.lifecycle] = raw[mapping.lifecycle]
            mapping = ColumnMapping(**{**mapping.to_dict(), "lifecycle": None})
        events = events[keep]

    if events.empty:
        reasons = ", ".join(f"{n} {r.replace('_', ' ')}" for r, n in dropped.items() if n) or "no rows"
        raise InputError(source, f"no usable events ({rows_read} rows read; dropped: {reasons})")

    order = np.lexsort((events[ROW].to_numpy(), events[TIME_CODE].to_numpy(), events[CASE_CODE].to_numpy()))
    codes = events[CASE_CODE].to_numpy()[order]
    columns = [c for c in CANONICAL if c in events.columns]
    columns += [c for c in events.columns if c not in CANONICAL and c not in (CASE_CODE, TIME_CODE)]
    events = events[columns].take(order).reset_index(drop=True)
    data_quality = DataQuality(
        rows_read=rows_read,
        rows_used=len(events) + pairs,
        dropped=dropped,
        lifecycle_pairs=pairs,
        out_of_order_cases=quality.out_of_order_cases(events, codes),
        future_events=quality.future_events(events, now or pd.Timestamp.now(tz="UTC")),
        single_event_cases=quality.single_event_cases(codes),
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
        case_attributes=quality.case_attributes(events, codes),
    )


def _start_times(raw: pd.DataFrame, mapping: ColumnMapping, where: str, timezone: str,
                 timestamp_format: str | None, given: bool, notes: list[str]) -> ParsedTimestamps | None:
    """Start times are optional: a detected start column that is empty or holds no dates is left out
    (with a note); one the user named must be readable."""
    if not mapping.start:
        return None
    values = raw[mapping.start]
    try:
        return parse_timestamps(values, column=mapping.start, source=where, timezone=timezone,
                                fmt=timestamp_format)
    except InputError as exc:
        if given:
            raise
        notes.append(f"start column {mapping.start!r} not used: {exc.cause}")
        return None


def _duplicates(raw: pd.DataFrame, keep: np.ndarray, case: np.ndarray, activity: np.ndarray,
                time: np.ndarray) -> np.ndarray:
    """Rows (among ``keep``) equal in every source column to an earlier row. Only rows whose case,
    activity and time repeat can be such copies, so the full comparison runs on those alone."""
    duplicate = np.zeros(len(raw), dtype=bool)
    kept = np.flatnonzero(keep)
    if len(kept) < 2:
        return duplicate
    pair_key = case[kept].astype(np.int64) * (int(activity.max()) + 2) + activity[kept]
    time_key = time[kept]
    order = np.lexsort((time_key, pair_key))
    same = (pair_key[order][1:] == pair_key[order][:-1]) & (time_key[order][1:] == time_key[order][:-1])
    if not same.any():
        return duplicate
    suspects = np.unique(np.concatenate([kept[order][1:][same], kept[order][:-1][same]]))
    twins = raw.iloc[suspects].duplicated(keep="first").to_numpy()
    duplicate[suspects[twins]] = True
    return duplicate


def _text(values: pd.Series) -> pd.Series:
    """Values as text with surrounding blanks removed; blank or missing becomes NA."""
    if values.dtype.kind == "f":  # 12.0 from a float column is the id 12
        whole = values.dropna()
        if len(whole) and (whole == whole.round()).all():
            values = values.astype("Int64")
    text = values.astype("str").str.strip()
    return text.where(values.notna() & (text != ""))
