"""Pseudonyms computed in the engine, so a log held in DuckDB or Spark is pseudonymised without becoming a
pandas frame: HMAC-SHA256 written in SQL as RFC 2104 builds it from SHA-256 over bytes,
``sha256((key ^ opad) || sha256((key ^ ipad) || message))``. The key's pads are constants of the query; the
digests are the same as Python's ``hmac`` (``procmine.analyses.pseudonymize``), which the tests check.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from procmine.model.log import EventStore

BLOCK = 64  # SHA-256's block size in bytes: keys are padded (or, when longer, hashed) to it
TABLE = "pseudonymised_events"


def hmac_sha256_sql(key: bytes, prefix: bytes, value_sql: str) -> str:
    """The hex HMAC-SHA256 under ``key`` of ``prefix`` followed by the UTF-8 bytes of ``value_sql``."""
    if len(key) > BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(BLOCK, b"\0")
    inner = bytes(b ^ 0x36 for b in key) + prefix
    outer = bytes(b ^ 0x5C for b in key)
    return (
        f"sha256(unhex('{outer.hex()}') || unhex(sha256(unhex('{inner.hex()}') "
        f"|| encode(CAST({value_sql} AS VARCHAR)))))"
    )


def pseudonym_sql(key: bytes, kind: str, label: str, column: str, digits: int) -> str:
    """``label-`` and the first ``digits`` hex digits of the HMAC of ``kind NUL value``; NULL stays NULL."""
    digest = hmac_sha256_sql(key, f"{kind}\0".encode(), column)
    return f"CASE WHEN {column} IS NULL THEN NULL ELSE '{label}-' || substr({digest}, 1, {digits}) END"


def digits_without_clashes(
    store: EventStore, column: str, key: bytes, kind: str, label: str, digits: int
) -> int:
    """The number of digits at which no two distinct values of ``column`` share a pseudonym: ``digits``,
    else 16, else 64 (the rule of ``Pseudonymizer.mapping``); counted over the distinct values."""
    while True:
        values, names = store.one(
            f"SELECT count(*), count(DISTINCT p) FROM (SELECT {pseudonym_sql(key, kind, label, 'v', digits)} "
            f"AS p FROM (SELECT DISTINCT {column} AS v FROM {store.table} WHERE {column} IS NOT NULL) d) n"
        )
        if int(values) == int(names) or digits >= 64:
            return digits
        digits = 64 if digits >= 16 else 16


def pseudonymised(store: EventStore, replaced: dict[str, str]) -> EventStore:
    """The events with the columns of ``replaced`` (column -> SQL expression) replaced, computed once."""
    columns = store.columns()
    select = ", ".join(f'{replaced[c]} AS "{c}"' if c in replaced else f'"{c}"' for c in columns)
    return store.derived(TABLE, f"SELECT {select} FROM {store.table}")
