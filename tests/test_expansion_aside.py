"""io.expansion_aside: a child expands the log file into memory while the reader imports; the bytes are
those of the file expanded here, and anything the input check would refuse (a limit, several gzip
members, a broken gzip stream) or any failure of the child gives None: the file is then read the ordinary
way, whose check says why."""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path

import pytest

from procmine.io import expansion_aside, limits
from procmine.io.expansion_aside import ExpansionAside

pytestmark = pytest.mark.skipif(not hasattr(os, "memfd_create"), reason="Linux only (fork, memfd)")

TEXT = b"".join(b"<trace><event>%d</event></trace>\n" % n for n in range(20_000))


@pytest.fixture(autouse=True)
def default_limits():
    limits.reset()
    yield
    limits.reset()


def test_a_gzipped_file_expands_to_the_bytes_gzip_gives(tmp_path: Path) -> None:
    path = tmp_path / "log.xes.gz"
    path.write_bytes(gzip.compress(TEXT))
    data = ExpansionAside(path, cap=1 << 30).result()
    assert data is not None and data[:] == TEXT and len(data) == len(TEXT)


def test_a_plain_file_is_copied_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "log.xes"
    path.write_bytes(TEXT)
    data = ExpansionAside(path, cap=1 << 30).result()
    assert data is not None and data[:] == TEXT


def test_over_the_cap_gives_none(tmp_path: Path) -> None:
    path = tmp_path / "log.xes.gz"
    path.write_bytes(gzip.compress(TEXT))
    assert ExpansionAside(path, cap=len(TEXT) - 1).result() is None
    assert ExpansionAside(path, cap=len(TEXT)).result() is not None


def test_several_gzip_members_give_none(tmp_path: Path) -> None:
    path = tmp_path / "log.xes.gz"
    path.write_bytes(gzip.compress(TEXT[:1000]) + gzip.compress(TEXT[1000:]))
    assert ExpansionAside(path, cap=1 << 30).result() is None


def test_a_cut_short_gzip_stream_gives_none(tmp_path: Path) -> None:
    path = tmp_path / "log.xes.gz"
    path.write_bytes(gzip.compress(TEXT)[:-100])
    assert ExpansionAside(path, cap=1 << 30).result() is None


def test_a_decompression_bomb_past_the_ratio_limit_gives_none(tmp_path: Path) -> None:
    """The child counts the expansion against the limits as the input check does (the ratio counts past
    limits.RATIO_FLOOR expanded bytes): a file the check refuses is not expanded here either."""
    path = tmp_path / "bomb.xes.gz"
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1 << 20)
    path.write_bytes(b"".join(packer.compress(zeros) for _ in range(80)) + packer.flush())
    assert path.stat().st_size * limits.current().compression_ratio < 80 << 20
    assert ExpansionAside(path, cap=1 << 30).result() is None


def test_no_process_to_spare_gives_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "log.xes.gz"
    path.write_bytes(gzip.compress(TEXT))

    def no_fork() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(expansion_aside.os, "fork", no_fork)
    assert ExpansionAside(path, cap=1 << 30).result() is None


def test_a_child_that_dies_gives_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "log.xes.gz"
    path.write_bytes(gzip.compress(TEXT))

    def killed(*args: object) -> bool:
        os.kill(os.getpid(), 9)  # out of memory, say
        return True

    monkeypatch.setattr(expansion_aside, "_expand_into", killed)
    assert ExpansionAside(path, cap=1 << 30).result() is None


def test_the_child_measures_the_bytes_it_wrote(tmp_path: Path) -> None:
    path = tmp_path / "log.xes.gz"
    path.write_bytes(gzip.compress(TEXT))
    aside = ExpansionAside(path, cap=1 << 30, measure=lambda data: data[:].find(b"<event>7</event>"))
    assert aside.result() is not None and aside.measured == TEXT.find(b"<event>7</event>")


@pytest.mark.parametrize(
    ("measure", "measured"),
    [
        (lambda data: None, None),
        (lambda data: 1 // 0, expansion_aside.NOT_MEASURED),
        (None, expansion_aside.NOT_MEASURED),
    ],
    ids=["none", "raises", "no measure"],
)
def test_a_measure_that_finds_nothing_or_fails(tmp_path: Path, measure: object, measured: object) -> None:
    """None comes back as None; a measure that raises (or none given) leaves the bytes unmeasured: the
    caller measures them itself."""
    path = tmp_path / "log.xes"
    path.write_bytes(TEXT)
    aside = ExpansionAside(path, cap=1 << 30, measure=measure)  # type: ignore[arg-type]
    assert aside.result() is not None and aside.measured is measured


def test_refused_bytes_are_not_measured(tmp_path: Path) -> None:
    path = tmp_path / "log.xes.gz"
    path.write_bytes(gzip.compress(TEXT))
    aside = ExpansionAside(path, cap=len(TEXT) - 1, measure=lambda data: 1)
    assert aside.result() is None and aside.measured is expansion_aside.NOT_MEASURED
