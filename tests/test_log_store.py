"""The log lives in DuckDB: the frame is made only on demand, --database keeps a loaded log, Parquet datasets
(folders of files) read as one log, --memory-limit is checked, time zones follow pandas' DST choices."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from procmine.engine import dfg
from procmine.engine.db import connect
from procmine.errors import InputError
from procmine.io import logs
from procmine.io.logs import read_log
from procmine.io.store import check_memory_limit, default_memory_limit

CSV = (
    "case,activity,timestamp,resource\n"
    "c1,A,2024-01-01 09:00,ann\nc1,B,2024-01-01 10:00,bob\nc2,A,2024-01-02 09:00,ann\n"
    "c2,C,2024-01-02 09:30,cid\nc2,B,2024-01-02 11:00,bob\n"
)


def write(tmp_path: Path, text: str = CSV, name: str = "log.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_analyses_read_the_table_not_a_frame(tmp_path: Path) -> None:
    log = read_log(write(tmp_path))
    assert not log.has_frame
    con = connect(log)
    arcs = {(a.source, a.target): a.count for a in dfg.dfg(con)}
    assert arcs == {("A", "B"): 1, ("A", "C"): 1, ("C", "B"): 1}
    assert log.summary()["cases"] == 2 and log.summary()["events"] == 5
    assert not log.has_frame  # nothing above needed pandas
    assert list(log.events["activity"]) == ["A", "B", "A", "C", "B"]  # made on demand, canonical order


def test_database_keeps_the_loaded_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, database = write(tmp_path), tmp_path / "log.duckdb"
    first = read_log(path, database=database)
    summary = first.summary()
    first.store.con.close()

    def no_reading(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the log was read again")

    monkeypatch.setattr(logs, "_read_into", no_reading)
    again = read_log(path, database=database)
    assert again.summary() == summary
    assert list(again.events["case_id"]) == ["c1", "c1", "c2", "c2", "c2"]
    again.store.con.close()
    with pytest.raises(AssertionError, match="read again"):  # other options: read again
        read_log(path, database=database, timezone="Europe/Berlin")


def test_a_changed_log_is_read_again(tmp_path: Path) -> None:
    path, database = write(tmp_path), tmp_path / "log.duckdb"
    read_log(path, database=database).store.con.close()
    write(tmp_path, CSV + "c3,A,2024-01-03 09:00,ann\n")
    log = read_log(path, database=database)
    assert log.summary()["cases"] == 3


def test_memory_limit_is_checked() -> None:
    assert check_memory_limit("4GB") == "4GB" and check_memory_limit("512") == "512MB"
    assert check_memory_limit("2.5gib") == "2.5GiB"
    for bad in ("lots", "-1GB", "0"):
        with pytest.raises(InputError, match="--memory-limit"):
            check_memory_limit(bad)
    assert default_memory_limit().endswith("MB")


def test_memory_limit_reaches_duckdb(tmp_path: Path) -> None:
    log = read_log(write(tmp_path), memory_limit="300MB")
    setting = log.store.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    assert setting.startswith("286") or "MiB" in setting or "MB" in setting


def test_parquet_dataset_folder_reads_as_one_log(tmp_path: Path) -> None:
    frame = pd.read_csv(write(tmp_path))
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    folder = tmp_path / "dataset"
    folder.mkdir()
    frame.iloc[:3].to_parquet(folder / "part-0.parquet")
    frame.iloc[3:].to_parquet(folder / "part-1.parquet")
    single = tmp_path / "one.parquet"
    frame.to_parquet(single)
    whole, parts = read_log(single), read_log(folder)
    pd.testing.assert_frame_equal(whole.events, parts.events)
    assert list(parts.events["row"]) == [0, 1, 2, 3, 4]


def test_parquet_glob(tmp_path: Path) -> None:
    frame = pd.read_csv(write(tmp_path))
    frame.iloc[:2].to_parquet(tmp_path / "a.parquet")
    frame.iloc[2:].to_parquet(tmp_path / "b.parquet")
    log = read_log(str(tmp_path / "*.parquet"))
    assert log.summary()["events"] == 5


@pytest.mark.parametrize("wall", ["2024-10-27 02:30:00", "2024-03-31 02:30:00", "2024-07-01 12:00:00"])
def test_dst_choices_follow_pandas(tmp_path: Path, wall: str) -> None:
    """The repeated hour takes the first (summer) instant; a skipped time moves to the first valid one."""
    log = read_log(write(tmp_path, f"case,activity,timestamp\nc,A,{wall}\n"), timezone="Europe/Berlin")
    expected = (
        pd.Series(pd.to_datetime([wall]))
        .dt.tz_localize("Europe/Berlin", ambiguous=np.ones(1, dtype=bool), nonexistent="shift_forward")
        .dt.tz_convert("UTC")
    )
    assert log.events.loc[0, "timestamp"] == expected[0]


def test_values_duckdb_cannot_read_get_a_second_try(tmp_path: Path) -> None:
    text = "case,activity,timestamp\nc,A,2024-01-01 10:00:00\nc,B,20240101T110000\nc,C,never\n"
    log = read_log(write(tmp_path, text))
    assert log.quality.dropped["unparseable_timestamp"] == 1
    assert list(log.events["timestamp"].dt.hour) == [10, 11]


@pytest.mark.parametrize("name", ["complaints.csv", "complaints.xes"])
def test_conformance_inputs_in_sql_equal_the_frame_version(sample_logs: Path, name: str) -> None:
    """check's variants (with each case's variant, start and end) and per-activity times, from SQL on
    the engine's table and from the pandas frame, are the same."""
    from procmine.analyses.alignment_stats import log_variants
    from procmine.analyses.conformance_tables import activity_times as _activity_times
    from tests.factories import case_variants_frame

    log = read_log(sample_logs / name)
    sql, times_sql = log_variants(log), _activity_times(log)
    assert not log.has_frame  # both came from SQL
    framed = log.replace(events=log.events)  # the same events as a frame only
    pandas, times_frame = log_variants(framed), _activity_times(framed)
    assert sql.traces == pandas.traces and sql.counts == pandas.counts
    columns = ["case_id", "variant", "start", "end"]
    left, right = case_variants_frame(sql)[columns], case_variants_frame(pandas)[columns]
    assert list(left["case_id"]) == list(right["case_id"]) and list(left["variant"]) == list(right["variant"])
    assert (left["start"] == right["start"]).all() and (left["end"] == right["end"]).all()
    assert list(times_sql) == list(times_frame) and times_sql == times_frame


