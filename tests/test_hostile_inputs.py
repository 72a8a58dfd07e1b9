"""Hostile inputs: every file procmine takes is refused with exit 2 and one line naming the file and the
cause, or read in full; never a crash, a hang, a traceback, runaway memory or rows lost without a word.

Each test builds its file here (small, generated) and runs procmine in a subprocess under a time and
address-space limit (``tests/bounded.py``) where the input could crash, hang or exhaust the process.
docs/limits.md lists the threats and limits these tests stand for.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import random
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from procmine.errors import InputError
from procmine.io import limits
from procmine.io.logs import read_log
from tests.bounded import procmine

FIXTURES = Path(__file__).parent / "fixtures"
SEQUENCE_BPMN = FIXTURES / "bpmn" / "translate" / "sequence.bpmn"


# --- building the files ---


def xes_text(cases: int, *, extra: str = "", prolog: str = '<?xml version="1.0" encoding="UTF-8"?>\n') -> str:
    """An XES log of ``cases`` traces of three events; ``extra`` goes inside the first event."""
    traces = []
    for c in range(cases):
        events = "".join(
            f'<event><string key="concept:name" value="{name}"/>'
            f'<date key="time:timestamp" value="2024-01-01T0{i}:00:00Z"/>'
            f"{extra if c == i == 0 else ''}</event>"
            for i, name in enumerate(("Register", "Check", "Archive"))
        )
        traces.append(f'<trace><string key="concept:name" value="c{c}"/>{events}</trace>\n')
    return f'{prolog}<log xes.version="1.0">\n{"".join(traces)}</log>\n'


def csv_text(cases: int) -> str:
    rows = "".join(
        f"c{c},{name},2024-01-01T0{i}:00:00Z\n"
        for c in range(cases)
        for i, name in enumerate(("Register", "Check", "Archive"))
    )
    return "case,activity,timestamp\n" + rows


def two_members(data: bytes, split_at: int) -> bytes:
    """What ``cat a.gz b.gz`` makes: two gzip members, one after the other."""
    return gzip.compress(data[:split_at]) + gzip.compress(data[split_at:])


def gzip_bomb(head: bytes, expanded: int) -> bytes:
    """``head`` then zeros up to ``expanded`` bytes, compressed about 1000:1."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1 << 20)
    parts = [packer.compress(head)]
    parts.extend(packer.compress(block) for _ in range(expanded >> 20))
    parts.append(packer.flush())
    return b"".join(parts)


def nested_lists(depth: int) -> str:
    return '<list key="l">' * depth + "</list>" * depth


def quiet(*args: str | Path, **kwargs):  # type: ignore[no-untyped-def]
    return procmine("--quiet", *args, **kwargs)


# --- silent data loss: multi-member gzip ---


