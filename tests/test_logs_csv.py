"""Reading CSV logs: delimiters, encodings, gzip, column detection, timestamps, drop reasons, flags."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from procmine.errors import InputError
from procmine.io.logs import read_log

HEADER = "Case ID,Activity,Timestamp,Resource,Channel\n"
ROWS = [
    "c1,Register,2024-03-01 09:00:00,ann,phone",
    "c1,Approve,2024-03-01 10:00:00,bob,phone",
    "c2,Register,2024-03-02 09:00:00,ann,email",
    "c2,Reject,2024-03-02 11:30:00,cid,email",
    "c2,Notify,2024-03-02 12:00:00,cid,email",
]


def write(tmp_path: Path, text: str, name: str = "log.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    data = text.encode(encoding)
    if name.endswith(".gz"):
        data = gzip.compress(data)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    text = (HEADER + "\n".join(ROWS) + "\n").replace(",", delimiter)
    log = read_log(write(tmp_path, text))
    assert len(log.events) == 5
    assert log.summary()["cases"] == 2
    assert log.columns.case == "Case ID" and log.columns.resource == "Resource"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "latin-1"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    text = HEADER + "\n".join(ROWS).replace("Approve", "Prüfen") + "\n"
    log = read_log(write(tmp_path, text, encoding=encoding))
    assert "Prüfen" in set(log.events["activity"])
    assert log.columns.case == "Case ID"  # the BOM did not stick to the first name


def test_gzipped_csv_equals_plain(tmp_path: Path) -> None:
    text = HEADER + "\n".join(ROWS) + "\n"
    plain = read_log(write(tmp_path, text))
    packed = read_log(write(tmp_path, text, name="log.csv.gz"))
    pd.testing.assert_frame_equal(plain.events, packed.events)


def test_canonical_frame(tmp_path: Path) -> None:
    log = read_log(write(tmp_path, HEADER + "\n".join(reversed(ROWS)) + "\n"))
    ev = log.events
    assert list(ev.columns[:5]) == ["case_id", "activity", "timestamp", "resource", "row"]
    assert str(ev["timestamp"].dtype) == "datetime64[us, UTC]"
    # sorted by case, time; row keeps the file position (the file was written backwards)
    assert list(ev["activity"]) == ["Register", "Approve", "Register", "Reject", "Notify"]
    assert list(ev["row"]) == [4, 3, 2, 1, 0]
    assert list(ev.index) == list(range(5))
    assert log.case_attributes == ["Channel"]
    assert log.quality.out_of_order_cases == 2  # each case is written last event first


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            "case:concept:name,concept:name,time:timestamp",
            ("case:concept:name", "concept:name", "time:timestamp"),
        ),
        ("case_id,Step,Complete Timestamp", ("case_id", "Step", "Complete Timestamp")),
        ("CaseID,Event,End", ("CaseID", "Event", "End")),
        ("Ticket,Activity,Timestamp", ("Ticket", "Activity", "Timestamp")),
        ("Complaint ID,Activity,Timestamp", ("Complaint ID", "Activity", "Timestamp")),
        ("Order ID,Activity,Timestamp", ("Order ID", "Activity", "Timestamp")),
    ],
)
def test_column_names_detected(tmp_path: Path, header: str, expected: tuple[str, str, str]) -> None:
    log = read_log(write(tmp_path, header + "\nx,A,2024-01-01 10:00\n"))
    assert (log.columns.case, log.columns.activity, log.columns.timestamp) == expected


def test_start_and_resource_detected(tmp_path: Path) -> None:
    text = (
        "Case,Activity,Start Timestamp,Complete Timestamp,Agent\nc,A,2024-01-01 09:00,2024-01-01 09:30,ann\n"
    )
    log = read_log(write(tmp_path, text))
    assert log.columns.start == "Start Timestamp" and log.columns.timestamp == "Complete Timestamp"
    assert log.columns.resource == "Agent"
    assert log.events.loc[0, "start_timestamp"] == pd.Timestamp("2024-01-01 09:00", tz="UTC")
    assert log.has_start_times


def test_ambiguous_column_lists_the_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "Case,Activity,Step,Timestamp\nc,A,B,2024-01-01\n")
    with pytest.raises(InputError) as info:
        read_log(path)
    message = info.value.one_line()
    assert "ambiguous activity column" in message and "--activity" in message
    assert "'Case', 'Activity', 'Step', 'Timestamp'" in message
    assert read_log(path, activity="Step").events.loc[0, "activity"] == "B"  # the override settles it


def test_missing_column_lists_the_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "Case,Weather\nc,sunny\n")
    with pytest.raises(InputError, match=r"no activity column found .*'Case', 'Weather'"):
        read_log(path)
    with pytest.raises(InputError, match=r"no column 'When' \(--timestamp\)"):
        read_log(path, timestamp="When")


def test_no_timestamp_column_makes_an_order_only_log(tmp_path: Path) -> None:
    path = write(tmp_path, "Case,Activity,Weather\nc,A,sunny\nc,B,rain\n")
    log = read_log(path)
    assert log.columns.timestamp is None and not log.has_timestamps
    assert log.events["activity"].tolist() == ["A", "B"]


def test_every_drop_reason_is_counted(tmp_path: Path) -> None:
    text = (
        HEADER
        + "\n".join(
            [
                *ROWS,
                ",Register,2024-03-03 09:00:00,ann,phone",  # missing case id
                "c3,,2024-03-03 09:00:00,ann,phone",  # missing activity
                "c3,Register,not a date,ann,phone",  # unparseable timestamp
                "c3,Register,,ann,phone",  # no timestamp at all
                "c1,Approve,2024-03-01 10:00:00,bob,phone",  # exact duplicate of row 1
                "c1,Approve,2024-03-01 10:00:00,eve,phone",  # same time, other resource: not a duplicate
            ]
        )
        + "\n"
    )
    log = read_log(write(tmp_path, text))
    q = log.quality
    assert q.rows_read == 11
    assert q.dropped == {
        "missing_case_id": 1,
        "missing_activity": 1,
        "unparseable_timestamp": 2,
        "duplicate_event": 1,
        "unpaired_lifecycle": 0,
    }
    assert q.rows_used == len(log.events) == 6
    assert q.rows_read == q.rows_used + q.rows_dropped


def test_case_id_named_na_is_kept(tmp_path: Path) -> None:
    log = read_log(write(tmp_path, "case_id,activity,timestamp\nNA,A,2024-01-01\nNA,B,2024-01-02\n"))
    assert set(log.events["case_id"]) == {"NA"} and log.quality.rows_dropped == 0


def test_offsets_are_converted_not_relabelled(tmp_path: Path) -> None:
    text = (
        "case,activity,timestamp\nc,A,2024-01-01T10:00:00+05:00\nc,B,2024-01-01T10:00:00-02:00\n"
        "c,C,2024-01-01T10:00:00Z\n"
    )
    ts = read_log(write(tmp_path, text)).events.set_index("activity")["timestamp"]
    assert ts["A"] == pd.Timestamp("2024-01-01 05:00", tz="UTC")
    assert ts["B"] == pd.Timestamp("2024-01-01 12:00", tz="UTC")
    assert ts["C"] == pd.Timestamp("2024-01-01 10:00", tz="UTC")


def test_naive_times_taken_in_the_given_timezone(tmp_path: Path) -> None:
    path = write(tmp_path, "case,activity,timestamp\nc,A,2024-01-15 10:00\nc,B,2024-07-15 10:00\n")
    utc = read_log(path).events["timestamp"]
    berlin = read_log(path, timezone="Europe/Berlin")
    assert list(utc.dt.hour) == [10, 10]
    assert list(berlin.events["timestamp"].dt.hour) == [9, 8]  # CET in winter, CEST in summer
    assert berlin.quality.timezone == "Europe/Berlin"
    with pytest.raises(InputError, match="unknown time zone"):
        read_log(path, timezone="Mars/Olympus")


def test_mixed_naive_and_offset_values(tmp_path: Path) -> None:
    text = (
        "case,activity,timestamp\nc,A,2024-01-01 10:00:00\nc,B,2024-01-01 10:00:00+01:00\n"
        "c,C,2024-01-01 10:00:00.5\n"
    )
    ts = read_log(write(tmp_path, text), timezone="Europe/Berlin").events.set_index("activity")["timestamp"]
    assert ts["A"] == pd.Timestamp("2024-01-01 09:00", tz="UTC")
    assert ts["B"] == pd.Timestamp("2024-01-01 09:00", tz="UTC")
    assert ts["C"] == pd.Timestamp("2024-01-01 09:00:00.5", tz="UTC")


def test_day_first_format_detected_and_explicit_format(tmp_path: Path) -> None:
    text = "case,activity,timestamp\nc,A,16.01.2017 13:29\nc,B,17.01.2017 08:05\n"
    log = read_log(write(tmp_path, text))
    assert list(log.events["timestamp"]) == [
        pd.Timestamp("2017-01-16 13:29", tz="UTC"),
        pd.Timestamp("2017-01-17 08:05", tz="UTC"),
    ]
    us = write(tmp_path, "case,activity,timestamp\nc,A,01/02/2017 10:00\n", name="us.csv")
    assert read_log(us).events.loc[0, "timestamp"].month == 2  # tie: day first, noted
    assert any("%d/%m/%Y" in n for n in read_log(us).quality.notes)
    assert read_log(us, timestamp_format="%m/%d/%Y %H:%M").events.loc[0, "timestamp"].month == 1


def test_no_date_format_fits(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no date format fits"):
        read_log(write(tmp_path, "case,activity,timestamp\nc,A,soon\nc,B,later\n"))


def test_quality_flags(tmp_path: Path) -> None:
    text = (
        "case,activity,timestamp\nc1,A,2024-01-02\nc1,B,2024-01-01\nc2,A,2999-01-01\n"
        "c3,A,2024-01-01\nc3,B,2024-01-03\n"
    )
    q = read_log(write(tmp_path, text)).quality
    assert q.out_of_order_cases == 1
    assert q.future_events == 1
    assert q.single_event_cases == 1


def test_unusable_inputs_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_log(tmp_path / "missing.csv")
    with pytest.raises(InputError, match="unknown event log format"):
        read_log(write(tmp_path, "x", name="log.json"))
    with pytest.raises(InputError, match="empty"):
        read_log(write(tmp_path, "", name="empty.csv"))
    with pytest.raises(InputError, match="holds no events"):
        read_log(write(tmp_path, "case,activity,timestamp\n", name="header.csv"))
    with pytest.raises(InputError, match="no usable events"):
        read_log(write(tmp_path, "case,activity,timestamp\n,A,2024-01-01\n", name="nocase.csv"))


def test_lifecycle_column_in_csv(tmp_path: Path) -> None:
    text = (
        "case,activity,lifecycle,timestamp\nc,A,start,2024-01-01 09:00\nc,A,complete,2024-01-01 09:30\n"
        "c,B,start,2024-01-01 10:00\n"
    )
    log = read_log(write(tmp_path, text))
    assert log.quality.lifecycle_pairs == 1 and log.quality.dropped["unpaired_lifecycle"] == 1
    assert len(log.events) == 1 and log.events.loc[0, "start_timestamp"].hour == 9
    assert "lifecycle" not in log.events.columns


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("name", "sep", "case", "activity"),
    [
        ("pm4py/input_data/running-example.csv", ",", "case:concept:name", "concept:name"),
        ("pm4py/input_data/receipt.csv.gz", ",", "case:concept:name", "concept:name"),
        ("real/mannhardt_course/sepsis.csv.gz", ";", "case_id", "activity"),
        ("pm4py/history/mobis_challenge_log_2019_snippet.csv", ";", "case", "activity"),
    ],
)
def test_counts_match_plain_pandas(shared_data: Path, name: str, sep: str, case: str, activity: str) -> None:
    path = shared_data / "logs" / name
    log = read_log(path)
    plain = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False)
    assert log.quality.rows_read == len(plain)
    expected = plain[(plain[case] != "") & (plain[activity] != "")].drop_duplicates()
    assert len(log.events) == len(expected)
    assert log.summary()["cases"] == expected[case].nunique()
    assert log.events.groupby("activity").size().to_dict() == expected.groupby(activity).size().to_dict()


def test_ambiguous_lifecycle_column_is_named_with_lifecycle(tmp_path: Path) -> None:
    text = (
        "case,activity,timestamp,lifecycle,transition\n"
        "c,A,2024-01-01 09:00,start,x\nc,A,2024-01-01 09:30,complete,y\n"
    )
    path = write(tmp_path, text)
    with pytest.raises(InputError, match="--lifecycle"):
        read_log(path)
    log = read_log(path, lifecycle="lifecycle")
    assert log.quality.lifecycle_pairs == 1 and len(log.events) == 1
    assert log.events.loc[0, "start_timestamp"].minute == 0


def test_numbers_spelled_with_missing_values_read_as_numbers_and_late_text_keeps_a_column_text(
    tmp_path: Path,
) -> None:
    # score: numbers with NA spellings; code: numbers for the first 11,000 rows, then text; note: text
    lines = ["case_id,activity,timestamp,score,code,note"]
    for i in range(12_000):
        score = "NA" if i % 7 == 0 else str(i % 11)
        code = str(i) if i < 11_000 else f"x{i}"
        lines.append(f"c{i // 4},A{i % 4},2024-01-01T00:00:{i % 60:02d},{score},{code},n{i % 3}")
    events = read_log(write(tmp_path, "\n".join(lines) + "\n")).events.sort_values("row")
    assert pd.api.types.is_numeric_dtype(events["score"])
    assert events["score"].isna().sum() == len(range(0, 12_000, 7))
    assert events["score"].dropna().iloc[0] == 1
    assert set(map(type, events["code"])) == {str} and events["code"].iloc[-1] == "x11999"
    assert set(events["note"]) == {"n0", "n1", "n2"}
