"""The steps table built from the canonical order (no window sort) equals the one the SQL window builds,
and one connection per log is shared by the analyses."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from procmine.engine import db, dfg
from procmine.engine.ordered import steps_arrow
from procmine.engine.times import prepare_steps
from tests.factories import make_log

ROWS = [
    ("c2", "A", "2024-01-02 09:00", "2024-01-02 08:00", "ann"),
    ("c2", "C", "2024-01-02 09:30", None, "bob"),
    ("c2", "B", "2024-01-02 09:30", "2024-01-02 09:40", "ann"),  # starts after C ended: overlap wait 0
    ("c1", "A", "2024-01-01 09:00", "2024-01-01 08:30", None),
    ("c1", "B", "2024-01-01 10:00", "2024-01-01 09:30", "bob"),  # started before A ended
    ("c1", "C", "2024-01-01 12:00", "2024-01-01 11:00", "bob"),
    ("c3", "B", "2024-01-03 11:00", None, "cy"),  # written before A, happens after it
    ("c3", "A", "2024-01-03 09:00", None, "cy"),
    ("c10", "B", "2024-01-04 08:00", "2024-01-04 07:00", "ann"),
    ("c10", "B", "2024-01-04 08:20", "2024-01-04 08:10", "ann"),
    ("c9", "A", "2024-01-05 08:00", None, "dan"),  # a single-event case
]


def _steps(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    dfg.ensure_steps(con)
    frame = con.execute(
        f"SELECT * EXCLUDE (activity, next_activity, prev_activity), activity::VARCHAR AS a, "
        f"next_activity::VARCHAR AS na, prev_activity::VARCHAR AS pa FROM {dfg.STEPS} "
        f'ORDER BY "row"'
    ).df()
    return frame


# DuckDB's .df() calls DataFrame.drop(inplace=True), deprecated in pandas 3.1: not ours to fix
@pytest.mark.filterwarnings("ignore:The inplace keyword:DeprecationWarning")
@pytest.mark.parametrize("width", [3, 4, 5])
def test_ordered_steps_equal_the_sql_window(width):
    log = make_log([r[:width] for r in ROWS])
    assert steps_arrow(log.events) is not None
    fast = db.connect(log)
    window = db.connect(log, db.EventFilter(activities=("A", "B", "C")))  # a filter: the SQL window path
    assert window.filtered and not fast.filtered
    pd.testing.assert_frame_equal(_steps(fast), _steps(window))
    prepare_steps(fast)
    prepare_steps(window)
    for table in ("pm_steps", "pm_cases"):
        sql = f"SELECT * FROM {table} ORDER BY {'row' if table == 'pm_steps' else 'case_id'}"
        pd.testing.assert_frame_equal(fast.execute(sql).df(), window.execute(sql).df())


def test_a_frame_out_of_order_falls_back_to_the_window():
    log = make_log([r[:3] for r in ROWS])
    shuffled = log.events.take(list(range(len(ROWS)))[::-1]).reset_index(drop=True)
    assert steps_arrow(shuffled) is None
    log.events = shuffled
    con = db.connect(log)
    arcs = {(a.source, a.target): a.count for a in dfg.dfg(con)}
    assert arcs == {("A", "B"): 2, ("A", "C"): 1, ("B", "C"): 1, ("C", "B"): 1, ("B", "B"): 1}


def test_one_connection_per_log_is_shared_and_survives_close():
    log = make_log([r[:3] for r in ROWS])
    first = db.connect(log)
    dfg.ensure_steps(first)
    first.close()
    second = db.connect(log)
    assert second is first
    assert second.execute(f"SELECT count(*) FROM {dfg.STEPS}").fetchall()[0][0] == len(ROWS)
    other = db.connect(make_log([r[:3] for r in ROWS]))
    assert other is not first
