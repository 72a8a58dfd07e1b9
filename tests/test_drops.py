"""io.drops: the kept rows of a log whose rows hold no copies are not tested against the (empty) table of
copies, and keep the rows they kept: every row with a case, an activity and a time."""

from __future__ import annotations

import duckdb

from procmine.io.drops import define_kept, kept_condition
from procmine.model.log import ColumnMapping

MAPPING = ColumnMapping(case="c", activity="a", timestamp="t")


def test_without_copies_the_kept_rows_are_the_same_and_never_join_the_copies() -> None:
    assert "_duplicates" in kept_condition(MAPPING)
    assert "_duplicates" not in kept_condition(MAPPING, copies=False)
    con = duckdb.connect()
    con.execute(
        """CREATE TABLE _stage AS SELECT * FROM (VALUES (0, 'c1', 'A', TIMESTAMP '2024-01-01'),
           (1, NULL, 'A', TIMESTAMP '2024-01-01'), (2, 'c1', NULL, NULL), (3, 'c2', 'B', NULL),
           (4, 'c2', 'B', TIMESTAMP '2024-01-02')) v("row", case_id, activity, timestamp)"""
    )
    con.execute('CREATE TABLE _duplicates ("row" BIGINT)')
    kept = []
    for copies in (True, False):
        define_kept(con, MAPPING, copies=copies)
        kept.append(con.execute('SELECT "row" FROM _kept ORDER BY 1').fetchall())
    assert kept[0] == kept[1] == [(0,), (4,)]
