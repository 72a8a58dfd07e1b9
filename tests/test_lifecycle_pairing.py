"""Lifecycle pairing in SQL against a plain FIFO queue per case and activity, on random logs: ties in time,
starts that never complete, completions without a start, other transitions, order-only logs."""

from __future__ import annotations

import random
from collections import deque
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb
import pytest

from procmine.io import lifecycle

START, COMPLETE, OTHER = 1, 0, 2
WORDS = {START: "start", COMPLETE: "complete", OTHER: "schedule"}


def random_rows(rng: random.Random, timed: bool) -> list[tuple]:
    """(row, case, activity, time, kind) in a random source order."""
    rows = []
    base = datetime(2024, 1, 1, tzinfo=UTC)
    for row in range(rng.randint(0, 60)):
        kind = rng.choices([START, COMPLETE, OTHER], weights=[4, 5, 1])[0]
        moment = base + timedelta(minutes=rng.randint(0, 12)) if timed else None  # many ties
        rows.append((row, f"c{rng.randint(1, 3)}", rng.choice("ABC"), moment, kind))
    rng.shuffle(rows)
    return rows


def fifo(rows: list[tuple]) -> tuple[dict[int, datetime | None], int, int]:
    """Each completion's start time (None: no start), the pairs and the starts left open: each completion
    takes the oldest open start of its case and activity, in time order, a start first at the same time."""
    groups: dict[tuple[str, str], list[tuple]] = {}
    for row in rows:
        if row[4] != OTHER:
            groups.setdefault((row[1], row[2]), []).append(row)
    started: dict[int, datetime | None] = {}
    pairs = open_starts = 0
    for group in groups.values():
        queue: deque[tuple] = deque()
        for row, _, _, moment, kind in sorted(group, key=lambda r: (r[3] or 0, -r[4], r[0])):
            if kind == START:
                queue.append(moment)
            elif queue:
                started[row], pairs = queue.popleft(), pairs + 1
            else:
                started[row] = None
        open_starts += len(queue)
    return started, pairs, open_starts


def paired_in_sql(
    rows: list[tuple], con: Any = None
) -> tuple[dict[int, datetime | None], int, int, list[str]]:
    """``lifecycle.events`` on ``rows`` in ``con`` (default: a new DuckDB connection; or Spark's)."""
    import pandas as pd

    if con is None:
        con = duckdb.connect()
        con.execute("SET TimeZone = 'UTC'")
    frame = pd.DataFrame(rows, columns=["row", "case_id", "activity", "timestamp", "kind"])
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    frame["extra"] = "x" + frame["row"].astype(str)
    frame["word"] = frame["kind"].map(WORDS)
    con.register("frame", frame)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE kept AS SELECT case_id, activity, timestamp, "row", extra,
            CAST(kind AS INTEGER) AS {lifecycle.KIND}, word AS {lifecycle.WORD} FROM frame"""
    )
    dropped: dict[str, int] = {}
    notes: list[str] = []
    pairs, set_aside = lifecycle.events(con, "kept", "ev", start_column=False, dropped=dropped, notes=notes)
    others = sum(r[4] == OTHER for r in rows)
    assert set_aside == ({"schedule": others} if others else {})
    columns = [d[0] for d in con.execute("SELECT * FROM ev LIMIT 0").description]
    start = "start_timestamp" if "start_timestamp" in columns else "NULL"
    events = con.execute(f'SELECT "row", {start}, extra FROM ev').fetchall()
    assert all(extra == f"x{row}" for row, _, extra in events)  # the completion's own columns
    lifecycle.release(con)
    return {row: start for row, start, _ in events}, pairs, dropped["unpaired_lifecycle"], columns


def many_logs(rng: random.Random, timed: bool, logs: int) -> list[tuple]:
    """Random logs side by side (their cases apart), source rows numbered through."""
    rows: list[tuple] = []
    for log in range(logs):
        for _, case, activity, moment, kind in random_rows(rng, timed):
            rows.append((len(rows), f"{log}-{case}", activity, moment, kind))
    rng.shuffle(rows)
    return rows


@pytest.mark.parametrize("timed", [True, False])
def test_pairing_equals_a_fifo_queue_on_random_logs(timed: bool) -> None:
    rng = random.Random(20261205 + timed)
    for logs in [1] * 20 + [200] * 3:  # alone, or beside others (an activity started in another log)
        rows = many_logs(rng, timed, logs)
        started, pairs, unpaired, columns = paired_in_sql(rows)
        expected, expected_pairs, expected_unpaired = fifo(rows)
        if timed:
            assert started == expected, rows
        else:  # order-only: no start times to compare, which completions found a start is counted
            assert started.keys() == expected.keys(), rows
        assert (pairs, unpaired) == (expected_pairs, expected_unpaired), rows
        assert not [c for c in columns if c.startswith("__")]


def test_a_completion_before_any_start_stays_unpaired_and_later_ones_pair_in_order() -> None:
    """A B completion that comes first finds no start; the two starts then go to the next two completions,
    the older start to the earlier one."""
    at = [datetime(2024, 1, 1, h, tzinfo=UTC) for h in range(8)]
    rows = [
        (0, "c", "B", at[0], COMPLETE),
        (1, "c", "B", at[1], START),
        (2, "c", "B", at[2], START),
        (3, "c", "B", at[3], COMPLETE),
        (4, "c", "B", at[4], COMPLETE),
        (5, "c", "B", at[5], COMPLETE),
        (6, "c", "B", at[6], START),
    ]
    started, pairs, unpaired, _ = paired_in_sql(rows)
    assert started == {0: None, 3: at[1], 4: at[2], 5: None}
    assert (pairs, unpaired) == (2, 1)
