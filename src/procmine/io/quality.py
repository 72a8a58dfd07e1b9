"""What looks wrong in a log that was read (flags that drop no rows), and which columns are case attributes.

Every check runs over the canonical frame sorted by case id, timestamp and row, with ``case_codes``
the matching integer code of each row's case (equal codes are neighbours), so each is one pass of
vectorised comparisons between neighbouring rows, without sorting again.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from procmine.model.log import CANONICAL, ROW, TIMESTAMP


def out_of_order_cases(events: pd.DataFrame, case_codes: np.ndarray) -> int:
    """Cases with an event whose time is earlier than that of an event before it in the file.

    In time order (ties broken by file position) the file positions of such a case are not
    increasing: a later line with an earlier time comes first.
    """
    rows = events[ROW].to_numpy()
    same_case = case_codes[1:] == case_codes[:-1]
    backwards = same_case & (rows[1:] < rows[:-1])
    return int(np.unique(case_codes[1:][backwards]).size)


def future_events(events: pd.DataFrame, now: pd.Timestamp) -> int:
    return int((events[TIMESTAMP] > now).sum())


def single_event_cases(case_codes: np.ndarray) -> int:
    if not len(case_codes):
        return 0
    _, sizes = np.unique(case_codes, return_counts=True)
    return int((sizes == 1).sum())


def case_attributes(events: pd.DataFrame, case_codes: np.ndarray) -> list[str]:
    """Non-canonical columns with one value per case in every case (and not missing everywhere)."""
    if events.empty:
        return []
    same_case = case_codes[1:] == case_codes[:-1]
    found = []
    for column in events.columns:
        if column in CANONICAL or column.startswith("__"):
            continue
        values = events[column]
        if values.isna().all():
            continue
        if not np.any(same_case & _changes(values)):
            found.append(column)
    return found


def _changes(values: pd.Series) -> np.ndarray:
    """For each row but the first: does its value differ from the row before (missing == missing)?"""
    try:
        array = pa.array(values, from_pandas=True)
        after, before = array[1:], array[:-1]
        same = pc.fill_null(pc.equal(after, before), False)
        both_missing = pc.and_(pc.is_null(after), pc.is_null(before))
        return ~np.asarray(pc.or_(same, both_missing).to_numpy(zero_copy_only=False), dtype=bool)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        codes, _ = pd.factorize(values, use_na_sentinel=True)
        return codes[1:] != codes[:-1]
