"""Names and values written into SQL text: one definition for every reader and engine query."""

from __future__ import annotations


def identifier(name: str) -> str:
    """A column or table name as a quoted SQL identifier: wrapped in double quotes, inner ones doubled."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """Text to put between single quotes in SQL: inner single quotes doubled."""
    return text.replace("'", "''")


def string(text: str) -> str:
    """Text as a SQL string literal: between single quotes, inner ones doubled."""
    return "'" + literal(text) + "'"
