"""The reading's wide tables: a lifecycle log is staged with its canonical columns alone and its other columns
are read back once, by source row, into the canonical events; small tables are written with one thread."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path
from typing import Any

import duckdb
import pytest

from procmine.io import store
from procmine.io.logs import read_log
from procmine.io.table_writes import ROW_GROUP, written_whole

# (case, activity, time, lifecycle, note): each event also holds ``timestamp`` and ``row`` attributes, which
# are not the mapped time or row: they keep their values as ``..._original``
ROWS = [
    ("c1", "A", "09:00", "start", "n0"),
    ("c1", "B", "09:10", "start", "n1"),
    ("c1", "A", "09:30", "complete", "n2"),
    ("c2", "A", "09:40", "complete", "n3"),
    ("c1", "B", "09:50", "complete", "n4"),
    ("c1", "B", "09:55", "schedule", "n5"),
    ("c1", "C", "10:00", "complete", "n6"),
]


WIDTH = 8  # other attributes of each event: more than the staged columns, so they are read back by a join


def event(activity: str, time: str, transition: str, note: str, width: int = WIDTH) -> str:
    values = {"concept:name": activity, "lifecycle:transition": transition, "note": note}
    values |= {"timestamp": f"t{note[1:]}", "row": f"r{note[1:]}"}
    values |= {f"x{n}": f"{note}.{n}" for n in range(width)}
    strings = "".join(f'<string key="{key}" value="{value}"/>' for key, value in values.items())
    return f'<event>{strings}<date key="time:timestamp" value="2024-01-01T{time}:00Z"/></event>'


def lifecycle_log(tmp_path: Path, width: int = WIDTH) -> Path:
    """One trace per case (the events of ``ROWS`` in their order), as XES."""
    traces = "".join(
        f'<trace><string key="concept:name" value="{case}"/>'
        + "".join(event(*row[1:], width=width) for row in ROWS if row[0] == case)
        + "</trace>"
        for case in ("c1", "c2")
    )
    path = tmp_path / "log.xes"
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1849.2016">{traces}</log>\n')
    return path


def read(path: Path, lifecycle: str | None = "lifecycle:transition") -> Any:
    return read_log(path, timestamp="time:timestamp", lifecycle=lifecycle)


def test_each_paired_event_keeps_its_own_rows_other_columns(tmp_path: Path) -> None:
    log = read(lifecycle_log(tmp_path))
    assert (log.quality.lifecycle_pairs, log.quality.set_aside) == (2, {"schedule": 1})
    events = log.events.sort_values("row")
    assert list(events.columns) == [
        "case_id",
        "activity",
        "timestamp",
        "start_timestamp",
        "row",
        "note",
        "row_original",
        "timestamp_original",
        *(f"x{n}" for n in range(WIDTH)),
    ]
    # the completions (source rows: c1's six events, then c2's), each with its own row's values
    assert events["row"].tolist() == [2, 3, 5, 6]
    assert events["note"].tolist() == ["n2", "n4", "n6", "n3"]
    assert events["timestamp_original"].tolist() == ["t2", "t4", "t6", "t3"]
    assert events["row_original"].tolist() == ["r2", "r4", "r6", "r3"]
    assert events["x7"].tolist() == ["n2.7", "n4.7", "n6.7", "n3.7"]
    started = events["start_timestamp"].dt.strftime("%H:%M").fillna("").tolist()
    assert started == ["09:00", "09:10", "", ""]


class Recorder:
    """A DuckDB connection that keeps the statements it runs."""

    def __init__(self, con: Any) -> None:
        self._con = con
        self.statements: list[str] = []

    def execute(self, sql: str, *args: Any) -> Any:
        self.statements.append(str(sql))
        return self._con.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


def reading_connection(
    monkeypatch: pytest.MonkeyPatch, path: Path, lifecycle: str | None = "lifecycle:transition"
) -> Recorder:
    """The connection ``path`` was read on, with the statements it ran."""
    made: list[Recorder] = []
    connect = store.connect

    def recording(*args: Any, **kwargs: Any) -> Recorder:
        made.append(Recorder(connect(*args, **kwargs)))
        return made[-1]

    monkeypatch.setattr(store, "connect", recording)
    read(path, lifecycle)
    return made[0]


def staged_statements(
    monkeypatch: pytest.MonkeyPatch, path: Path, lifecycle: str | None = "lifecycle:transition"
) -> list[str]:
    """The statements that made the staged table while ``path`` was read."""
    statements = reading_connection(monkeypatch, path, lifecycle).statements
    return [s for s in statements if "TABLE _stage" in s and "CREATE" in s]


def test_a_lifecycle_log_is_staged_without_its_other_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (staged,) = staged_statements(monkeypatch, lifecycle_log(tmp_path))
    assert '"note"' not in staged and '"row" AS "row_original"' not in staged


def test_a_lifecycle_log_with_few_other_columns_is_staged_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (staged,) = staged_statements(monkeypatch, lifecycle_log(tmp_path, width=0))
    assert '"note"' in staged
    assert read(lifecycle_log(tmp_path, width=0)).events.sort_values("row")["note"].tolist() == [
        "n2",
        "n4",
        "n6",
        "n3",
    ]


def test_a_log_without_lifecycle_is_staged_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = lifecycle_log(tmp_path)
    path.write_text(path.read_text().replace('key="lifecycle:transition"', 'key="stage"'))
    (staged,) = staged_statements(monkeypatch, path, lifecycle=None)
    assert '"note"' in staged
    assert read(path, lifecycle=None).events["note"].tolist() == [f"n{i}" for i in (0, 1, 2, 4, 5, 6, 3)]


def test_small_tables_are_written_with_one_thread_and_the_count_restored() -> None:
    con = duckdb.connect(config={"threads": 2})

    def threads() -> int:
        return int(con.execute("SELECT current_setting('threads')").fetchall()[0][0])

    with written_whole(con, ROW_GROUP):
        assert threads() == 1
    assert threads() == 2
    with written_whole(con, ROW_GROUP + 1):
        assert threads() == 2
    with pytest.raises(RuntimeError), written_whole(con, 10):
        raise RuntimeError
    assert threads() == 2


def test_the_raw_copy_of_a_small_xes_log_is_written_with_one_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, connect = lifecycle_log(tmp_path), store.connect
    rustxes = reading_connection(monkeypatch, path)  # rustxes's events are read where they are: no copy
    if any("TABLE _raw_xes" in s for s in rustxes.statements) and find_spec("rustxes") is not None:
        pytest.fail("rustxes's events were copied")
    made: list[Recorder] = []
    monkeypatch.setattr(store, "connect", lambda *a, **k: made.append(Recorder(connect(*a, **k))) or made[-1])
    read_log(path, timestamp="time:timestamp", lifecycle="lifecycle:transition", timezone="Asia/Kolkata")
    con = made[0]  # (a time zone other than UTC: lxml's frame, copied)
    statements = con.statements
    if int(con.execute("SELECT current_setting('threads')").fetchall()[0][0]) == 1:
        pytest.skip("DuckDB runs one thread on this machine: nothing to set")
    copy = next(i for i, s in enumerate(statements) if "TABLE _raw_xes" in s)
    assert statements[copy - 1] == "SET threads = 1" and statements[copy + 1].startswith("SET threads = ")
    assert statements[copy + 1] != "SET threads = 1"  # the count is restored after
