"""Parse untrusted XML files safely: no DTD loading, no entity expansion, no network, a size limit.

BPMN (and XES, PNML) files come from customers and modelling tools; they are hostile until proven
otherwise. libxml2 via lxml is fast and keeps source line numbers (which lint needs), so we harden its
parser instead of using the stdlib one, and refuse a DOCTYPE that declares entities (XXE, billion laughs)
before and after parsing, with a one-line cause.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from lxml import etree

from procmine.errors import InputError
from procmine.io import limits
from procmine.io.input_files import regular_file

# libxml2 reports an invalid namespace URI (spaces in IBM Process Designer's ``xmlns:Process``) as a
# recoverable error; such files are otherwise well-formed, so we accept them after a lenient re-parse.
_RECOVERABLE_ERRORS = frozenset({"WAR_NS_URI", "WAR_NS_URI_RELATIVE"})
_MARKUP_ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")  # UTF-8 covers ASCII-compatible encodings


def _pattern(text: str) -> re.Pattern[bytes]:
    return re.compile(b"|".join(re.escape(text.encode(e)) for e in _MARKUP_ENCODINGS))


_ENTITY_DECLARATION = _pattern("<!ENTITY")
_DOCTYPE = _pattern("<!DOCTYPE")


def _parser(*, recover: bool = False) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        recover=recover,
    )


def read_limited(path: str | Path, *, max_bytes: int | None = None) -> bytes:
    """The file's bytes, refusing what is not a regular file and files over the file-size limit
    (``max_bytes`` when given)."""
    path = regular_file(path, missing="file not found")
    limit = limits.current().file_size if max_bytes is None else max_bytes
    try:
        size = os.path.getsize(path)
        if size > limit:
            raise InputError(
                path,
                f"file is {size:,} bytes, over the file-size limit of {limit:,} bytes for XML input "
                "(raise it with --limit file-size=SIZE)",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read file: {exc.strerror or exc}") from None
    if not data.strip():
        raise InputError(path, "file is empty")
    return data


def _refuse_entities(path: str | Path, data: bytes) -> None:
    """Refuse a DOCTYPE that declares entities, before libxml2 sees it (the cheap, certain check)."""
    head = data[:131072]
    if _DOCTYPE.search(head) and _ENTITY_DECLARATION.search(data):
        raise InputError(
            path, "XML declares entities in a DOCTYPE (possible XXE or entity-expansion attack); refused"
        )


def _refuse_doctype_after_parse(path: str | Path, tree: etree._ElementTree) -> None:
    """The byte scan misses UTF-16 files; the parsed document tells the truth about its DTD."""
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise InputError(
            path, "XML declares entities in a DOCTYPE (possible XXE or entity-expansion attack); refused"
        )
    if tree.docinfo.system_url:
        raise InputError(path, f"XML refers to an external DTD ({tree.docinfo.system_url}); refused")


def _syntax_cause(errors: list) -> str:
    first = errors[0] if errors else None
    if first is None:
        return "not well-formed XML"
    if "Excessive depth" in first.message:  # libxml2's own limit (huge_tree is off)
        return f"elements nested deeper than 256 levels (line {first.line}); refused"
    return f"not well-formed XML: {first.message.strip()} (line {first.line}, column {first.column})"


def parse_xml(path: str | Path, *, max_bytes: int | None = None) -> etree._Element:
    """The root element of the XML file at ``path``; raises InputError with a one-line cause."""
    data = read_limited(path, max_bytes=max_bytes)
    _refuse_entities(path, data)
    parser = _parser()
    try:
        root = etree.fromstring(data, parser, base_url=None)
    except etree.XMLSyntaxError:
        errors = list(parser.error_log)
        if not errors or any(e.type_name not in _RECOVERABLE_ERRORS for e in errors):
            raise InputError(
                path, _syntax_cause([e for e in errors if e.type_name not in _RECOVERABLE_ERRORS])
            ) from None
        lenient = _parser(recover=True)
        try:
            root = etree.fromstring(data, lenient)
        except etree.XMLSyntaxError:
            root = None
        if root is None or any(e.type_name not in _RECOVERABLE_ERRORS for e in lenient.error_log):
            raise InputError(path, _syntax_cause(list(lenient.error_log))) from None
    except ValueError as exc:  # e.g. an unknown encoding declaration
        raise InputError(path, f"not readable as XML: {exc}") from None
    if root is None:
        raise InputError(path, "not well-formed XML: no root element")
    _refuse_doctype_after_parse(path, root.getroottree())
    return root
