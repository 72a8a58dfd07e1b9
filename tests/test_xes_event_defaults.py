"""A log that declares many event defaults (``<global scope="event">``) is parsed without them and they are
filled after: the frame must be rustxes's own, value for value and type for type, or the log is parsed the
ordinary way."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest

from procmine.io import rustxes_parse, xes_defaults

rustxes = pytest.importorskip("rustxes")

KEYS = [f"k{n:02d}" for n in range(xes_defaults.WIDE)]


def document(event_globals: str = "", extra: str = "", between: str = "") -> str:
    """A log with ``WIDE`` string defaults (and ``event_globals``), whose events hold two or three of them."""
    defaults = "".join(f'<string key="{key}" value="default {key}"/>' for key in KEYS)
    traces = []
    for case in range(6):
        events = []
        for n in range(4):
            held = "".join(
                f'<string key="{KEYS[(case + n + k) % len(KEYS)]}" value="v{case}.{n}"/>' for k in range(2)
            )
            late = '<string key="k00" value="late"/>' if case == 5 and n == 3 else ""
            events.append(
                f'<event><string key="concept:name" value="A{n}"/>{held}{late}{extra if n == 1 else ""}'
                f'<date key="time:timestamp" value="2024-01-0{n + 1}T10:00:00+01:00"/></event>'
            )
        traces.append(f'<trace><string key="concept:name" value="c{case}"/>{"".join(events)}</trace>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!-- made by hand -->\n<log xes.version="1.0">\n'
        '<global scope="trace"><string key="concept:name" value="name"/></global>\n'
        f'<global scope="event">{defaults}<string key="concept:name" value="unnamed"/>'
        f'<date key="time:timestamp" value="2000-01-01T00:00:00+00:00"/>{event_globals}</global>\n'
        f"{between}{''.join(traces)}</log>\n"
    )


def write(tmp_path: Path, text: str, name: str = "log.xes") -> Path:
    path = tmp_path / name
    path.write_bytes(gzip.compress(text.encode()) if name.endswith(".gz") else text.encode())
    return path


def plain(path: Path) -> Any:
    found, _meta = rustxes.import_xes(str(path))
    return found.select(sorted(found.columns))


@pytest.mark.parametrize("name", ["log.xes", "log.xes.gz"])
def test_defaults_filled_after_give_rustxes_own_frame(tmp_path: Path, name: str) -> None:
    path = write(
        tmp_path, document(event_globals='<int key="score" value="7"/>', extra='<int key="score" value="3"/>')
    )
    path = write(tmp_path, path.read_text(), name)
    without = rustxes_parse._without_event_defaults(str(path))
    assert without is not None  # the log was read without its defaults
    expected = plain(path)
    assert expected["k03"].null_count() == 0 and "default k03" in expected["k03"].to_list()
    assert rustxes_parse.events(str(path)).equals(expected)
    assert without.select(sorted(without.columns)).equals(expected)
    assert dict(without.schema) == dict(expected.schema)


@pytest.mark.parametrize(
    "changes",
    [
        # a default typed unlike the attribute's values: rustxes makes that column text
        {"event_globals": '<int key="colour" value="0"/>', "extra": '<string key="colour" value="red"/>'},
        # values of two types in the events themselves
        {"extra": '<int key="k01" value="5"/>'},
        # a comment after the defaults could hide or fake one
        {"between": "<!-- <global scope='event'><string key='x' value='y'/></global> -->\n"},
        # so could a CDATA section (here, a log attribute's text)
        {"between": "<string key='note' value='n'><![CDATA[<global scope='event'></global>]]></string>\n"},
    ],
)
def test_a_log_whose_frame_could_differ_is_parsed_the_ordinary_way(
    tmp_path: Path, changes: dict[str, str]
) -> None:
    path = write(tmp_path, document(**changes))
    assert rustxes_parse._without_event_defaults(str(path)) is None
    assert rustxes_parse.events(str(path)).equals(plain(path))


def test_a_log_with_few_defaults_is_parsed_the_ordinary_way(tmp_path: Path) -> None:
    text = document()
    for key in KEYS[: len(KEYS) // 2]:
        text = text.replace(f'<string key="{key}" value="default {key}"/>', "")
    path = write(tmp_path, text)
    assert rustxes_parse._without_event_defaults(str(path)) is None
    assert rustxes_parse.events(str(path)).equals(plain(path))


def test_an_event_default_no_event_holds_makes_no_column_even_when_a_trace_holds_it(tmp_path: Path) -> None:
    trace = '<trace><string key="concept:name" value="c0"/>'
    text = document(event_globals='<string key="tk" value="default"/>')
    path = write(tmp_path, text.replace(trace, trace + '<string key="tk" value="T"/>'))
    without = rustxes_parse._without_event_defaults(str(path))
    assert without is not None and "tk" not in without.columns and "case:tk" in without.columns
    assert rustxes_parse.events(str(path)).equals(plain(path))
