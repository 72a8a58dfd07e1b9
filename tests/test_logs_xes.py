"""Reading XES (plain, gzipped) and Parquet logs: lifecycle pairing, trace attributes, hardened XML."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from procmine.errors import InputError
from procmine.io.logs import read_log
from procmine.io.xes_log import read_xes


def event(activity: str, time: str, transition: str | None = "complete", resource: str = "ann") -> str:
    lifecycle = f'<string key="lifecycle:transition" value="{transition}"/>' if transition else ""
    return (
        f'<event><string key="concept:name" value="{activity}"/>{lifecycle}'
        f'<date key="time:timestamp" value="{time}"/>'
        f'<string key="org:resource" value="{resource}"/></event>'
    )


def trace(case: str | None, *events: str, channel: str = "phone") -> str:
    name = f'<string key="concept:name" value="{case}"/>' if case else ""
    attributes = f'<string key="channel" value="{channel}"/><int key="score" value="7"/>'
    return f"<trace>{name}{attributes}{''.join(events)}</trace>"


def xes(*traces: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1849.2016" '
        f'xmlns="http://www.xes-standard.org/">{"".join(traces)}</log>\n'
    )


def write(tmp_path: Path, text: str, name: str = "log.xes") -> Path:
    path = tmp_path / name
    path.write_bytes(gzip.compress(text.encode()) if name.endswith(".gz") else text.encode())
    return path


LIFECYCLE_LOG = xes(
    trace(
        "c1",
        event("A", "2024-01-01T09:00:00+01:00", "start"),
        event("A", "2024-01-01T09:30:00+01:00", "complete"),
        event("B", "2024-01-01T10:00:00+01:00", "schedule"),
        event("B", "2024-01-01T10:05:00+01:00", "start"),
        event("B", "2024-01-01T10:10:00+01:00", "start"),
        event("B", "2024-01-01T10:20:00+01:00", "complete"),
        event("B", "2024-01-01T10:40:00+01:00", "complete"),
        event("C", "2024-01-01T11:00:00+01:00", "complete"),
        event("D", "2024-01-01T12:00:00+01:00", "start"),
    ),
    trace("c2", event("A", "2024-01-02T09:00:00Z", None), channel="email"),
)


@pytest.mark.parametrize("name", ["log.xes", "log.xes.gz"])
def test_lifecycle_pairs_fifo(tmp_path: Path, name: str) -> None:
    log = read_log(write(tmp_path, LIFECYCLE_LOG, name))
    q = log.quality
    assert q.rows_read == 10
    assert q.lifecycle_pairs == 3
    assert q.dropped["unpaired_lifecycle"] == 1  # D's start that never completes
    assert q.set_aside == {"schedule": 1}  # not an execution, and no defect: set aside, not dropped
    assert q.rows_used == 8 and len(log.events) == 5
    assert q.rows_read == q.rows_used + q.rows_dropped + q.rows_set_aside
    ev = log.events[log.events["case_id"] == "c1"].set_index(["activity", "timestamp"])["start_timestamp"]
    utc = lambda s: pd.Timestamp(s, tz="UTC")  # noqa: E731
    assert ev[("A", utc("2024-01-01 08:30"))] == utc("2024-01-01 08:00")
    # FIFO: the first B completion takes the first B start
    assert ev[("B", utc("2024-01-01 09:20"))] == utc("2024-01-01 09:05")
    assert ev[("B", utc("2024-01-01 09:40"))] == utc("2024-01-01 09:10")
    assert pd.isna(ev[("C", utc("2024-01-01 10:00"))])  # completion without a start stays, instantaneous
    c2 = log.events[log.events["case_id"] == "c2"]
    assert len(c2) == 1  # no lifecycle attribute counts as complete


def test_completion_before_any_start_is_not_paired_with_a_later_start(tmp_path: Path) -> None:
    text = xes(
        trace(
            "c",
            event("A", "2024-01-01T09:00:00Z", "complete"),
            event("A", "2024-01-01T10:00:00Z", "start"),
            event("A", "2024-01-01T11:00:00Z", "complete"),
        )
    )
    ev = read_log(write(tmp_path, text)).events
    assert pd.isna(ev.loc[0, "start_timestamp"])
    assert ev.loc[1, "start_timestamp"] == pd.Timestamp("2024-01-01 10:00", tz="UTC")


def test_trace_attributes_become_case_columns_without_prefix(tmp_path: Path) -> None:
    log = read_log(write(tmp_path, LIFECYCLE_LOG))
    assert log.columns.case == "case:concept:name"
    assert {"channel", "score"} <= set(log.events.columns)
    assert set(log.case_attributes) == {"channel", "score"}
    assert log.events.groupby("case_id")["channel"].first().to_dict() == {"c1": "phone", "c2": "email"}


def test_rustxes_and_lxml_give_the_same_frame(tmp_path: Path, sample_logs: Path) -> None:
    path = write(tmp_path, LIFECYCLE_LOG)
    fast, parser = read_xes(path, "UTC")
    slow, _ = read_xes(path, "Europe/Berlin")  # a time zone other than UTC needs the lxml parser
    if parser != "rustxes":
        pytest.skip("rustxes is not installed")
    assert sorted(fast.columns) == sorted(slow.columns) and len(fast) == len(slow)
    a = read_log(path).events
    b = read_log(path, timezone="Asia/Kolkata").events  # every date carries an offset: zone irrelevant
    pd.testing.assert_frame_equal(
        a[["case_id", "activity", "timestamp", "row"]], b[["case_id", "activity", "timestamp", "row"]]
    )


def test_traces_without_case_id_are_counted(tmp_path: Path) -> None:
    one = event("A", "2024-01-01T09:00:00Z")
    text = xes(trace("c1", one), trace(None, one))
    q = read_log(write(tmp_path, text)).quality
    assert q.dropped["missing_case_id"] == 1 and q.rows_used == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('<?xml version="1.0"?><!DOCTYPE log [<!ENTITY a "aaaa">]><log><trace>&a;</trace></log>', "DOCTYPE"),
        ('<?xml version="1.0"?><!DOCTYPE log SYSTEM "file:///etc/passwd"><log/>', "DOCTYPE"),
        ('<?xml version="1.0"?><definitions/>', "not an XES log"),
        ('<?xml version="1.0"?><log><trace>', "not well-formed"),
        ("", "empty"),
        ('<?xml version="1.0"?><log></log>', "no events"),
    ],
)
def test_hostile_or_broken_xml_is_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_log(write(tmp_path, text))


def test_parquet(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "case_id": [1, 1, 2],
            "activity": ["A", "B", "A"],
            "timestamp": pd.to_datetime(["2024-01-01 10:00", "2024-01-01 11:00", "2024-01-02 10:00"]),
            "amount": [5.0, 5.0, 7.5],
        }
    )
    path = tmp_path / "log.parquet"
    frame.to_parquet(path)
    log = read_log(path, timezone="Europe/Berlin")
    assert log.format == "parquet"
    assert list(log.events["case_id"]) == ["1", "1", "2"]  # ids become text
    assert log.events.loc[0, "timestamp"] == pd.Timestamp("2024-01-01 09:00", tz="UTC")
    assert log.case_attributes == ["amount"]


@pytest.mark.shared_data
@pytest.mark.parametrize(
    "name",
    [
        "pm4py/input_data/running-example.xes",
        "pm4py/compressed_input_data/08_receipt.xes.gz",
        "real/bpic2020_bptlab/PrepaidTravelCost.xes.gz",
        "real/genlstm/Production.xes.gz",
    ],
)
@pytest.mark.slow
def test_counts_match_pm4py(shared_data: Path, name: str) -> None:
    import pm4py

    path = shared_data / "logs" / name
    log = read_log(path)
    theirs = pm4py.read_xes(str(path), return_legacy_log_object=False)
    assert log.quality.rows_read == len(theirs)
    assert log.summary()["cases"] == theirs["case:concept:name"].nunique()
    lifecycle = theirs.get("lifecycle:transition", pd.Series("complete", index=theirs.index)).str.lower()
    completes = theirs[lifecycle == "complete"].drop_duplicates()
    assert len(log.events) == len(completes)
    expected = completes.groupby("concept:name").size().to_dict()
    assert log.events.groupby("activity").size().to_dict() == expected
    their_first = pd.to_datetime(theirs["time:timestamp"], utc=True).min()
    assert log.events["start_timestamp" if log.has_start_times else "timestamp"].min() == their_first


@pytest.mark.shared_data
def test_parquet_matches_pm4py_csv_counterpart(shared_data: Path) -> None:
    parquet = read_log(shared_data / "logs/pm4py/input_data/receipt.parquet")
    csv = read_log(shared_data / "logs/pm4py/input_data/receipt.csv.gz")
    assert len(parquet.events) == len(csv.events) == 8577
    assert parquet.events.groupby("activity").size().equals(csv.events.groupby("activity").size())


@pytest.mark.slow
@pytest.mark.shared_data
def test_bpic2012_schedule_events_are_set_aside_not_dropped(shared_data: Path) -> None:
    log = read_log(shared_data / "logs/pm4py/input_data/bpic2012.xes.gz")
    q = log.quality
    # counted in the file by hand: 164,506 COMPLETE, 71,376 START, 26,318 SCHEDULE transitions
    assert q.set_aside == {"schedule": 26_318}
    assert (q.lifecycle_pairs, q.dropped["unpaired_lifecycle"]) == (71_373, 3)  # 3 starts never complete
    assert q.rows_read == 262_200 == q.rows_used + q.rows_dropped + q.rows_set_aside


def test_the_arrow_events_are_read_where_they_are_numbered_first() -> None:
    """rustxes's Arrow table is not copied into DuckDB: the raw relation reads it in place, its row number
    ``__row`` first, so that an attribute of the same name cannot stand in for it."""
    import duckdb
    import polars as pl

    from procmine.io.logs import RAW, _frame_into
    from procmine.io.xes_log import ArrowEvents

    for table in (
        pl.DataFrame({"__row": ["x", "y", "z"], "concept:name": ["a", "b", "c"]}),
        pl.DataFrame({"concept:name": ["a", "b", "c"]}),
    ):
        con = duckdb.connect()
        _frame_into(con, ArrowEvents(table, {}))
        assert con.sql(f"SELECT * FROM {RAW}").description[0][0] == "__row"
        rows = con.sql(f'SELECT __row, "concept:name" FROM {RAW} ORDER BY __row').fetchall()
        assert rows == [(0, "a"), (1, "b"), (2, "c")]
        tables = "SELECT count(*) FROM duckdb_tables() WHERE table_name = '_raw_xes'"
        assert con.sql(tables).fetchall() == [(0,)]
