"""One fast pass over an XML document, before any parser sees it: nesting depth and declarations.

rustxes (native code) crashes the whole process on deeply nested elements (about 10,000 levels of
``<list>``), and a ``<!DOCTYPE`` hidden behind a long comment or in UTF-16 escapes a look at the first
bytes. This scan reads the whole document in chunks and reports the deepest nesting, whether a DOCTYPE
or other declaration appears anywhere outside comments, and whether the markup is regular enough for the
depth to be exact. Comments, CDATA sections and processing instructions are set aside first, so markup
inside them does not count. numpy finds the few characters that make markup (``< > " '``, about one
byte in seven of an XES file) in one pass over the bytes; the tags are followed on those positions
alone (about 0.1 s per 40 MB on one core).

The depth is exact for well-formed XML (an empty-element tag ``<e/>`` opens no level). Markup this scan
cannot follow (a ``<`` inside a tag, a '>' that may be inside an attribute value and does not fit the
XML grammar) makes it ``regular=False``: the document then goes to lxml, whose own limits (depth 256, no
entities) hold.

The same pass notes where the document can be cut into pieces of whole traces (``trace_cuts``, which
``xes_pieces`` parses one by one): the tags are followed anyway, so the start tags of the root's children
named ``trace`` are known at their depth, outside comments and CDATA sections, at no extra pass.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from procmine.io.limits import MIB

MAX_CARRY = 64 * MIB  # a comment or tag longer than this is not a log: the scan stops there
PIECE = 256 << 10  # bytes marked at a time (scan_xml)
CUT_EVERY = 1 << 20  # bytes of traces between two of a document's trace_cuts (at least)
_ENDS = ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>"), (b"<?", b"?>"))
# A start tag by the XML grammar (attribute values hold no '<'); group 1 is '/' when self-closing.
_START_TAG = re.compile(rb"<[^\s/>]+(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'))*\s*(/?)>")
_NAME = re.compile(rb"[^\s/>]+")
LT, GT, SLASH, DQUOTE, SQUOTE, BANG, QUESTION = (ord(c) for c in "<>/\"'!?")


@dataclass
class XmlFacts:
    max_depth: int = 0
    declaration: bool = False  # a <!DOCTYPE (or <!ENTITY, <!ELEMENT...) outside comments
    regular: bool = True  # every tag could be followed (else: the depth is a lower bound)
    utf16: bool = False
    oversized: bool = False  # a comment or tag over MAX_CARRY: the rest was not scanned
    end_depth: int = 0  # the depth after the last tag (0 for a complete document scanned to its end)
    # Where whole traces start: the first trace among the root's children, then the first at least
    # CUT_EVERY bytes after the previous cut. Emptied when anything but a trace follows the first trace
    # among the root's children, a second root starts, or the scan could not follow every tag.
    trace_cuts: list[int] = field(default_factory=list)
    roots: int = 0  # elements at the top level
    cuttable: bool = True


def utf16_of(head: bytes) -> str | None:
    """The UTF-16 codec a document is written in, from its first bytes; None for UTF-8 and kin."""
    if head.startswith((b"\xff\xfe", b"<\x00?\x00", b"<\x00")):
        return "utf-16-le" if not head.startswith(b"\xff\xfe") else "utf-16"
    if head.startswith((b"\xfe\xff", b"\x00<\x00?", b"\x00<")):
        return "utf-16-be" if not head.startswith(b"\xfe\xff") else "utf-16"
    return None


def as_utf8(chunks: Iterable[bytes], codec: str) -> Iterator[bytes]:
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    for chunk in chunks:
        yield decoder.decode(chunk).encode("utf-8")
    yield decoder.decode(b"", final=True).encode("utf-8")


def scan_xml(chunks: Iterable[bytes], stop_depth: int | None = None, piece: int = PIECE) -> XmlFacts:
    """Scan the document given as consecutive chunks of bytes (any sizes; bytes, bytearray or memoryview).
    Stops early past ``stop_depth``. The bytes are marked ``piece`` bytes at a time, whatever the chunks:
    numpy's temporaries then stay in the processor's cache and in memory the allocator reuses (marking 16
    MiB at a time took twice as long, every temporary a fresh mapping to fault in). A comment or tag still
    open at a piece's end is carried into the next piece, which is then at least as long as the carry:
    however long the comment (up to ``MAX_CARRY``), no byte is marked more than a few times."""
    facts = XmlFacts()
    source = _Pieces(chunks)
    carry = b""
    depth = taken = 0
    while part := source.take(max(piece, len(carry))):
        buf = carry + part
        taken += len(part)
        marks = _Marks(buf)
        cut = marks.scannable_end()
        depth = _scan_part(marks, cut, depth, facts, taken - len(buf))
        carry = buf[cut:]
        if len(carry) > MAX_CARRY:
            facts.oversized = True
            return _without_cuts(facts)
        if facts.declaration or (stop_depth is not None and facts.max_depth > stop_depth):
            return _without_cuts(facts)
    facts.end_depth = _scan_part(_Marks(carry), len(carry), depth, facts, taken - len(carry))
    if not facts.regular or facts.roots != 1 or facts.end_depth != 0:
        _without_cuts(facts)
    return facts


def _without_cuts(facts: XmlFacts) -> XmlFacts:
    facts.cuttable = False
    facts.trace_cuts = []
    return facts


class _Pieces:
    """Consecutive chunks of bytes handed out again in pieces of the sizes asked for."""

    def __init__(self, chunks: Iterable[bytes]):
        self.chunks = iter(chunks)
        self.rest = memoryview(b"")  # what is left of the current chunk

    def take(self, size: int) -> bytes:
        """The next ``size`` bytes (fewer at the end; empty once all were taken)."""
        parts, have = [], 0
        while have < size:
            if not len(self.rest):
                chunk = next(self.chunks, None)
                if chunk is None:
                    break
                self.rest = memoryview(chunk)
                continue
            part = self.rest[: size - have]
            self.rest = self.rest[len(part) :]
            parts.append(part)
            have += len(part)
        return b"".join(parts)


class _Marks:
    """Where the characters that make markup (``< > " \'``) are in ``buf`` and which each is, found by
    numpy in one pass; the tags are then followed on these few positions, not on every byte. Also the
    comments, CDATA sections and PIs (``specials``, as (start, end) ranges), found from the ``<!`` and
    ``<?`` among the '<': where one starts that is not closed in ``buf`` (``unclosed``), and whether a
    declaration (``<!DOCTYPE``...) appears."""

    def __init__(self, buf: bytes):
        self.buf = buf
        self.data = np.frombuffer(buf, dtype=np.uint8)
        hit = self.data == LT
        for char in (GT, DQUOTE, SQUOTE):
            hit |= self.data == char
        self.at = np.flatnonzero(hit)
        self.kind = self.data[self.at]
        self.lt = np.flatnonzero(self.kind == LT)  # mark indices of every '<'
        self.lt_at = self.at[self.lt]  # and their positions
        after = self.data[np.minimum(self.lt_at + 1, max(len(buf) - 1, 0))]
        starts = self.lt_at[(after == BANG) | (after == QUESTION)].tolist()
        self.specials, self.unclosed, self.declaration = _specials(buf, starts)

    def scannable_end(self) -> int:
        """Where the complete markup ends: before the last tag (it may go on in the next chunk), or
        before a comment, CDATA section or processing instruction that is not closed yet."""
        if not len(self.lt):
            return len(self.buf)
        if self.unclosed is not None:
            return self.unclosed
        last = int(self.lt_at[-1])
        if self.specials and self.specials[-1][0] <= last < self.specials[-1][1]:  # inside a comment
            return len(self.buf)
        return last


def _specials(buf: bytes, starts: list[int]) -> tuple[list[tuple[int, int]], int | None, bool]:
    """Comments, CDATA sections and PIs in ``buf`` as (start, end) ranges, in order, from the positions
    of its ``<!`` and ``<?`` (``starts``); where one starts that is not closed in ``buf`` (None if all
    are); whether a declaration (``<!DOCTYPE``...) appears."""
    ranges: list[tuple[int, int]] = []
    declaration = False
    position = 0
    for start in starts:
        if start < position:  # inside the previous one
            continue
        end = _special_end(buf, start)
        if end < 0:
            return ranges, start, declaration
        if end == start + 2:  # <!DOCTYPE, <!ENTITY, <!ELEMENT...: never allowed in a log
            declaration = True
        ranges.append((start, end))
        position = end
    return ranges, None, declaration


def _special_end(buf: bytes, start: int) -> int:
    """The end of the comment / CDATA / PI at ``start`` (-1 when not closed in ``buf``); a declaration
    (``<!DOCTYPE``...) ends at ``start`` + 2."""
    for opening, closing in _ENDS:
        if len(buf) - start < len(opening) and opening.startswith(buf[start:]):
            return -1  # cut short: which kind it is shows in the next chunk
        if buf.startswith(opening, start):
            end = buf.find(closing, start + len(opening))
            return end + len(closing) if end >= 0 else -1
    return start + 2


def _scan_part(marks: _Marks, cut: int, depth: int, facts: XmlFacts, offset: int = 0) -> int:
    """Follow the tags of ``marks.buf`` up to ``cut`` (complete markup only, but for the document's
    very end) from ``depth``; returns the depth at ``cut``. ``offset``: where ``marks.buf`` starts in
    the document."""
    tags = _tags(marks, cut, facts)
    if tags is None:
        return depth
    levels = depth + np.cumsum(tags[2])
    facts.max_depth = max(facts.max_depth, int(levels.max()))
    if facts.cuttable:
        _note_cuts(marks, tags, levels - tags[2], offset, facts)
    return int(levels[-1])


_TRACE_NAME = b"trace"
_NAME_ENDS = np.frombuffer(b" \t\r\n/>", dtype=np.uint8)


def _note_cuts(marks: _Marks, tags: Tags, before: np.ndarray, offset: int, facts: XmlFacts) -> None:
    """Note the trace cuts among ``tags`` (``before``: the depth before each tag): see ``XmlFacts``."""
    open_at, _, steps = tags
    starting = steps >= 0
    facts.roots += int(np.count_nonzero(starting & (before == 0)))
    children = open_at[starting & (before == 1)]
    if not len(children):
        return
    last = len(marks.data) - 1
    trace = np.isin(marks.data[np.minimum(children + 1 + len(_TRACE_NAME), last)], _NAME_ENDS)
    for k, char in enumerate(_TRACE_NAME):
        trace &= marks.data[np.minimum(children + 1 + k, last)] == char
    if not facts.trace_cuts:  # the header's children (extensions, globals...) come before the first trace
        if not trace.any():
            return
        first = int(np.argmax(trace))
        facts.trace_cuts.append(offset + int(children[first]))
        children, trace = children[first:], trace[first:]
    if not trace.all():
        _without_cuts(facts)
        return
    starts = offset + children
    while (at := int(np.searchsorted(starts, facts.trace_cuts[-1] + CUT_EVERY))) < len(starts):
        facts.trace_cuts.append(int(starts[at]))


Tags = tuple[np.ndarray, np.ndarray, np.ndarray]  # where each tag starts and ends, and the level it steps


def _tags(marks: _Marks, cut: int, facts: XmlFacts) -> Tags | None:
    """The tags of ``marks.buf`` up to ``cut``: where each starts ('<') and ends ('>'), and the level it
    steps (+1 a start tag, -1 an end tag, 0 an empty-element tag); None when there is none, or when one
    cannot be followed (``facts.regular`` is then False)."""
    count = int(np.searchsorted(marks.at, cut))
    kind = marks.kind[:count]
    opens = _tag_openings(marks, cut, facts)  # (mark indices, like ends below)
    if not len(opens):
        return None
    closes = np.flatnonzero(kind == GT)
    ends_at = np.searchsorted(closes, opens)
    if ends_at[-1] >= len(closes):  # the last tag never ends
        facts.regular = False
        return None
    ends = closes[ends_at]
    if len(opens) > 1 and np.any(ends[:-1] > opens[1:]):  # a '<' inside a tag
        facts.regular = False
        return None
    open_at, end_at = marks.at[opens], marks.at[ends]
    after = marks.data[np.minimum(open_at + 1, cut - 1)]
    steps = np.where(after == SLASH, -1, 1).astype(np.int64)
    steps[(marks.data[end_at - 1] == SLASH) & (after != SLASH)] = 0  # <x .../>: opens and closes at once
    uncertain = _uncertain(kind, opens, ends) & (after != SLASH)
    for index in np.flatnonzero(uncertain):
        match = _START_TAG.match(marks.buf, int(open_at[index]), cut)
        if match is None:
            facts.regular = False
            continue
        steps[index] = 0 if match.group(1) else 1
    return open_at, end_at, steps


def root_children(head: bytes) -> tuple[int, list[tuple[bytes, int, int]]] | None:
    """Where the root element's start tag ends in ``head`` (the beginning of a document: the root's
    start tag and whole children), and each child of the root as (name, start, end), comments and PIs
    left out; None when ``head`` holds a declaration, markup this scan cannot follow, or does not end
    inside the root."""
    facts = XmlFacts()
    marks = _Marks(head)
    tags = _tags(marks, len(head), facts)
    if tags is None or not facts.regular or facts.declaration or marks.unclosed is not None:
        return None
    open_at, end_at, steps = tags
    levels = np.cumsum(steps)
    if levels[0] != 1 or levels[-1] != 1 or np.any(levels[1:] < 1):
        return None
    child_ends = np.flatnonzero((levels == 1) & (steps <= 0))  # an empty child, or a child's end tag
    children = []
    for index in np.flatnonzero((levels - steps == 1) & (steps >= 0)):  # a child's start or empty tag
        last = child_ends[np.searchsorted(child_ends, index)]
        name = _NAME.match(head, int(open_at[index]) + 1)
        children.append((name.group() if name else b"", int(open_at[index]), int(end_at[last]) + 1))
    return int(end_at[0]) + 1, children


def _tag_openings(marks: _Marks, cut: int, facts: XmlFacts) -> np.ndarray:
    """The mark indices of the '<' before ``cut`` that open tags: not those of comments, CDATA sections
    and PIs, nor any inside them (markup there does not count)."""
    opens = marks.lt[: int(np.searchsorted(marks.lt_at, cut))]
    ranges = marks.specials
    facts.declaration = facts.declaration or marks.declaration
    if marks.unclosed is not None and marks.unclosed < cut:  # only at the document's very end
        ranges = [*ranges, (marks.unclosed, cut)]  # a comment never closed
        facts.regular = False
    if not ranges:
        return opens
    starts = np.array([r[0] for r in ranges])
    stops = np.array([r[1] for r in ranges])
    at = marks.at[opens]
    inside = np.searchsorted(starts, at, side="right") - 1
    covered = (inside >= 0) & (at < stops[np.maximum(inside, 0)])
    return opens[~covered]


def _uncertain(kind: np.ndarray, opens: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The tags with an apostrophe or an odd number of double quotes before their first '>': that '>'
    may be inside an attribute value, so they are matched exactly by the XML grammar."""
    doubles = np.zeros(len(kind) + 1, dtype=np.int64)
    np.cumsum(kind == DQUOTE, out=doubles[1:])  # doubles[i]: double quotes among the first i marks
    uncertain = (doubles[ends] - doubles[opens]) % 2 == 1
    if np.any(kind == SQUOTE):
        singles = np.zeros(len(kind) + 1, dtype=np.int64)
        np.cumsum(kind == SQUOTE, out=singles[1:])
        uncertain |= singles[ends] > singles[opens]
    return uncertain