@pytest.mark.parametrize("kind", ["xes", "csv"])
def test_every_gzip_member_is_read(tmp_path: Path, kind: str) -> None:
    text = (xes_text(3000) if kind == "xes" else csv_text(3000)).encode()
    cut = text.index(b"<trace>", len(text) // 2) if kind == "xes" else text.index(b"\nc", len(text) // 2) + 1
    path = tmp_path / f"log.{kind}.gz"
    path.write_bytes(two_members(text, cut))
    log = read_log(path)
    assert log.quality.rows_read == 9000 and log.quality.rows_used == 9000
    assert log.events["case_id"].nunique() == 3000


# --- native crash: deep nesting handed to rustxes ---


def test_deep_xes_nesting_is_refused_before_any_parser(tmp_path: Path) -> None:
    path = tmp_path / "deep.xes"
    path.write_text(xes_text(3, extra=nested_lists(10_000)))
    assert path.stat().st_size < 300_000
    run = quiet("inspect", path, timeout=60)
    run.refused("nested deeper than the xml-depth limit of 100", "--limit xml-depth=", path=path)


def test_raised_depth_limit_reads_the_log_safely(tmp_path: Path) -> None:
    path = tmp_path / "deep.xes"
    path.write_text(xes_text(3, extra=nested_lists(150)))
    with pytest.raises(InputError, match="xml-depth"):
        read_log(path)
    limits.configure(["xml-depth=300"])
    try:
        assert read_log(path).quality.rows_used == 9
    finally:
        limits.reset()


# --- decompression and device bombs ---


@pytest.mark.slow
def test_csv_gzip_bomb_is_refused_by_ratio(tmp_path: Path) -> None:
    path = tmp_path / "bomb.csv.gz"
    path.write_bytes(gzip_bomb(b"case,activity,timestamp\nc1,A,2024-01-01\n", 300 << 20))
    run = quiet("inspect", path, timeout=60, memory=3 << 30)
    run.refused(
        "decompression bomb", "compression-ratio limit of 200", "--limit compression-ratio=", path=path
    )
    assert run.peak_mb < 1000


@pytest.mark.slow
def test_xes_gzip_bomb_is_refused_by_ratio_not_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xes.gz"
    path.write_bytes(gzip_bomb(xes_text(2).encode()[:-7], 300 << 20))
    run = quiet("inspect", path, timeout=60, memory=3 << 30)
    run.refused("compression-ratio", path=path)


@pytest.mark.slow
def test_expanded_size_limit_holds_when_the_ratio_is_raised(tmp_path: Path) -> None:
    path = tmp_path / "bomb.csv.gz"
    path.write_bytes(gzip_bomb(b"case,activity,timestamp\nc1,A,2024-01-01\n", 200 << 20))
    run = quiet(
        "inspect",
        path,
        "--limit",
        "compression-ratio=100000",
        "--limit",
        "log-size=100MB",
        timeout=60,
        memory=3 << 30,
    )
    run.refused("expands past the log-size limit of 100 MiB", "--limit log-size=", path=path)


@pytest.mark.parametrize("where", ["log", "--map", "--previous"])
def test_device_files_are_refused(tmp_path: Path, where: str) -> None:
    link = tmp_path / ("zero.xes" if where == "log" else "zero.csv")
    link.symlink_to("/dev/zero")
    log = tmp_path / "log.csv"
    log.write_text(csv_text(5))
    args = {
        "log": ("inspect", link),
        "--map": ("check", SEQUENCE_BPMN, log, "--map", link),
        "--previous": ("audit", SEQUENCE_BPMN, log, "--previous", link, "-o", tmp_path / "out"),
    }[where]
    run = quiet(*args, timeout=60, memory=3 << 30)
    run.refused("character device", path=link)
    assert not (tmp_path / "out").exists()


# --- FIFOs never hang ---


@pytest.mark.parametrize("where", ["log", "--map", "--previous", "--config"])
def test_fifos_are_refused_without_hanging(tmp_path: Path, where: str) -> None:
    fifo = tmp_path / ("pipe.csv" if where != "--config" else "pipe.toml")
    os.mkfifo(fifo)
    log = tmp_path / "log.csv"
    log.write_text(csv_text(5))
    args = {
        "log": ("inspect", fifo),
        "--map": ("check", SEQUENCE_BPMN, log, "--map", fifo),
        "--previous": ("audit", SEQUENCE_BPMN, log, "--previous", fifo, "-o", tmp_path / "out"),
        "--config": ("lint", SEQUENCE_BPMN, "--config", fifo),
    }[where]
    run = quiet(*args, timeout=30)
    run.refused("named pipe (FIFO)", path=fifo)


# --- the XES DOCTYPE rule holds however the DOCTYPE is hidden ---


@pytest.mark.parametrize("hiding", ["long comment", "utf-16", "utf-16 with BOM"])
def test_doctype_is_refused_however_hidden(tmp_path: Path, hiding: str) -> None:
    doctype = '<!DOCTYPE log [<!ENTITY x "boom">]>\n'
    if hiding == "long comment":
        data = xes_text(2, prolog=f'<?xml version="1.0"?>\n<!--{"x" * 70_000}-->\n{doctype}').encode()
    else:
        text = xes_text(2, prolog=f'<?xml version="1.0" encoding="UTF-16"?>\n{doctype}')
        data = text.encode("utf-16" if "BOM" in hiding else "utf-16-le")
    path = tmp_path / "hidden.xes"
    path.write_bytes(data)
    run = quiet("inspect", path, timeout=60)
    run.refused("DOCTYPE", path=path)


def test_utf16_xes_without_doctype_is_read(tmp_path: Path) -> None:
    path = tmp_path / "utf16.xes"
    path.write_bytes(xes_text(4, prolog='<?xml version="1.0" encoding="UTF-16"?>\n').encode("utf-16"))
    log = read_log(path)
    assert log.quality.rows_used == 12


# --- what was refused before still is: XXE, entity bombs, external DTDs, junk, truncated gzip ---


@pytest.mark.parametrize(
    ("name", "data", "cause"),
    [
        (
            "xxe.xes",
            '<?xml version="1.0"?><!DOCTYPE log [<!ENTITY x SYSTEM "file:///etc/passwd">]><log>&x;</log>',
            "DOCTYPE",
        ),
        (
            "laughs.xes",
            '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]><log/>',
            "DOCTYPE",
        ),
        (
            "external.xes",
            '<?xml version="1.0"?><!DOCTYPE log SYSTEM "http://example.com/x.dtd"><log/>',
            "DOCTYPE",
        ),
        ("junk.xes", "\x89PNG\r\n\x1a\n junk junk", "not well-formed"),
        ("junk.csv", "\x00\x01\x02\x03", ""),
        ("truncated.xes.gz", None, "truncated"),
    ],
)
def test_earlier_refusals_hold(tmp_path: Path, name: str, data: str | None, cause: str) -> None:
    path = tmp_path / name
    if data is None:
        path.write_bytes(gzip.compress(xes_text(50).encode())[:-200])
    else:
        path.write_text(data)
    quiet("inspect", path, timeout=60).refused(cause, path=path)


def test_missing_paths_folders_and_deep_bpmn_are_refused(tmp_path: Path) -> None:
    quiet("inspect", tmp_path / "none.csv").refused("no such file", path=tmp_path / "none.csv")
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    quiet("inspect", folder).refused("folder", path=folder)
    deep = tmp_path / "deep.bpmn"
    deep.write_text('<?xml version="1.0"?>' + "<a>" * 5000 + "</a>" * 5000)
    run = quiet("lint", deep)
    assert run.code == 2 and "Traceback" not in run.stderr
    assert "deep.bpmn: elements nested deeper than 256 levels" in run.stderr


def test_previous_report_nested_too_deeply_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    log = tmp_path / "log.csv"
    log.write_text(csv_text(5))
    run = quiet("audit", SEQUENCE_BPMN, log, "--previous", path, "-o", tmp_path / "out", timeout=60)
    run.refused("nested too deeply", path=path)


# --- lint: symlink loops and links out of the folder ---


@pytest.mark.parametrize("how", ["glob", "folder"])
def test_lint_follows_no_symlink_loop_and_stays_in_the_folder(tmp_path: Path, how: str) -> None:
    tree, outside = tmp_path / "models", tmp_path / "outside"
    (tree / "sub").mkdir(parents=True)
    outside.mkdir()
    (tree / "a.bpmn").write_bytes(SEQUENCE_BPMN.read_bytes())
    (outside / "secret.bpmn").write_bytes(SEQUENCE_BPMN.read_bytes())
    (tree / "sub" / "loop").symlink_to("..")  # two loops: glob.glob never ends
    (tree / "sub" / "loop2").symlink_to("..")
    (tree / "out").symlink_to(outside)
    (tree / "secret.bpmn").symlink_to(outside / "secret.bpmn")
    target = f"{tree}/**/*.bpmn" if how == "glob" else str(tree)
    run = procmine("lint", target, "--format", "json", timeout=30)
    assert run.code == 1, run.stderr  # sequence.bpmn has lint errors: the file was read
    files = [item["file"] for item in json.loads(run.stdout)["lint"]["files"]]
    assert files == [str(tree / "a.bpmn")]
    assert f"{tree / 'secret.bpmn'}: symlink not followed" in run.stderr


# --- discover: one very long case, thousands of activities (the time is in mining and layout) ---


@pytest.mark.slow
def test_discover_one_case_of_many_events_ends_in_seconds(tmp_path: Path) -> None:
    log = tmp_path / "one_case.csv"
    draw = random.Random(1)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    rows = (
        f"c1,A{draw.randrange(20)},{start + timedelta(minutes=i):%Y-%m-%dT%H:%M:%SZ}\n"
        for i in range(100_000)
    )
    log.write_text("case,activity,timestamp\n" + "".join(rows))
    run = quiet("discover", log, "-o", tmp_path / "out", timeout=20)
    assert run.code == 0, run.stderr


@pytest.mark.slow
def test_discover_three_thousand_activities_ends_in_seconds(tmp_path: Path) -> None:
    log = tmp_path / "wide.csv"
    draw = random.Random(2)
    rows = (
        f"c{c},act{draw.randrange(3000):04d},2024-01-01T00:0{i}:00Z\n" for c in range(6000) for i in range(5)
    )
    log.write_text("case,activity,timestamp\n" + "".join(rows))
    run = quiet("discover", log, "-o", tmp_path / "out", timeout=90)
    assert run.code == 0, run.stderr


# --- formula injection in the CSV a spreadsheet opens ---


def test_case_fitness_csv_never_holds_a_formula(tmp_path: Path) -> None:
    hostile = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "plain"]
    log = tmp_path / "log.csv"
    with log.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["case", "activity", "timestamp"])
        for n, case in enumerate(hostile):
            for i, activity in enumerate(("Register", "Check", "Archive case")):
                writer.writerow([case, activity, f"2024-01-0{n + 1}T0{i}:00:00Z"])
    out = tmp_path / "out"
    run = quiet("check", SEQUENCE_BPMN, log, "-o", out, timeout=120)
    assert run.code in (0, 1), run.stderr
    with (out / "case_fitness.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    cells = {row["case_id"] for row in rows}
    assert cells == {"'" + c if c[0] in "=+-@" else c for c in hostile}
    assert all(0 <= float(row["fitness"]) <= 1 for row in rows)  # numbers stay numbers


# --- control characters in labels: never to the terminal, never into XML ---

OSC_LINK = "Pay\x1b]8;;http://evil.example\x07here\x1b]8;;\x07"
CONTROL_LABELS = (OSC_LINK, "Check\x1b[2J\x08\x08\x08", "Archive\x9b31m\u202eesac")


def _terminal_safe(text: str) -> bool:
    return not any(
        (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F or 0x202A <= ord(c) <= 0x202E
        for c in text
    )


@pytest.mark.slow
def test_control_characters_in_labels_never_reach_the_terminal(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    with log.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["case", "activity", "timestamp", "resource"])
        for c in range(30):
            for i, activity in enumerate(CONTROL_LABELS):
                stamp = f"2024-01-{c % 28 + 1:02d}T0{i}:00:00Z"
                writer.writerow([f"c{c}\x1b[1m", activity, stamp, "Bob\rEve"])
    runs = [
        quiet("inspect", log),
        quiet("check", SEQUENCE_BPMN, log),
        quiet("bottlenecks", log),
        quiet("discover", log, "-o", tmp_path / "out", timeout=120),
        quiet("inspect", tmp_path / "evil\x1b]0;title\x07.csv"),  # an error line quoting a path
    ]
    for run in runs:
        assert run.code in (0, 1, 2) and "Traceback" not in run.stderr, run.stderr
        assert _terminal_safe(run.stdout) and _terminal_safe(run.stderr), (run.args, run.stdout, run.stderr)
    assert "Pay\\x1b]8;;http://evil.example\\x07here" in runs[0].stdout  # shown, as escapes
    assert runs[-1].code == 2 and "evil\\x1b]0;title\\x07.csv: no such file" in runs[-1].stderr
    from lxml import etree

    svg = etree.fromstring((tmp_path / "out" / "map.svg").read_bytes())  # well-formed XML
    assert "Pay\\x1b]8;;" in "".join(svg.itertext())
    etree.fromstring((tmp_path / "out" / "model.bpmn").read_bytes())


# --- the input at fault gets exit 2 (or is used), never "internal error" ---


def test_a_binary_mapping_file_is_refused(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(csv_text(5))
    mapping = tmp_path / "map.csv"
    mapping.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    quiet("check", SEQUENCE_BPMN, log, "--map", mapping).refused("a binary file", path=mapping)
    mapping.write_bytes(b"Register,\xff\xfeRegister\n")
    quiet("check", SEQUENCE_BPMN, log, "--map", mapping).refused("not UTF-8 text", path=mapping)


def test_a_recent_period_longer_than_any_date_is_the_whole_log(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(csv_text(5))
    run = quiet("check", SEQUENCE_BPMN, log, "--recent-period", "99999999999999d", "--format", "json")
    assert run.code in (0, 1), run.stderr
    assert json.loads(run.stdout)["conformance"]["recent_period"]["start"] == "2024-01-01T00:00:00Z"


# --- silent quality problems in a CSV: each counted in the log's quality, or a clear refusal ---


def _csv(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buffer = [",".join(header)] + [",".join(row) for row in rows]
    path.write_bytes(("\n".join(buffer) + "\n").encode(encoding))
    return path


def test_start_after_completion_is_counted_not_a_negative_service_time(tmp_path: Path) -> None:
    rows = [
        [f"c{c}", f"A{i}", f"2024-01-01T0{i}:00:00Z", f"2024-01-01T0{i + 2 if c == 0 else i}:00:00Z"]
        for c in range(3)
        for i in range(3)
    ]
    log = read_log(_csv(tmp_path / "log.csv", ["case", "activity", "timestamp", "start"], rows))
    assert log.quality.rows_used == 9
    assert any(note.startswith("3 events start after they complete") for note in log.quality.notes)
    events = log.events
    assert (events["timestamp"] - events["start_timestamp"]).min() >= timedelta(0)
    assert events["start_timestamp"].isna().sum() == 3


def test_a_repeated_column_name_is_noted(tmp_path: Path) -> None:
    rows = [[f"c{c}", f"A{i}", f"2024-01-01T0{i}:00:00Z", f"B{i}"] for c in range(3) for i in range(3)]
    log = read_log(_csv(tmp_path / "log.csv", ["case", "activity", "timestamp", "activity"], rows))
    assert set(log.events["activity"]) == {"A0", "A1", "A2"}
    assert (
        "column name 'activity' appears 2 times: the first is used, the others are read as 'activity_2'"
        in log.quality.notes
    )


def test_placeholder_years_are_counted_as_unparseable_and_cost_nothing(tmp_path: Path) -> None:
    def stamp(c: int, i: int) -> str:
        return {0: "0001-01-01T00:00:00Z", 1: "9999-12-31T00:00:00Z"}.get(c, f"2024-01-01T0{i}:00:00Z")

    rows = [[f"c{c}", f"A{i}", stamp(c, i)] for c in range(40) for i in range(4)]
    path = _csv(tmp_path / "log.csv", ["case", "activity", "timestamp"], rows)
    log = read_log(path)
    assert log.quality.dropped["unparseable_timestamp"] == 8 and log.quality.rows_used == 152
    assert any("outside the years 1900-2999" in note for note in log.quality.notes)
    run = quiet("inspect", path, timeout=60)  # was 61 s and 0.9 GB: a period of ten millennia
    assert run.code == 0 and run.cpu_seconds < 20 and run.peak_mb < 600, (run.cpu_seconds, run.peak_mb)


def test_a_csv_over_the_column_limit_is_refused_at_its_header(tmp_path: Path) -> None:
    header = ["case", "activity", "timestamp"] + [f"x{i}" for i in range(20_000)]
    path = _csv(tmp_path / "wide.csv", header, [["c1", "A", "2024-01-01T00:00:00Z"] + [""] * 20_000])
    quiet("inspect", path, timeout=60).refused(
        "20,003 columns, over the csv-columns limit of 10,000", "--limit csv-columns=", path=path
    )


@pytest.mark.slow
def test_a_thousand_columns_are_read_in_seconds(tmp_path: Path) -> None:
    header = ["case", "activity", "timestamp"] + [f"x{i}" for i in range(1_000)]
    rows = [
        [f"c{c}", f"A{i}", f"2024-01-01T0{i}:00:00Z"] + [str(c)] * 1_000 for c in range(3) for i in range(3)
    ]
    run = quiet("inspect", _csv(tmp_path / "wide.csv", header, rows), timeout=120)
    assert run.code == 0 and run.cpu_seconds < 30, (run.cpu_seconds, run.stderr)  # was 190 s of CPU


def test_a_header_line_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_bytes(b"case,activity,timestamp," + b"x" * (2 << 20))
    quiet("inspect", path, "--limit", "header-bytes=1MB", timeout=60).refused(
        "header line is longer than the header-bytes limit of 1 MiB", path=path
    )


@pytest.mark.parametrize("bom", [True, False], ids=["with BOM", "without BOM"])
def test_utf16_csv_is_read(tmp_path: Path, bom: bool) -> None:
    rows = [[f"c{c}", f"Prüfung {i}", f"2024-01-01T0{i}:00:00Z"] for c in range(3) for i in range(3)]
    encoding = "utf-16" if bom else "utf-16-le"
    path = _csv(tmp_path / "log.csv", ["case", "activity", "timestamp"], rows, encoding)
    log = read_log(path)
    assert log.quality.rows_used == 9
    assert set(log.events["activity"]) == {"Prüfung 0", "Prüfung 1", "Prüfung 2"}
    assert list(log.events.columns[:3]) == ["case_id", "activity", "timestamp"]


def test_utf16_big_endian_csv_is_refused_in_one_clean_line(tmp_path: Path) -> None:
    rows = [[f"c{c}", "A", "2024-01-01T00:00:00Z"] for c in range(3)]
    path = _csv(tmp_path / "log.csv", ["case", "activity", "timestamp"], rows, "utf-16-be")
    quiet("inspect", path).refused("UTF-16 big-endian", "save it as UTF-8", path=path)


# --- sample: the documented maximum of cases in seconds ---


@pytest.mark.slow
def test_sample_of_many_cases_takes_seconds(tmp_path: Path) -> None:
    run = quiet("sample", "--cases", "100000", "-o", tmp_path / "sample", timeout=300)
    assert run.code == 0, run.stderr
    assert run.cpu_seconds < 90, run.cpu_seconds  # about 17 s; was quadratic in cases (200,000: > 34 min)
    assert (tmp_path / "sample" / "complaints.csv").stat().st_size > 10 << 20


def test_a_model_whose_process_is_empty_is_refused_in_one_line_naming_the_file(tmp_path: Path) -> None:
    model = tmp_path / "empty.bpmn"
    model.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" '
        'targetNamespace="http://example.com"><process id="p"/></definitions>\n'
    )
    log = tmp_path / "log.csv"
    log.write_text(csv_text(5))
    out = tmp_path / "out"
    run = quiet("audit", model, log, "-o", out)
    run.refused("process 'p' has no flow nodes: nothing to check", path=model)
    assert not out.exists()


def test_rows_written_for_a_spreadsheet_are_the_text_a_frame_of_them_gives() -> None:
    """``spreadsheet_rows_csv`` (case_fitness.csv, without a frame) writes what ``spreadsheet_csv`` writes
    of the same values: formulas neutralised, quotes, commas and line breaks quoted, floats, blanks."""
    import numpy as np
    import pandas as pd

    from procmine.io.output import spreadsheet_csv, spreadsheet_rows_csv

    ids = ["=1+1", 'a,"b"', "line\nbreak", "tab\there", "\rcr", "-5", "plain", "", "ü"]
    fitness = [1.0, 0.0001, 0.5, float("nan"), 1 / 3, 0.1 + 0.2, 1e-05, 0.9999, 0.0]
    moves = [0, 3, None, None, 7, 1, 2, 0, 12]
    method = ["alignment", "alignment", "not aligned", "=x", "alignment", "", "m", "a b", "c"]
    frame = pd.DataFrame({"case_id": pd.Series(ids, dtype=object), "fitness": np.round(fitness, 4)})
    frame["deviations"] = pd.array(moves, dtype="Int64")
    frame["method"] = np.array(method, dtype=object)
    rows = list(zip(ids, np.round(fitness, 4).tolist(), moves, method, strict=True))
    for header in (True, False):
        expected = spreadsheet_csv(frame, header=header)
        got = spreadsheet_rows_csv(rows, list(frame.columns) if header else None)
        assert got == expected


def test_case_fitness_csv_writes_what_the_rows_of_every_case_give() -> None:
    """check's case_fitness.csv makes each variant's cells ready once: the text is that of
    ``spreadsheet_rows_csv`` over every case's row, with hostile case ids, blanks and a batch boundary."""
    import numpy as np

    from procmine.analyses.alignment_stats import CaseFitness
    from procmine.io.output import spreadsheet_rows_csv
    from procmine.pipeline.check import case_fitness_csv

    class Cases:  # the engine's case table: (case id, variant), sorted, in batches
        def __init__(self, batches):
            self.given = batches

        def batches(self):
            yield from self.given

    batches = [[("=1+1", 0), ('a,"b"', 1), ("line\nbreak", 2)], [("-5", 0), ("plain", 3), ("", 1)]]
    fitness = np.array([1.0, 1 / 3, np.nan, 0.99995])
    per_case = CaseFitness(
        Cases(batches), [2, 2, 1, 1], fitness, [0, 7, None, 1], ["alignment", "=x", "", "m"]
    )
    header = ["case_id", "fitness", "deviations", "method"]
    rounded = fitness.round(4).tolist()
    expected = [
        spreadsheet_rows_csv(
            [(c, rounded[v], per_case.deviations[v], per_case.method[v]) for c, v in batch],
            header if i == 0 else None,
        ).encode()
        for i, batch in enumerate(batches)
    ]
    assert list(case_fitness_csv(per_case)) == expected
    assert list(case_fitness_csv(CaseFitness(Cases([]), [], fitness[:0], [], []))) == [
        spreadsheet_rows_csv([], header).encode()
    ]
