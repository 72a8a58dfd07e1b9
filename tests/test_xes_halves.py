"""io.xes_halves: a large XES log read in two halves at once gives exactly the table of one whole read, and
anything doubtful (a guard refusal in either half, attribute types that differ, a header that must not be
read twice, a small file) is read the ordinary way, with the ordinary refusal word for word."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from procmine.errors import InputError
from procmine.io import rustxes_parse, xes_halves, xes_log
from procmine.io.logs import read_log

pytest.importorskip("rustxes")

HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!-- written by a test; <trace> in a comment -->\n'
    '<log xes.version="1.0" xmlns="http://www.xes-standard.org/">\n'
    '<extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>\n'
    '<global scope="event"><string key="concept:name" value="x"/></global>\n'
    '<classifier name="Activity" keys="concept:name"/>\n<string key="concept:name" value="the log"/>\n'
)


def _trace(n: int, extra: str = "") -> str:
    events = "".join(
        f'<event><string key="concept:name" value="step {k}"/><string key="org:resource" value="r{n % 7}"/>'
        f'<date key="time:timestamp" value="2024-03-{1 + n % 28:02d}T10:{k:02d}:00.000+02:00"/>'
        f'<int key="cost" value="{n * k}"/>{extra if k == 1 else ""}</event>'
        for k in range(3)
    )
    return (
        f'<trace><string key="concept:name" value="case {n}"/><float key="amount" value="{n / 3}"/>'
        f"{events}</trace>\n"
    )


def _write(path: Path, traces: list[str], header: str = HEADER) -> Path:
    text = header + "".join(traces) + "</log>\n"
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text)
    return path


@pytest.fixture
def split_small(monkeypatch: pytest.MonkeyPatch) -> None:
    """Split even the small files of these tests, as if this process had not run rustxes yet."""
    monkeypatch.setattr(xes_halves, "SPLIT_MIN", 0)
    monkeypatch.setattr(rustxes_parse, "pools_started", False)


SCRIPT = """
import json, sys
from pathlib import Path
from procmine.io import rustxes_parse, xes_halves, xes_log
xes_halves.SPLIT_MIN = 0
codes = []
finish = xes_halves._finish
xes_halves._finish = lambda *a, **k: codes.append(finish(*a, **k)) or codes[-1]
halves = xes_halves.read_in_halves(Path(sys.argv[1]), None)
whole, parser = xes_log.read_xes(Path(sys.argv[1]))
from tests.test_xes_halves import _stored
types, rows = _stored(whole)
got = _stored(halves) if halves is not None else (None, None)
print(json.dumps({"split": halves is not None, "child": codes, "same": got[1] == rows, "rows": len(whole),
                  "dtypes_same": got[0] == types and halves.attrs == whole.attrs}))
