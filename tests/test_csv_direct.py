"""A CSV log read in one pass (the staged table straight from DuckDB's reader) gives the same log as the
two-pass reader (a table of the file's text first), and falls back to it where only it can decide."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from procmine.io import csv_direct
from procmine.io.logs import read_log
from procmine.io.store import TABLE

HEADER = "case,activity,timestamp,start,agent,channel,score\n"
PLAIN = "".join(
    f"c{i % 7},{'ABCD'[i % 4]},2024-01-{1 + i % 20:02d} {i % 24:02d}:00:00+02:00,"
    f"2024-01-{1 + i % 20:02d} 00:00:00+02:00,ann,{'web' if i % 7 < 3 else 'mail'},{i % 7}\n"
    for i in range(60)
)
LOGS = {
    "plain": HEADER + PLAIN,
    "crlf": (HEADER + PLAIN).replace("\n", "\r\n"),  # Windows line ends
    # a copy (dropped), rows without case/activity/time, a later line with an earlier time
    "drops": HEADER + PLAIN + "c1,B,2024-01-06 05:00:00+02:00,2024-01-06 00:00:00+02:00,ann,web,1\n"
    "c1,B,2024-01-06 05:00:00+02:00,2024-01-06 00:00:00+02:00,ann,web,1\n"
    ",A,2024-01-01 00:00:00,,ann,web,1\nc2,,2024-01-01 00:00:00,,ann,web,1\nc3,A,,,ann,web,1\n"
    "c3,A,not a time,,ann,web,1\nc4,A,2024-01-01 00:00:00,later,ann,web,1\n",
    # the same instant spelled two ways is not a copy; second try (mixed precision); placeholder years
    "spellings": HEADER + PLAIN + "c5,A,2024-01-02 10:00:00+02:00,,bob,web,5\n"
    "c5,A,2024-01-02T08:00:00Z,,bob,web,5\nc5,B,2024-01-02 10:00:00.5+02:00,,bob,web,5\n"
    "c6,A,0001-01-01 00:00:00,,bob,web,6\nc6,B,2024-01-02 10:00:00,2024-01-03 10:00:00,bob,web,6\n",
    # lifecycle transitions: pairs, a start that never completes, a transition set aside, a copy
    "lifecycle": "case,activity,timestamp,lifecycle,agent\n"
    + "".join(
        f"c{i},A,2024-01-01 0{i}:00:00,start,ann\nc{i},A,2024-01-01 0{i}:30:00,complete,ann\n"
        f"c{i},B,2024-01-01 0{i}:40:00,schedule,bob\nc{i},B,2024-01-01 0{i}:50:00,complete,bob\n"
        for i in range(8)
    )
    + "c1,C,2024-01-02 00:00:00,start,ann\nc1,B,2024-01-01 01:50:00,complete,bob\n",
    # a lifecycle column that only says complete, as exported from XES
    "complete_only": "case,activity,timestamp,lifecycle:transition\n"
    + "".join(f"c{i % 5},{'AB'[i % 2]},2024-01-{1 + i % 9:02d} 10:00,complete\n" for i in range(40)),
    # numbers spelled with NA become numbers; a column with text after the first rows stays text
    "numbers_na": "case,activity,timestamp,score,amount\n"
    + "".join(
        f"c{i % 9},{'AB'[i % 2]},2024-01-{1 + i % 9:02d} 10:{i % 60:02d},{'NA' if i % 5 == 0 else i % 7},"
        f"{'x' if i == 10_500 else i}.5\n"
        for i in range(11_000)
    ),
    # more rows not used than a filtered view should carry: the rows used are copied
    "mostly_unused": HEADER + PLAIN + ",A,2024-01-01 00:00:00,,ann,web,1\n" * 20,
    # blanks around a value late in the file: trimmed by the two-pass reader, so it decides
    "blanks": HEADER + PLAIN * 200 + " c1 ,A,2024-01-06 05:00:00+02:00,,ann,web,1\n",
    # a blank after an activity, or a tab before a resource, only late in the file (the tests of the
    # start and the end of a value are apart); a blank in front of a value in a later row group (DuckDB
    # skips a row group by its least value) and a time that cannot be read deep in the file
    "blank_after": HEADER + PLAIN * 200 + "c1,A ,2024-01-06 05:00:00+02:00,,ann,web,1\n",
    "tab_before": HEADER + PLAIN * 200 + "c1,A,2024-01-06 05:00:00+02:00,,\tann,web,1\n",
    "blank_row_group": "case,activity,timestamp\n"
    + "".join(f"c{i % 999},A,2024-01-01 10:00\n" for i in range(130_000))
    + " c1,A,2024-01-02 10:00\n",
    "bad_time_late": HEADER + PLAIN * 200 + "c1,A,2024-13-45 05:00:00+02:00,,ann,web,1\n",
    # blanks around times late in the file: DuckDB reads them as without; one it cannot read decides
    "blank_times": HEADER + PLAIN * 200 + "c1,A, 2024-01-06 05:00:00+02:00 ,,ann,web,1\n",
    "blank_bad_time": HEADER + PLAIN * 200 + "c1,A, 2024-01-06 xx ,,ann,web,1\n",
    # copies of a row whose time only the second try reads
    "copies_second_try": HEADER + PLAIN + "c5,B,2024-01-02 10:00:00.5+02:00,,bob,web,5\n" * 2,
    # the first rows' format is not the whole file's: the two-pass reader's sample decides
    "formats": "case,activity,timestamp\n"
    + "".join(f"c{i},A,2024-01-{1 + i % 9:02d}\n" for i in range(10_000))
    + "".join(f"c{i},B,{1 + i % 28:02d}.02.2024 10:00\n" for i in range(30_000)),
}


def _two_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_direct, "read_direct", lambda *args, **kwargs: None)


@pytest.mark.parametrize("name", sorted(LOGS))
def test_one_pass_reads_the_same_log_as_two(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / f"{name}.csv"
    path.write_bytes(LOGS[name].encode("utf-8"))
    used: list[bool] = []
    direct = csv_direct.read_direct

    def spy(*args: object, **kwargs: object) -> object:
        result = direct(*args, **kwargs)  # type: ignore[arg-type]
        used.append(result is not None)
        return result

    monkeypatch.setattr(csv_direct, "read_direct", spy)
    one = read_log(path)
    two_passes = ("blanks", "blank_after", "tab_before", "blank_row_group", "blank_bad_time", "formats")
    assert used == [name not in two_passes]  # those fall back to two passes
    summary, frame = one.summary(), one.events
    if name == "numbers_na":
        assert pd.api.types.is_numeric_dtype(frame["score"])  # numbers spelled with NA: numbers
        assert not pd.api.types.is_numeric_dtype(frame["amount"])  # text after the first rows: text
    _two_pass(monkeypatch)
    two = read_log(path)
    assert summary == two.summary()
    pd.testing.assert_frame_equal(frame, two.events)


def test_rows_are_source_positions_and_a_log_using_every_row_is_a_view(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(HEADER + PLAIN, encoding="utf-8")
    log = read_log(path)
    con = log.store.con  # type: ignore[union-attr]
    kind = con.execute(f"SELECT table_type FROM information_schema.tables WHERE table_name = '{TABLE}'")
    assert kind.fetchall() == [("VIEW",)]
    rows = con.execute(f'SELECT "row", hour(timestamp) FROM {TABLE} ORDER BY "row"').fetchall()
    assert rows == [(i, (i % 24 - 2) % 24) for i in range(60)]
    assert not [c for c in log.event_columns() if c.startswith("__")]


def test_a_database_keeps_the_view_and_its_rows(tmp_path: Path) -> None:
    """--database: the view and its table are saved (a checkpoint renumbers no row: nothing is deleted)."""
    path = tmp_path / "drops.csv"
    path.write_text(LOGS["drops"], encoding="utf-8")
    database = tmp_path / "log.duckdb"
    first = read_log(path, database=database)
    frame, summary = first.events, first.summary()
    first.store.con.close()  # type: ignore[union-attr]
    again = read_log(path, database=database)
    assert again.summary() == summary
    pd.testing.assert_frame_equal(again.events, frame)


def test_a_database_takes_another_log_in_place_of_a_view_or_a_table(tmp_path: Path) -> None:
    """The canonical events of an earlier log in the database (a view, then a copy) make way for the next."""
    database = tmp_path / "log.duckdb"
    for name in ("drops", "mostly_unused", "drops"):  # a view of the staged table, a copy, a view again
        path = tmp_path / f"{name}.csv"
        path.write_text(LOGS[name], encoding="utf-8")
        log = read_log(path, database=database)
        kind = log.store.con.execute(  # type: ignore[union-attr]
            f"SELECT table_type FROM information_schema.tables WHERE table_name = '{TABLE}'"
        ).fetchall()
        assert kind == [("VIEW" if name == "drops" else "BASE TABLE",)]
        assert log.summary() == read_log(path).summary()
        log.store.con.close()  # type: ignore[union-attr]


def test_unreadable_start_times_are_counted_with_thousands_separated(tmp_path: Path) -> None:
    rows = "".join(
        f"c{i},A,2024-01-01 10:00:00,{'never' if i % 3 == 0 else '2024-01-01 09:00:00'}\n"
        for i in range(3600)
    )
    path = tmp_path / "starts.csv"
    path.write_text("case,activity,timestamp,start\n" + rows)
    notes = read_log(path).quality.notes
    assert "1,200 start times in 'start' could not be read; those events have no start time" in notes