def test_running_out_of_memory_is_one_line_naming_the_limit(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "procmine",
            "--quiet",
            "discover",
            str(write(tmp_path)),
            "--memory-limit",
            "1MB",
            "-o",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--memory-limit" in lines[0] and "1MB" in lines[0], lines
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_an_engine_error_other_than_memory_is_not_called_a_memory_limit() -> None:
    import duckdb

    from procmine.io.store import out_of_memory

    assert out_of_memory(duckdb.CatalogException("Table x does not exist")) is None
    assert out_of_memory(ValueError("out of memory")) is None
    refusal = out_of_memory(duckdb.OutOfMemoryException("Out of Memory Error: failed to pin block"))
    assert refusal is not None and "--memory-limit" in refusal.one_line()


def test_data_quality_flags_are_counted_when_first_asked_for(tmp_path: Path) -> None:
    """Reading leaves the flags and case attributes to count; asked for (from threads at once, or by
    pickling), they equal the counts made on the table right away."""
    import pickle
    from concurrent.futures import ThreadPoolExecutor
    from datetime import UTC, datetime

    from procmine.io import quality

    text = (
        "case,activity,timestamp,channel,agent\n"
        "c1,A,2024-01-01 10:00,web,x\nc1,B,2024-01-01 09:00,web,y\nc2,A,2024-01-02 09:00,mail,x\n"
        "c3,A,2999-01-01 09:00,web,z\nc3,B,2999-01-02 09:00,web,z\n"
    )
    log = read_log(write(tmp_path, text))
    assert log.quality.pending is not None and callable(log._case_attributes)
    con = log.store.con  # type: ignore[union-attr]
    expected = quality.flags(con, log.store.table, datetime.now(UTC))  # type: ignore[union-attr]
    assert expected == {"out_of_order_cases": 1, "future_events": 2, "single_event_cases": 1}
    with ThreadPoolExecutor(4) as pool:
        seen = list(pool.map(lambda name: getattr(log.quality, name), [*expected] * 4))
    assert seen == [*expected.values()] * 4 and log.quality.pending is None
    assert log.case_attributes == quality.case_attributes(con, log.store.table) == ["channel"]  # type: ignore[union-attr]
    again = read_log(write(tmp_path, text, "again.csv"))
    copied = pickle.loads(pickle.dumps(again.quality))
    assert {name: getattr(copied, name) for name in expected} == expected


def test_discover_counts_out_of_order_cases_itself(tmp_path: Path) -> None:
    """Without the reader's count, the out-of-order cases stay None (for the DFG's window) and the other
    flags are still counted when asked for."""
    log = read_log(write(tmp_path), count_out_of_order=False)
    assert log.quality.out_of_order_cases is None
    assert log.quality.single_event_cases == 0 and log.quality.future_events == 0
    log.quality.out_of_order_cases = 0
    assert log.quality.to_dict()["out_of_order_cases"] == 0


def test_what_the_reader_left_pending_is_counted_on_request(tmp_path: Path) -> None:
    """``count_pending`` (the check calls it on a thread while it works): afterwards nothing is pending and
    the figures are those asked for one by one; a count that fails leaves them pending, and the error comes
    when a figure is asked for, not from the thread."""
    text = "case,activity,timestamp,channel\nc1,A,2024-01-01 09:00,web\nc2,A,2999-01-01 09:00,web\n"
    log = read_log(write(tmp_path, text))
    assert log.quality.pending is not None and callable(log._case_attributes)
    log.count_pending()
    assert log.quality.pending is None and log._case_attributes == ["channel"]
    assert (log.quality.future_events, log.quality.single_event_cases) == (1, 2)

    broken = read_log(write(tmp_path, text, "broken.csv"))
    pending = broken.quality.pending
    assert pending is not None

    def failing() -> dict[str, int]:
        raise RuntimeError("the engine went away")

    broken.quality.pending = type(pending)(pending.names, failing)
    broken.count_pending()  # no exception here
    assert broken.quality.pending is not None
    with pytest.raises(RuntimeError, match="went away"):
        _ = broken.quality.future_events
