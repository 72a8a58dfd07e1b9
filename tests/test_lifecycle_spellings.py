"""The lifecycle helper columns looked up by value (``lifecycle.Spellings``) against the same columns folded
row by row (``lifecycle.kind_sql``, ``word_sql``), on a column of awkward spellings; and when the values are
not written out (too many, too long, a NUL)."""

from __future__ import annotations

import duckdb
import pytest

from procmine.io import lifecycle

AWKWARD = [" Start ", "COMPLETE", None, "", "  ", "schedule", "it's", "\tbegin\n", "Completed", "ATE_ABORT",
           "start", "çomplete", "START"]


def _connection(values: list[str | None]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE raw (n INTEGER, t VARCHAR)")
    con.executemany("INSERT INTO raw VALUES (?, ?)", list(enumerate(values)))
    return con


def _helpers(con: duckdb.DuckDBPyConnection, kind: str, word: str) -> list[tuple]:
    return con.execute(f"SELECT n, {kind}, {word} FROM raw ORDER BY n").fetchall()


def test_looked_up_equals_folded_row_by_row() -> None:
    con = _connection(AWKWARD * 3)
    spelled = lifecycle.spellings(con, "raw", "t")
    assert spelled is not None and spelled.lifecycle
    assert len(spelled.found) == len(set(AWKWARD))
    looked_up = _helpers(con, spelled.kind_sql("t"), spelled.word_sql("t"))
    folded = _helpers(con, lifecycle.kind_sql("t"), lifecycle.word_sql("t"))
    assert looked_up == folded
    kinds = {value: kind for _, kind, value in looked_up}
    assert kinds["start"] == 1 and kinds["complete"] == 0 and kinds["schedule"] == 2  # (not all one kind)
    assert next(word for n, _, word in looked_up if AWKWARD[n % len(AWKWARD)] is None) == "complete"


def test_no_start_or_complete_value_is_no_lifecycle_column() -> None:
    con = _connection(["schedule", "assign", None, ""])
    spelled = lifecycle.spellings(con, "raw", "t")
    assert spelled is not None and not spelled.lifecycle
    assert spelled.lifecycle == lifecycle.is_lifecycle(con, "raw", "t")


def test_only_missing_values() -> None:
    con = _connection([None, None])
    spelled = lifecycle.spellings(con, "raw", "t")
    assert spelled is not None and not spelled.lifecycle
    looked_up = _helpers(con, spelled.kind_sql("t"), spelled.word_sql("t"))
    assert looked_up == [(0, 0, "complete"), (1, 0, "complete")]


@pytest.mark.parametrize(
    "values",
    [
        [f"step {n}" for n in range(lifecycle.MAX_SPELLINGS + 1)],
        ["start", "x" * 5000],
        ["start", "com\0plete"],
    ],
    ids=["too many", "too long", "NUL"],
)
def test_values_not_written_out(values: list[str]) -> None:
    assert lifecycle.spellings(_connection(values), "raw", "t") is None


def test_as_many_as_allowed_are_written_out() -> None:
    values = [f"step {n}" for n in range(lifecycle.MAX_SPELLINGS - 1)] + ["start"]
    con = _connection(values)
    spelled = lifecycle.spellings(con, "raw", "t")
    assert spelled is not None and spelled.lifecycle
    assert _helpers(con, spelled.kind_sql("t"), spelled.word_sql("t")) == _helpers(
        con, lifecycle.kind_sql("t"), lifecycle.word_sql("t")
    )
