"""io.xml_scan: the pass every XES file gets before a parser sees it. On well-formed documents (lxml
parses them) its depth is exact, whatever the chunks the bytes come in; a declaration outside comments
is always found; markup it cannot follow (a close tag hidden in an attribute value) is never regular.
The scan marks the bytes a piece at a time (``piece``): the tests use tiny pieces too, so that every
piece boundary falls inside tags, comments and declarations."""

from __future__ import annotations

import random
from io import BytesIO

import pytest
from lxml import etree

from procmine.io import xml_scan
from procmine.io.xml_scan import scan_xml

TEXTS = ["", "plain", "a > b", 'say "hi"', "it's", "x &amp; y", "\n  "]
VALUES = ['"1"', '"a>b"', "'it&apos;s'", "'say \"hi\" >'", "\"'>'\"", '""']
SPECIALS = ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>"), (b"<?", b"?>"))
EXTRAS = ["<!-- <a> <!DOCTYPE x> -->", "<![CDATA[<a><b> ]]>", "<?pi <a> ?>", "<!---->"]


def _element(rng: random.Random, depth: int) -> tuple[str, int]:
    """A random well-formed element nested up to ``depth`` levels, and its depth as the scan counts it:
    an element written as one empty-element tag (``<e/>``) opens no level."""
    name = rng.choice(["a", "event", "string", "list"])
    attributes = "".join(f" k{i}={rng.choice(VALUES)}" for i in range(rng.randrange(3)))
    if depth <= 1 or rng.random() < 0.3:
        return f"<{name}{attributes}{rng.choice(['/', ' /'])}>", 0
    inside, deepest = [], 0
    for _ in range(rng.randrange(1, 4)):
        roll = rng.random()
        if roll < 0.6:
            text, levels = _element(rng, depth - 1)
            inside.append(text)
            deepest = max(deepest, levels)
        elif roll < 0.8:
            inside.append(rng.choice(TEXTS).replace("it's", "it&apos;s"))
        else:
            inside.append(rng.choice(EXTRAS))
    return f"<{name}{attributes}>{''.join(inside)}</{name} >", 1 + deepest


def _document(rng: random.Random) -> tuple[bytes, int]:
    prolog = rng.choice(['<?xml version="1.0" encoding="UTF-8"?>\n', "", "<!-- head -->\n"])
    text, levels = _element(rng, rng.randrange(1, 9))
    return f"{prolog}<log>{text}</log>\n".encode(), 1 + levels


def _chunks(data: bytes, rng: random.Random) -> list[bytes]:
    sizes = [1, 2, 3, 7, 64, 1 << 20]
    out, start = [], 0
    while start < len(data):
        size = rng.choice(sizes)
        out.append(data[start : start + size])
        start += size
    return out


def _lxml_depth(data: bytes) -> int:
    depth = deepest = 0
    for action, _ in etree.iterparse(BytesIO(data), events=("start", "end"), resolve_entities=False):
        depth += 1 if action == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def test_depth_is_exact_on_well_formed_documents_however_chunked() -> None:
    rng = random.Random(1849)
    for _ in range(300):
        data, expected = _document(rng)
        assert expected <= _lxml_depth(data) <= expected + 1  # well-formed; lxml counts <e/> too
        for chunks, piece in (([data], 1), ([bytes([b]) for b in data], 1 << 20), (_chunks(data, rng), 5)):
            facts = scan_xml(chunks, piece=piece)
            assert (facts.max_depth, facts.regular, facts.declaration, facts.end_depth) == (
                expected,
                True,
                False,
                0,
            ), data


@pytest.mark.parametrize("declaration", ["<!DOCTYPE log>", '<!ENTITY x "y">', "<!ELEMENT log ANY>"])
def test_a_declaration_outside_comments_is_found_wherever_the_chunks_fall(declaration: str) -> None:
    rng = random.Random(2016)
    for _ in range(60):
        data, _ = _document(rng)
        tags = [i for i in range(len(data)) if data[i : i + 1] == b"<"]
        at = rng.choice(tags[1:])  # before any tag but the first (an XML declaration comes first)
        if any(data.rfind(start, 0, at) > data.rfind(end, 0, at) for start, end in SPECIALS):
            continue  # inside a comment, CDATA section or PI: not a declaration
        hostile = data[:at] + declaration.encode() + data[at:]
        for chunks, piece in (
            ([hostile], 1),
            ([bytes([b]) for b in hostile], 1 << 20),
            (_chunks(hostile, rng), 3),
        ):
            assert scan_xml(chunks, piece=piece).declaration, hostile


def test_markup_inside_comments_cdata_and_pis_does_not_count() -> None:
    data = b"<log><!-- <a><a><!DOCTYPE x> --><![CDATA[<a><a>]]><?pi <a><a> ?><e/></log>"
    for size in (1, 3, len(data)):
        facts = scan_xml([data[i : i + size] for i in range(0, len(data), size)], piece=size)
        assert (facts.max_depth, facts.declaration, facts.regular, facts.end_depth) == (1, False, True, 0)


@pytest.mark.parametrize(
    "hidden",
    [
        '<a q="x></a>">',  # the '>' after x is inside the value: the parser sees one start tag
        "<a q='x></a>'>",
        '<a q="x>',  # a value never closed
    ],
)
def test_a_close_tag_hidden_in_an_attribute_value_is_never_counted_regular(hidden: str) -> None:
    data = ("<log>" + hidden * 50 + "</log>").encode()
    for size in (1, 5, len(data)):
        assert not scan_xml([data[i : i + size] for i in range(0, len(data), size)], piece=size).regular


def test_an_unclosed_comment_at_the_end_is_irregular_and_a_long_one_oversized() -> None:
    assert not scan_xml([b"<log><a/><!-- never closed"]).regular
    assert scan_xml([b"<log><a/><!--", b"x" * (65 << 20)]).oversized


def test_a_long_comment_is_marked_a_few_times_however_small_the_pieces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A comment still open at a piece's end is carried into the next piece, which is then at least as
    long as the carry: the bytes marked stay a small multiple of the document, not its square."""
    marked = []
    marks = xml_scan._Marks

    def counting(buf: bytes) -> xml_scan._Marks:
        marked.append(len(buf))
        return marks(buf)

    monkeypatch.setattr(xml_scan, "_Marks", counting)
    data = b"<log><a/><!--" + b"x" * (4 << 20) + b"--><a/></log>"
    facts = scan_xml([data[i : i + 4096] for i in range(0, len(data), 4096)], piece=4096)
    assert (facts.max_depth, facts.regular, facts.end_depth) == (1, True, 0)
    assert sum(marked) < 4 * len(data)
