"""Labels from logs and models are data, never control: text made safe for terminals and for XML.

An activity named ``"Pay\\x1b]8;;http://evil\\x07"`` would open a hyperlink in the user's terminal, a
backspace or carriage return would overwrite what was printed before it, and a right-to-left override
would show a label reversed. XML 1.0 forbids most control characters, so one in a label makes an SVG or a
JUnit file unreadable. Such characters are shown as visible escapes (``\\x1b``, ``\\u202e``) instead.
"""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls (0x9b is a one-byte CSI), and the bidirectional overrides and isolates
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` for a terminal: control characters other than newline and tab as visible escapes."""
    return _TERMINAL_UNSAFE.sub(_escaped, text)


def printable_line(text: str) -> str:
    """``text`` as one terminal line: newlines and tabs escaped too."""
    return printable(text).replace("\n", "\\n").replace("\t", "\\t")


def xml_text(text: str) -> str:
    """``text`` with the characters XML 1.0 forbids as visible escapes (tab, newline, CR are kept)."""
    return _XML_UNSAFE.sub(_escaped, text)
