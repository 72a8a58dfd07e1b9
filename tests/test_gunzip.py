"""io.input_files.Expansion: ISA-L's inflate (the isal wheel) and the standard library's zlib, which
stands in where the wheel is absent, expand the same bytes and refuse the same broken files."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pytest

from procmine.errors import InputError
from procmine.io import input_files

TEXT = b"<log>" + b"<trace><event/></trace>\n" * 20_000 + b"</log>\n"
GOOD = gzip.compress(TEXT)


@pytest.fixture(params=["isal", "zlib"])
def inflating(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "zlib":
        monkeypatch.setattr(input_files, "inflating", zlib)
    elif input_files.inflating is zlib:
        pytest.skip("the isal wheel is not installed")
    return request.param


def _expanded(path: Path) -> tuple[bytes, int]:
    stream = input_files.Expansion(path)
    return b"".join(stream.chunks()), stream.members


def test_every_member_is_expanded(tmp_path: Path, inflating: str) -> None:
    path = tmp_path / "log.xes.gz"
    path.write_bytes(GOOD + gzip.compress(b"<!-- more -->"))
    assert _expanded(path) == (TEXT + b"<!-- more -->", 2)


@pytest.mark.parametrize(
    ("broken", "cause"),
    [
        (GOOD[:-200], "truncated"),
        (GOOD[:-8] + bytes([GOOD[-8] ^ 1]) + GOOD[-7:], "not valid gzip data"),  # the CRC
        (GOOD[:-1] + bytes([GOOD[-1] ^ 1]), "not valid gzip data"),  # the length
        (GOOD[:20] + b"\xff" * 50 + GOOD[70:], "not valid gzip data"),
        (GOOD + b"junk after the member", "not valid gzip data"),
    ],
)
def test_a_broken_file_is_refused_alike(tmp_path: Path, inflating: str, broken: bytes, cause: str) -> None:
    path = tmp_path / "log.xes.gz"
    path.write_bytes(broken)
    with pytest.raises(InputError, match=cause):
        _expanded(path)
