"""One fast pass over an XML document, before any parser sees it: nesting depth and declarations.

rustxes (native code) crashes the whole process on deeply nested elements (about 10,000 levels of
``<list>``), and a ``<!DOCTYPE`` hidden behind a long comment or in UTF-16 escapes a look at the first
bytes. This scan reads the whole document in chunks (numpy over the bytes; about 0.1 s per 100 MB) and
reports the deepest nesting, whether a DOCTYPE or other declaration appears anywhere outside comments,
and whether the markup is regular enough for the depth to be exact. Comments, CDATA sections and
processing instructions are blanked first, so markup inside them does not count.

The depth is exact for well-formed XML. Markup this scan cannot follow (a ``<`` inside a tag) makes it
``regular=False``: the document then goes to lxml, whose own limits (depth 256, no entities) hold.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from procmine.io.limits import MIB

MAX_CARRY = 64 * MIB  # a comment or tag longer than this is not a log: the scan stops there
_SPECIAL = re.compile(rb"<[!?]")
_ENDS = ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>"), (b"<?", b"?>"))
# A start tag by the XML grammar (attribute values hold no '<'); group 1 is '/' when self-closing.
_START_TAG = re.compile(rb"<[^\s/>]+(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'))*\s*(/?)>")
LT, GT, SLASH, DQUOTE, SQUOTE = (ord(c) for c in "<>/\"'")


@dataclass
class XmlFacts:
    max_depth: int = 0
    declaration: bool = False  # a <!DOCTYPE (or <!ENTITY, <!ELEMENT...) outside comments
    regular: bool = True  # every tag could be followed (else: the depth is a lower bound)
    utf16: bool = False
    oversized: bool = False  # a comment or tag over MAX_CARRY: the rest was not scanned
    end_depth: int = 0  # the depth after the last tag (0 for a complete document scanned to its end)


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


def scan_xml(chunks: Iterable[bytes], stop_depth: int | None = None) -> XmlFacts:
    """Scan the document given as consecutive byte chunks (any sizes). Stops early past ``stop_depth``."""
    facts = XmlFacts()
    carry = b""
    depth = 0
    for chunk in chunks:
        buf = carry + chunk
        cut = _scannable_end(buf)
        depth = _scan_part(buf[:cut], depth, facts)
        carry = buf[cut:]
        if len(carry) > MAX_CARRY:
            facts.oversized = True
            return facts
        if facts.declaration or (stop_depth is not None and facts.max_depth > stop_depth):
            return facts
    facts.end_depth = _scan_part(carry, depth, facts)
    return facts


def _specials(buf: bytes) -> tuple[list[tuple[int, int]], int | None, bool]:
    """Comments, CDATA sections and PIs in ``buf`` as (start, end) ranges, in order; where one starts
    that is not closed in ``buf`` (None if all are); whether a declaration (``<!DOCTYPE``...) appears."""
    ranges: list[tuple[int, int]] = []
    declaration = False
    position = 0
    while (match := _SPECIAL.search(buf, position)) is not None:
        start = match.start()
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


def _scannable_end(buf: bytes) -> int:
    """Where the complete markup in ``buf`` ends: before the last tag (it may go on in the next chunk),
    or before a comment, CDATA section or processing instruction that is not closed yet."""
    last = buf.rfind(b"<")
    if last < 0:
        return len(buf)
    ranges, unclosed, _ = _specials(buf)
    if unclosed is not None:
        return unclosed
    if ranges and ranges[-1][0] <= last < ranges[-1][1]:  # the last '<' is inside a closed comment
        return len(buf)
    return last


def _scan_part(part: bytes, depth: int, facts: XmlFacts) -> int:
    """Follow the tags of ``part`` (complete markup only) from ``depth``; returns the depth at its end."""
    if not part:
        return depth
    data = np.frombuffer(part, dtype=np.uint8)
    opens = _tag_openings(part, data, facts)
    if not len(opens):
        return depth
    closes = np.flatnonzero(data == GT)
    ends_at = np.searchsorted(closes, opens)
    if ends_at[-1] >= len(closes):  # the last tag never ends
        facts.regular = False
        return depth
    ends = closes[ends_at]
    if len(opens) > 1 and np.any(ends[:-1] > opens[1:]):  # a '<' inside a tag
        facts.regular = False
        return depth
    after = data[np.minimum(opens + 1, len(data) - 1)]
    steps = np.where(after == SLASH, -1, 1).astype(np.int64)
    steps[(data[ends - 1] == SLASH) & (after != SLASH)] = 0  # <x .../>: opens and closes at once
    _settle_uncertain(part, data, opens, ends, steps, after, facts)
    levels = depth + np.cumsum(steps)
    facts.max_depth = max(facts.max_depth, int(levels.max()))
    return int(levels[-1])


def _tag_openings(part: bytes, data: np.ndarray, facts: XmlFacts) -> np.ndarray:
    """Positions of the '<' that open tags: not those of comments, CDATA sections and PIs, nor any
    inside them (markup there does not count)."""
    opens = np.flatnonzero(data == LT)
    if b"<!" not in part and b"<?" not in part:
        return opens
    ranges, unclosed, declaration = _specials(part)
    facts.declaration = facts.declaration or declaration
    if unclosed is not None:  # only at the very end of the document: a comment never closed
        ranges.append((unclosed, len(part)))
        facts.regular = False
    if not ranges:
        return opens
    starts = np.array([r[0] for r in ranges])
    stops = np.array([r[1] for r in ranges])
    inside = np.searchsorted(starts, opens, side="right") - 1
    covered = (inside >= 0) & (opens < stops[np.maximum(inside, 0)])
    return opens[~covered]


def _settle_uncertain(
    part: bytes,
    data: np.ndarray,
    opens: np.ndarray,
    ends: np.ndarray,
    steps: np.ndarray,
    after: np.ndarray,
    facts: XmlFacts,
) -> None:
    """A start tag with an apostrophe or an odd number of double quotes before its first '>' may have
    that '>' inside an attribute value: such tags are matched exactly by the XML grammar."""
    double = np.flatnonzero(data == DQUOTE)
    single = np.flatnonzero(data == SQUOTE)
    odd = (np.searchsorted(double, ends) - np.searchsorted(double, opens)) % 2 == 1
    apostrophe = np.searchsorted(single, ends) > np.searchsorted(single, opens)
    for index in np.flatnonzero((odd | apostrophe) & (after != SLASH)):
        match = _START_TAG.match(part, int(opens[index]))
        if match is None:
            facts.regular = False
            continue
        steps[index] = 0 if match.group(1) else 1
