"""io.xes_pieces: an XES document parsed in pieces of whole traces gives rustxes's frame of the whole
document, value for value and type for type (defaults some pieces lack filled, a wide log's event
defaults filled after), and anything that could make the frames differ is parsed whole. The pieces here
are a few hundred bytes (``xml_scan.CUT_EVERY``), so that a small document has many."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from polars.testing import assert_frame_equal

from procmine.io import rustxes_parse, xes_defaults, xml_scan
from procmine.io.input_files import check_log_file
from procmine.io.xml_scan import scan_xml

rustxes = pytest.importorskip("rustxes")

WIDE_KEYS = [f"w{n:02d}" for n in range(xes_defaults.WIDE)]


@pytest.fixture(autouse=True)
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xml_scan, "CUT_EVERY", 400)


def document(
    wide: bool = False, code: dict[int, str] | None = None, between: str = "", header: str = ""
) -> str:
    """40 traces: ``channel`` (a trace default) in the first five only, ``colour`` (an event default) in
    the last ten only; ``code``: trace number -> an extra attribute of its first event."""
    defaults = "".join(f'<string key="{key}" value="default {key}"/>' for key in WIDE_KEYS) if wide else ""
    traces = []
    for n in range(40):
        channel = '<string key="channel" value="web"/>' if n < 5 else ""
        colour = '<string key="colour" value="red"/>' if n >= 30 else ""
        held = f'<string key="w{n % 7:02d}" value="v{n}"/>' if wide else ""
        events = "".join(
            f'<event><string key="concept:name" value="A{k}"/><int key="cost" value="{n * k}"/>'
            f'<date key="time:timestamp" value="2024-01-{1 + n % 28:02d}T10:0{k}:00.123+01:00"/>'
            f"{colour}{held}{(code or {}).get(n, '') if k == 0 else ''}</event>"
            for k in range(3)
        )
        traces.append(
            f'<trace><string key="concept:name" value="c{n}"/>{channel}<float key="amount" value="{n / 3}"/>'
            f"{events}</trace>\n{between if n == 20 else ''}"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!-- a test log; <trace> in a comment -->\n'
        '<log xes.version="1.0">\n'
        '<global scope="trace"><string key="concept:name" value="name"/>'
        '<string key="channel" value="unknown"/></global>\n'
        f'<global scope="event"><string key="concept:name" value="unnamed"/>'
        f'<string key="colour" value="none"/>{defaults}</global>\n'
        f'{header}<string key="creator" value="a test"/>\n{"".join(traces)}</log>\n'
    )


def whole(text: str, tmp_path: Path) -> Any:
    path = tmp_path / "log.xes"
    path.write_text(text)
    found, _meta = rustxes.import_xes(str(path))
    return found.select(sorted(found.columns))


def checked_and_parsed(path: Path) -> Any:
    """As ``xes_log.read_xes`` parses a whole file: after the input check, whose scan found the cuts."""
    return rustxes_parse.events(str(path), check_log_file(path, "xes"))


def in_pieces(text: str) -> Any:
    data = text.encode()
    return rustxes_parse.in_pieces([data[:100], memoryview(data)[100:]], scan_xml([data]).trace_cuts)


@pytest.mark.parametrize("wide", [False, True])
def test_a_log_parsed_in_pieces_is_rustxes_frame_of_the_whole_document(tmp_path: Path, wide: bool) -> None:
    text = document(wide=wide)
    assert len(scan_xml([text.encode()]).trace_cuts) > 10
    expected = whole(text, tmp_path)
    assert set(expected["case:channel"]) == {"web", "unknown"} and set(expected["colour"]) == {"red", "none"}
    assert_frame_equal(in_pieces(text), expected, check_exact=True)
    assert_frame_equal(checked_and_parsed(tmp_path / "log.xes"), expected, check_exact=True)


@pytest.mark.parametrize(
    "code",
    [
        {2: '<int key="code" value="1"/>', 38: '<string key="code" value="x"/>'},  # a type per piece
        {2: '<int key="code" value="1"/>', 38: '<float key="code" value="1.5"/>'},  # rustxes: floats
        {2: '<int key="code" value="1"/>', 3: '<string key="code" value="x"/>'},  # two in one piece
    ],
)
def test_an_attribute_of_two_types_is_parsed_whole(tmp_path: Path, code: dict[int, str]) -> None:
    text = document(code=code)
    assert in_pieces(text) is None
    expected = whole(text, tmp_path)
    assert_frame_equal(checked_and_parsed(tmp_path / "log.xes"), expected, check_exact=True)


@pytest.mark.parametrize(
    "header", ["<string key='note' value='n'><![CDATA[x]]></string>\n", "<?pi x?>\n", "<event/>\n"]
)
def test_a_header_that_must_not_be_read_in_every_piece_is_parsed_whole(tmp_path: Path, header: str) -> None:
    text = document(header=header)
    assert len(scan_xml([text.encode()]).trace_cuts) > 10 and in_pieces(text) is None


def test_trace_cuts_fall_on_the_roots_trace_children_a_few_hundred_bytes_apart() -> None:
    data = document(between="<!-- <trace> --><![CDATA[<trace>]]>\n").encode()
    cuts = scan_xml([data[k : k + 97] for k in range(0, len(data), 97)], piece=256).trace_cuts
    assert cuts == scan_xml([data]).trace_cuts
    assert cuts[0] == data.index(b"<trace>", data.index(b"-->"))
    assert all(data.startswith(b"<trace>", cut) for cut in cuts)
    assert all(400 <= later - cut < 400 + 1500 for cut, later in itertools.pairwise(cuts))


@pytest.mark.parametrize(
    "between",
    ["<global scope='event'><string key='x' value='y'/></global>\n", "<event/>\n", "<string key='a'/>\n"],
)
def test_anything_but_a_trace_after_the_first_trace_leaves_no_cuts(between: str) -> None:
    assert scan_xml([document(between=between).encode()]).trace_cuts == []


def test_a_second_root_leaves_no_cuts() -> None:
    assert scan_xml([(document() + "<log></log>\n").encode()]).trace_cuts == []


@pytest.mark.parametrize(
    ("wide", "header"), [(False, ""), (True, ""), (True, "<?pi x?>\n")], ids=["narrow", "wide", "wide, whole"]
)
@pytest.mark.parametrize("name", ["log.xes", "log.xes.gz"])
def test_the_bytes_the_input_check_kept_are_parsed_without_reading_the_file_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wide: bool, header: str, name: str
) -> None:
    """In pieces, or (a header read once only) whole without the event defaults, filled after."""
    import gzip

    from procmine.io import input_files

    text = document(wide=wide, header=header).replace("<trace> in a comment", "a comment")
    expected = whole(text, tmp_path)
    path = tmp_path / name
    path.write_bytes(gzip.compress(text.encode()) if name.endswith(".gz") else text.encode())
    facts = check_log_file(path, "xes", keep=1 << 20)
    assert facts.expanded is not None and b"".join(facts.expanded) == text.encode()

    def read_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was read again")

    monkeypatch.setattr(input_files.Expansion, "chunks", read_again)
    monkeypatch.setattr(rustxes_parse.gzip, "open", read_again)
    assert_frame_equal(rustxes_parse.events(str(path), facts), expected, check_exact=True)
    assert facts.expanded is None  # (freed once parsed)


def test_the_input_check_keeps_no_bytes_past_its_limit_nor_of_utf16(tmp_path: Path) -> None:
    text = document()
    path = tmp_path / "log.xes"
    path.write_text(text)
    assert check_log_file(path, "xes").expanded is None  # (none asked for)
    assert check_log_file(path, "xes", keep=len(text.encode()) - 1).expanded is None
    assert check_log_file(path, "xes", keep=len(text.encode())).expanded is not None
    path.write_bytes(text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    assert check_log_file(path, "xes", keep=1 << 30).expanded is None  # (rustxes does not read UTF-16)


def test_the_kept_bytes_are_let_go_when_lxml_reads_the_file(tmp_path: Path) -> None:
    """A log rustxes does not read (here: a UTC offset asked for) is read by lxml from the file; the bytes
    the check kept are not held meanwhile."""
    from procmine.io.xes_log import read_xes

    path = tmp_path / "log.xes"
    path.write_text(document())
    facts = check_log_file(path, "xes", keep=1 << 20)
    assert facts.expanded is not None
    _frame, parser = read_xes(path, timezone="Europe/Amsterdam", facts=facts)
    assert parser == "lxml" and facts.expanded is None