"""


def _stored(raw: object) -> tuple[list, list]:
    """The table DuckDB holds of a raw frame or Arrow table: its column types, then its rows."""
    import duckdb

    from procmine.io.logs import _frame_into

    con = duckdb.connect()
    _frame_into(con, raw)
    stored = "(SELECT * FROM raw_source ORDER BY __row)"
    return con.sql(f"DESCRIBE {stored}").fetchall(), con.sql(stored).fetchall()


def _in_fresh_process(path: Path) -> dict[str, object]:
    """Halves and whole read in a new interpreter (where rustxes's thread pools are not started yet)."""
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,  # (the script imports tests.test_xes_halves)
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", ["log.xes", "log.xes.gz"])
def test_two_halves_read_at_once_give_the_frame_of_one_whole_read(tmp_path: Path, name: str) -> None:
    traces = [_trace(n) for n in range(300)]
    traces[250] = _trace(250, extra='<string key="only late" value="here"/>')  # a key of the second half
    result = _in_fresh_process(_write(tmp_path / name, traces))
    assert result == {"split": True, "child": [0], "same": True, "rows": 900, "dtypes_same": True}


@pytest.mark.parametrize("scope", ["event", "trace"])
def test_an_attribute_with_a_global_default_in_one_half_only_gets_it_in_the_other(
    tmp_path: Path, scope: str
) -> None:
    default = f'<global scope="{scope}"><string key="channel" value="unknown"/></global>\n'
    header = HEADER.replace("<classifier", default + "<classifier")
    channel = '<string key="channel" value="web"/>'
    traces = [_trace(n, extra=channel if n < 30 and scope == "event" else "") for n in range(300)]
    if scope == "trace":
        traces[:30] = [t.replace("<trace>", "<trace>" + channel, 1) for t in traces[:30]]
    path = _write(tmp_path / "log.xes", traces, header)
    whole, _ = xes_log.read_xes(path)
    assert set(whole["channel"]) == {"web", "unknown"}  # rustxes fills the default where the key is seen
    result = _in_fresh_process(path)  # (the second half has no "channel" at all: it gets the default)
    assert result == {"split": True, "child": [0], "same": True, "rows": 900, "dtypes_same": True}


def test_a_global_default_typed_unlike_the_attribute_sends_the_log_to_a_whole_read(tmp_path: Path) -> None:
    default = '<global scope="event"><int key="channel" value="0"/></global>\n'
    header = HEADER.replace("<classifier", default + "<classifier")
    traces = [_trace(n, extra='<string key="channel" value="web"/>' if n < 30 else "") for n in range(300)]
    result = _in_fresh_process(_write(tmp_path / "log.xes", traces, header))
    assert result["split"] is False and result["rows"] == 900


@pytest.mark.slow
@pytest.mark.parametrize("name", ["real/genlstm/BPIC15_1.xes.gz", "real/bpic2020_bptlab/PermitLog.xes.gz"])
def test_logs_whose_halves_differ_in_defaulted_attributes_read_as_a_whole_read(
    shared_data: Path, name: str
) -> None:
    path = shared_data / "logs" / name
    if not path.exists():
        pytest.skip(f"{name} is absent")
    result = _in_fresh_process(path)
    assert result["split"] is True and result["same"] is True and result["dtypes_same"] is True


@pytest.mark.slow
def test_bpic_2012_read_in_halves_is_the_whole_read(shared_data: Path) -> None:
    path = shared_data / "logs" / "pm4py" / "input_data" / "bpic2012.xes.gz"
    if not path.exists():
        pytest.skip("BPIC 2012 is absent")
    result = _in_fresh_process(path)
    assert result == {"split": True, "child": [0], "same": True, "rows": 262200, "dtypes_same": True}


def _messages(path: Path) -> tuple[str, str]:
    with pytest.raises(InputError) as split:
        read_log(path)
    rustxes_parse.pools_started = False
    with pytest.raises(InputError) as alone:
        read_log(path, processes=1)
    return str(split.value), str(alone.value)


def test_a_declaration_in_the_second_half_is_refused_as_by_a_whole_read(tmp_path: Path, split_small) -> None:
    traces = [_trace(n) for n in range(100)]
    traces[90] = '<!ENTITY boom "boom">\n' + traces[90]
    split, alone = _messages(_write(tmp_path / "log.xes", traces))
    assert split == alone and "DOCTYPE or entities" in split


def test_deep_nesting_in_the_second_half_is_refused_as_by_a_whole_read(tmp_path: Path, split_small) -> None:
    traces = [_trace(n) for n in range(100)]
    traces[90] = _trace(90, extra='<list key="l">' * 300 + "</list>" * 300)
    split, alone = _messages(_write(tmp_path / "log.xes", traces))
    assert split == alone and "xml-depth" in split


def test_an_attribute_typed_differently_in_each_half_is_read_whole(tmp_path: Path, split_small) -> None:
    traces = [_trace(n, extra=f'<int key="code" value="{n}"/>') for n in range(100)]
    traces[80] = _trace(80, extra='<string key="code" value="A7"/>')  # rustxes: text, strings quoted
    path = _write(tmp_path / "log.xes", traces)
    data = path.read_bytes()
    opening, body, middle = xes_halves._cut(data)
    first = xes_halves._read_half((opening, data[body:middle], b"</log>\n"))
    second = xes_halves._read_half((opening, data[middle:]))
    assert first is not None and second is None  # rustxes said the second half's "code" has two types
    switch = 50
    for _ in range(10):  # ints in the first half, text in the second: find where the cut falls
        later = [
            _trace(n, extra='<string key="code" value="A7"/>') if n >= switch else traces[n]
            for n in range(100)
        ]
        data = "".join([HEADER, *later, "</log>\n"]).encode()
        opening, body, middle = xes_halves._cut(data)
        if data[body:middle].count(b"<trace>") == switch:
            break
        switch = data[body:middle].count(b"<trace>")
    parts = ((opening, data[body:middle], b"</log>\n"), (opening, data[middle:]))
    halves = [xes_halves._read_half(part) for part in parts]
    assert all(h is not None for h in halves) and xes_halves._joined(*halves) is None  # int here, text there


def test_both_halves_open_with_the_header_without_the_logs_own_attributes() -> None:
    nested = '<float key="meta:mean" value="2.5"><int key="10609" value="3"/></float>\n'
    data = (HEADER + nested + "".join(_trace(n) for n in range(20)) + "</log>\n").encode()
    opening, body, middle = xes_halves._cut(data)
    assert xes_halves._cut(data, xes_halves._header_length(data)) == (opening, body, middle)
    assert data[:body].endswith(nested.encode()) and data[middle:].startswith(b"<trace>")
    assert opening.startswith(HEADER[: HEADER.index("<extension")].rstrip().encode())
    tags = (b"<extension", b"<global", b"<classifier", b"<string", b"<float")
    assert [opening.count(tag) for tag in tags] == [1, 1, 1, 1, 0]  # (the <string of the global)
    assert b"the log" not in opening


@pytest.mark.parametrize(
    "header",
    [
        HEADER.replace("<classifier", "<![CDATA[ <trace> ]]><classifier"),
        HEADER + '<event><string key="concept:name" value="outside any trace"/></event>\n',
        HEADER.replace("<classifier", "<?pi here?><classifier"),
        HEADER.replace("<!-- written by a test; <trace> in a comment -->", "<!-- <trace> never closed"),
    ],
)
def test_a_header_that_must_not_be_read_twice_is_not_cut(header: str) -> None:
    data = (header + "".join(_trace(n) for n in range(20)) + "</log>\n").encode()
    assert xes_halves._cut(data) is None
    assert xes_halves._cut(data, xes_halves._header_length(data)) is None  # (measured by the expanding child)


def test_a_small_file_is_read_whole_without_a_fork(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rustxes_parse, "pools_started", False)
    monkeypatch.setattr(xes_halves.os, "fork", lambda: pytest.fail("forked for a small file"))
    path = _write(tmp_path / "log.xes", [_trace(n) for n in range(50)])
    assert xes_halves.read_in_halves(path, None) is None
    assert read_log(path).summary()["events"] == 150


def test_asked_for_one_process_it_reads_whole(
    tmp_path: Path, split_small: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xes_halves.os, "fork", lambda: pytest.fail("forked with --processes 1"))
    path = _write(tmp_path / "log.xes", [_trace(n) for n in range(50)])
    assert xes_halves.read_in_halves(path, 1) is None


@pytest.mark.parametrize("child_fate", ["hangs", "dies"])
def test_a_child_that_does_not_answer_leaves_its_half_to_this_process(
    tmp_path: Path, split_small: None, monkeypatch: pytest.MonkeyPatch, child_fate: str
) -> None:
    import os
    import time

    parent, read_half = os.getpid(), xes_halves._read_half

    def failing_child(parts):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            if child_fate == "hangs":
                time.sleep(120)  # a lock never released, say
            os._exit(9)  # killed, out of memory...
        return read_half(parts)

    monkeypatch.setattr(xes_halves, "_read_half", failing_child)
    path = _write(tmp_path / "log.xes", [_trace(n) for n in range(200)])
    started = time.monotonic()
    halves = xes_halves.read_in_halves(path, None)
    assert time.monotonic() - started < 60
    whole, _ = xes_log.read_xes(path)
    assert halves is not None and _stored(halves) == _stored(whole)


REAPED = """
import json, os, sys
from pathlib import Path
from procmine.io import xes_halves
xes_halves.SPLIT_MIN = 0
started, finished, start_child, finish = [], [], xes_halves._start_child, xes_halves._finish
xes_halves._start_child = lambda *a: started.append(start_child(*a)) or started[-1]
xes_halves._finish = lambda *a, **k: finished.append(finish(*a, **k)) or finished[-1]
halves = xes_halves.read_in_halves(Path(sys.argv[1]), None)
try:
    os.waitpid(started[0].pid, os.WNOHANG)
    reaped = False
except ChildProcessError:
    reaped = True
print(json.dumps({"split": halves is not None, "child": finished, "reaped": reaped,
                  "unreaped": xes_halves._unreaped}))
"""


def test_the_child_that_answered_is_waited_for_before_the_read_returns(tmp_path: Path) -> None:
    """Its answer is taken as soon as it says its exit code (before it has exited); the read does not
    return with the child left unreaped."""
    path = _write(tmp_path / "log.xes", [_trace(n) for n in range(200)])
    done = subprocess.run(
        [sys.executable, "-c", REAPED, str(path)], capture_output=True, text=True, timeout=120, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"split": True, "child": [0], "reaped": True, "unreaped": []}


CONNECTING = """
import sys, threading
from pathlib import Path
from procmine.errors import InputError
from procmine.io import logs, store, xes_halves
xes_halves.SPLIT_MIN = 0
made_on, connect = [], store.connect
def recording(*args, **kwargs):
    made_on.append(threading.current_thread().name)
    return connect(*args, **kwargs)
store.connect = recording
try:
    logs.read_log(Path(sys.argv[1]), memory_limit=sys.argv[2])
except InputError as exc:
    print("REFUSED", exc.source)
print("MADE ON", made_on)
"""


def test_the_connection_is_made_while_the_halves_are_joined_and_its_error_raised_as_before(
    tmp_path: Path,
) -> None:
    """With a log read in halves, DuckDB's connection is made on a thread of its own once both halves are
    parsed; what connecting refuses (a bad --memory-limit) is raised to the reader as without it."""
    path = _write(tmp_path / "log.xes", [_trace(n) for n in range(300)])
    outputs = []
    for limit in ("1GB", "lots"):
        done = subprocess.run(
            [sys.executable, "-c", CONNECTING, str(path), limit], capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout.split("\n"))
    assert outputs[0][0] == "MADE ON ['procmine-connect']"
    assert outputs[1][:2] == ["REFUSED --memory-limit", "MADE ON ['procmine-connect']"]
