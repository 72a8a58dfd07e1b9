"""Checks every input file passes before any reader opens it.

A path can name a FIFO (opening it blocks forever), a device (``/dev/zero`` never ends), a folder, a
symlink loop, a gzip bomb (10 MB that expand to 7 GB) or a gzip file of several members (readers that
stop after the first one lose rows without a word). Each is refused here with one line naming the file
and the cause, or, for a log, measured in one streaming pass whose facts the readers then use.
"""

from __future__ import annotations

import os
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from procmine.errors import InputError
from procmine.io import limits

if TYPE_CHECKING:
    from procmine.io.xml_scan import XmlFacts

try:  # ISA-L's inflate (the isal wheel): the same gzip checks as zlib's in about half the time
    from isal import isal_zlib as inflating

    INFLATE_ERRORS: tuple[type[Exception], ...] = (zlib.error, inflating.error)
except ImportError:  # no wheel for this machine: the standard library's
    inflating = zlib  # type: ignore[assignment]
    INFLATE_ERRORS = (zlib.error,)

CHUNK = 16 << 20
_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def regular_file(path: str | Path, *, limit: str = "file_size", missing: str = "no such file") -> Path:
    """``path`` if it is a readable regular file (symlinks followed) within the size limit ``limit``.

    Checked with ``stat``, never by opening: opening a FIFO blocks until a writer comes."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(path, missing) from None
    except OSError as exc:  # a symlink loop (ELOOP), a path through a file (ENOTDIR), no permission
        raise InputError(path, f"cannot read it: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
        raise InputError(path, f"is {kind}, not a regular file; refused")
    if not os.access(path, os.R_OK):
        raise InputError(path, "cannot read it: permission denied")
    if info.st_size > getattr(limits.current(), limit):
        raise limits.refuse(path, f"the file is {limits.human_size(info.st_size)}, over", limit)
    return path


def read_text(path: str | Path, what: str, *, missing: str = "no such file") -> str:
    """The UTF-8 text of a small input (``what``: "a mapping CSV", "TOML"...), or a one-line refusal."""
    path = regular_file(path, missing=missing)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read it: {exc.strerror or exc}") from None
    if b"\x00" in data:
        raise InputError(path, f"a binary file, not {what}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text (invalid byte at offset {exc.start:,}), not {what}") from None


def files_under(folder: Path, pattern: str) -> tuple[list[Path], list[Path]]:
    """The files under ``folder`` matching ``pattern`` (``**/*.bpmn``), and the symlinks skipped.

    Symlinked folders are not entered (a link to a parent would loop, two would never end), and a
    symlinked file that leads out of ``folder`` is skipped: linting a folder reads only that folder."""
    root = folder.resolve()
    found: dict[Path, Path] = {}
    skipped: list[Path] = []
    for path in sorted(folder.glob(pattern)):  # pathlib does not follow symlinked folders for **
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):  # a dangling link or a loop
            skipped.append(path)
            continue
        if not target.is_file():
            continue
        if path.is_symlink() and not target.is_relative_to(root):
            skipped.append(path)
            continue
        found.setdefault(target, path)  # the same file under two names is read once
    return sorted(found.values()), skipped


def is_gzip(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


@dataclass
class LogFileFacts:
    """What one pass over a log file found (the expanded bytes of a .gz)."""

    size: int  # bytes as parsed (after decompression)
    members: int = 1  # gzip members (1 for a plain file)
    tail: bytes = b""  # the last bytes: does an XES end with </log>?
    xml: XmlFacts | None = field(default=None)
    # the expanded bytes of an XES, the chunks kept as they passed (``keep``): the parser reads them, not
    # the file again
    expanded: list[bytes] | None = field(default=None, repr=False)


def check_log_file(path: Path, fmt: str, keep: int = 0) -> LogFileFacts:
    """Refuse a log that is not a regular file or is over a limit; for XES and .gz, one pass measures
    the expanded size, the gzip members and (XES) the nesting depth and any DOCTYPE. ``keep``: an XES of
    UTF-8 markup up to that many bytes expanded is kept in ``expanded`` (BPIC 2012: one expansion instead of
    two, 0.1 s)."""
    regular_file(path, limit="log_size")
    if path.stat().st_size == 0:
        raise InputError(path, "the file is empty")
    if fmt != "xes" and not is_gzip(path):
        return LogFileFacts(size=path.stat().st_size)
    stream = Expansion(path)
    if fmt != "xes":
        for _ in stream.chunks():
            pass
        return LogFileFacts(size=stream.size, members=stream.members, tail=stream.tail)
    kept = _Kept(keep)
    xml = _scan_xes(path, stream, kept)
    facts = LogFileFacts(size=stream.size, members=stream.members, tail=stream.tail, xml=xml)
    facts.expanded = kept.data
    return facts


def _scan_xes(path: Path, stream: Expansion, kept: _Kept) -> XmlFacts:
    from procmine.io.xml_scan import as_utf8, scan_xml, utf16_of  # numpy: not for lint's small inputs

    chunks = stream.chunks()
    first = next(chunks, b"")
    if not first.strip():
        raise InputError(path, "the file is empty")
    codec = utf16_of(first)
    chunks = kept.passing(chunks, first) if codec is None else chunks
    body = _prepend(first, chunks)
    depth_limit = limits.current().xml_depth
    facts = scan_xml(as_utf8(body, codec) if codec else body, stop_depth=depth_limit)
    facts.utf16 = codec is not None
    if facts.declaration:
        raise InputError(path, "refused: the XML declares a DOCTYPE or entities (not allowed in a log)")
    if facts.oversized:
        raise InputError(path, "refused: a comment or tag of more than 64 MiB (not an event log)")
    if facts.max_depth > depth_limit:
        raise limits.refuse(path, "elements nested deeper than", "xml_depth")
    for _ in chunks:  # the rest of the expansion still counts against the size limits
        pass
    return facts


class _Kept:
    """The chunks of an expansion kept as they pass (each a bytes object of its own: no copy), up to
    ``limit`` bytes in all (past it: none kept)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.data: list[bytes] | None = None

    def passing(self, chunks: Iterator[bytes], first: bytes) -> Iterator[bytes]:
        """``chunks`` (which follow ``first``), unchanged."""
        if self.limit <= 0:
            yield from chunks
            return
        self.data, size = ([first], len(first)) if len(first) <= self.limit else (None, 0)
        for chunk in chunks:
            size += len(chunk)
            if self.data is not None:
                if size > self.limit:
                    self.data = None  # (their memory serves the next chunks)
                else:
                    self.data.append(chunk)
            yield chunk


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


class Expansion:
    """The bytes of a (possibly gzipped) file, chunk by chunk, every gzip member included, counted
    against the log-size and compression-ratio limits as they come."""

    def __init__(self, path: Path):
        self.path = path
        self.compressed = path.stat().st_size
        self.size = 0
        self.members = 0 if is_gzip(path) else 1
        self.tail = b""

    def chunks(self) -> Iterator[bytes]:
        source = self._gunzip() if is_gzip(self.path) else self._plain()
        for chunk in source:
            self.size += len(chunk)
            self.tail = (self.tail + chunk[-512:])[-512:]
            self._check()
            yield chunk

    def _check(self) -> None:
        current = limits.current()
        if self.size > current.log_size:
            raise limits.refuse(self.path, "it expands past", "log_size")
        if self.size > limits.RATIO_FLOOR and self.size > current.compression_ratio * self.consumed:
            raise limits.refuse(
                self.path,
                f"a decompression bomb? {limits.human_size(self.consumed)} expand to over "
                f"{limits.human_size(self.size)}, past",
                "compression_ratio",
            )

    def _plain(self) -> Iterator[bytes]:
        self.consumed = self.compressed  # no compression: the ratio check never fires
        with _opened(self.path) as fh:
            while chunk := fh.read(CHUNK):
                yield chunk

    def _gunzip(self) -> Iterator[bytes]:
        self.consumed = 0
        with _opened(self.path) as fh:
            inflater = None
            while data := fh.read(1 << 20):
                self.consumed += len(data)
                while data:
                    if inflater is None:
                        inflater = inflating.decompressobj(16 + zlib.MAX_WBITS)
                        self.members += 1
                    yield from _inflate(inflater, data, self.path)
                    data = inflater.unused_data if inflater.eof else b""
                    if inflater.eof:
                        inflater = None
            if inflater is not None or self.members == 0:
                raise InputError(self.path, "cannot read it: the gzip data is cut short (truncated file)")


def _inflate(inflater: Any, data: bytes, path: Path) -> Iterator[bytes]:
    try:
        out = inflater.decompress(data, CHUNK)
        while True:
            if out:
                yield out
            if not inflater.unconsumed_tail:
                return
            out = inflater.decompress(inflater.unconsumed_tail, CHUNK)
    except INFLATE_ERRORS as exc:
        raise InputError(path, f"cannot read it: not valid gzip data ({exc})") from None


class _opened:
    """``open(path, 'rb')`` with OSError as a one-line InputError."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):  # type: ignore[no-untyped-def]
        try:
            self.fh = self.path.open("rb")
        except OSError as exc:
            raise InputError(self.path, f"cannot read it: {exc.strerror or exc}") from None
        return self.fh

    def __exit__(self, *exc: object) -> None:
        self.fh.close()
