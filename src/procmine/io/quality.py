"""What looks wrong in a log that was read: flags that do not drop rows, and which columns are case attributes.

All checks are vectorised over the canonical frame, sorted by case id, timestamp and row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from procmine.model.log import CANONICAL, CASE, ROW, TIMESTAMP


def out_of_order_cases(events: pd.DataFrame) -> int:
    """Cases with an event whose time is earlier than that of an event before it in the file."""
    if events.empty:
        return 0
    by_file = events[[CASE, ROW, TIMESTAMP]].sort_values([CASE, ROW], kind="stable")
    case = by_file[CASE].to_numpy()
    ts = by_file[TIMESTAMP].dt.tz_convert(None).astype("datetime64[us]").to_numpy()
    same_case = case[1:] == case[:-1]
    # comparing with the running maximum would flag every later event; one backwards step is enough
    backwards = same_case & (ts[1:] < ts[:-1])
    return int(pd.unique(case[1:][backwards]).size)


def future_events(events: pd.DataFrame, now: pd.Timestamp) -> int:
    return int((events[TIMESTAMP] > now).sum())


def single_event_cases(events: pd.DataFrame) -> int:
    sizes = events[CASE].value_counts(sort=False)
    return int((sizes == 1).sum())


def case_attributes(events: pd.DataFrame) -> list[str]:
    """Non-canonical columns with one value per case in every case (and not missing everywhere).

    ``events`` must be sorted by case id, so each case is one run of rows and a column is constant
    within every case exactly when it never changes between neighbouring rows of one case.
    """
    if events.empty:
        return []
    case = events[CASE].to_numpy()
    same_case = case[1:] == case[:-1]
    found = []
    for column in events.columns:
        if column in CANONICAL:
            continue
        values = events[column]
        if values.isna().all():
            continue
        codes, _ = pd.factorize(values, use_na_sentinel=True)
        if not np.any(same_case & (codes[1:] != codes[:-1])):
            found.append(column)
    return found
