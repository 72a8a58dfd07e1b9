"""Reading an XES log's events as an Arrow stream: the suspected copies are picked out of the frame
(``ArrowEvents.rows_on``) rather than joined from the stream, and the canonical events read the source's
other columns back with the join's hash table built of the events (``table_writes.write_events``). Both
give the table the join from the raw relation gave: the same rows, in the same order, the same copies
dropped."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest

from procmine.io import table_writes, xes_log
from procmine.io.logs import read_log

pytest.importorskip("rustxes")

EXTRA = 12  # attributes per event besides the canonical ones: the staged table leaves them out


def event(activity: str, minute: int, transition: str = "complete", resource: str = "ann") -> str:
    extra = "".join(f'<string key="x{k}" value="{activity}{k}"/>' for k in range(EXTRA))
    return (
        f'<event><string key="concept:name" value="{activity}"/>'
        f'<string key="lifecycle:transition" value="{transition}"/>'
        f'<date key="time:timestamp" value="2024-01-01T09:{minute:02d}:00+01:00"/>'
        f'<string key="org:resource" value="{resource}"/>{extra}</event>'
    )


def log_text() -> str:
    first = [
        event("A", 0, "start"),
        event("A", 5),
        event("A", 5),  # a copy of the row before: dropped
        event("A", 5, resource="bob"),  # same case, activity and time, not a copy: kept
        event("B", 9, "schedule"),
        event("B", 10),
    ]
    second = [event("A", 1), event("A", 1), event("C", 2, "start"), event("C", 3)]
    traces = "".join(
        f'<trace><string key="concept:name" value="c{n}"/>{"".join(events)}</trace>'
        for n, events in enumerate([first, second])
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0">{traces}</log>\n'


def read(tmp_path: Path) -> tuple[list[Any], dict[str, int], str]:
    path = tmp_path / "log.xes.gz"
    path.write_bytes(gzip.compress(log_text().encode()))
    log = read_log(path, processes=1)
    con = log.store.con
    rows = con.execute(f"SELECT * FROM {log.store.table}").fetchall()  # (in the order it was written)
    disabled = con.execute("SELECT current_setting('disabled_optimizers')").fetchall()[0][0]
    return rows, log.quality.dropped, disabled


def test_copies_picked_from_the_frame_and_columns_read_back_give_the_joins_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    picked: list[str | None] = []
    rows_on = xes_log.ArrowEvents.rows_on

    def spied(self: xes_log.ArrowEvents, con: Any) -> Any:
        rows = rows_on(self, con)
        return lambda listing: picked.append(rows(listing)) or picked[-1]

    monkeypatch.setattr(xes_log.ArrowEvents, "rows_on", spied)
    rows, dropped, disabled = read(tmp_path)
    assert picked == ["_raw_xes_rows"] and disabled == ""
    assert dropped["duplicate_event"] == 2 and dropped["unpaired_lifecycle"] == 0
    monkeypatch.setattr(xes_log.ArrowEvents, "rows_on", lambda self, con: lambda listing: None)
    monkeypatch.setattr(table_writes, "_AS_WRITTEN", ())  # the optimizer's own choice of sides
    joined, joined_dropped, _ = read(tmp_path)
    assert rows == joined and dropped == joined_dropped
    assert len(rows) == 5 and len(rows[0]) > EXTRA  # (10 rows: 2 copies, 2 starts paired, 1 set aside)
