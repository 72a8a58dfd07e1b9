"""Stable pseudonyms for case ids and resource names, so customer and staff data stay out of shared reports.

The log is pseudonymised right after reading, before any analysis runs: every output (HTML, JSON, maps,
findings messages) is then built from pseudonyms only, and the same person or case has the same pseudonym
everywhere in one report.

A pseudonym is ``case-`` or ``res-`` followed by the first hex digits of HMAC-SHA256(key, kind + value).
With ``--pseudonymize-key KEY`` (or the environment variable PROCMINE_PSEUDONYMIZE_KEY) the pseudonyms are
the same in every report made with that key, so quarters can be compared person by person; keep the key
secret, because whoever has it can test guesses of real names. Without a key, each report gets its own
random key (the fixed salt of that one report) that is never written anywhere: pseudonyms are then stable
within the report but cannot be linked to other reports, nor reversed by trying likely ids.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from procmine.model.log import CASE, RESOURCE, ROW, TIMESTAMP

if TYPE_CHECKING:
    import pandas as pd

    from procmine.model.log import EventLog, EventStore

KEY_ENV = "PROCMINE_PSEUDONYMIZE_KEY"
PREFIX = {"case": "case", "resource": "res"}


@dataclass
class Pseudonymizer:
    key: bytes
    keyed: bool  # True when the key was given (pseudonyms comparable across reports)
    digits: int = 10
    _seen: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    def __call__(self, value: str, kind: str = "case") -> str:
        cached = self._seen.get((kind, value))
        if cached is None:
            digest = hmac.new(self.key, f"{kind}\0{value}".encode(), hashlib.sha256).hexdigest()
            cached = f"{PREFIX[kind]}-{digest[: self.digits]}"
            self._seen[(kind, value)] = cached
        return cached

    def mapping(self, values: list[object], kind: str) -> dict[object, str]:
        """Pseudonyms for distinct values; lengthened when two values would share one."""
        out = {v: self(str(v), kind) for v in values}
        if len(set(out.values())) < len(out) and self.digits < 64:
            self.digits = 64 if self.digits >= 16 else 16
            self._seen.clear()
            return self.mapping(values, kind)
        return out


def make_pseudonymizer(key: str | None = None) -> Pseudonymizer:
    """From the given key, else from PROCMINE_PSEUDONYMIZE_KEY, else a random key for this report only."""
    key = key if key is not None else os.environ.get(KEY_ENV)
    if key:
        return Pseudonymizer(key=key.encode("utf-8"), keyed=True)
    return Pseudonymizer(key=secrets.token_bytes(32), keyed=False)


def pseudonymize_log(log: EventLog, pseudonymizer: Pseudonymizer) -> EventLog:
    """A copy of the log whose case ids and resources are pseudonyms (re-sorted by the new case ids). A log
    held in the engine is pseudonymised there (the same pseudonyms, computed in SQL)."""
    how = "a given key" if pseudonymizer.keyed else "a random key used for this report only"
    quality = replace(
        log.quality, notes=[*log.quality.notes, f"case ids and resources pseudonymised ({how})"]
    )
    if not log.has_frame and log.store is not None:
        return log.replace(store=_pseudonymised_store(log.store, pseudonymizer), quality=quality)
    events = log.events.copy()
    events[CASE] = _replace(events[CASE], pseudonymizer, "case")
    if RESOURCE in events.columns:
        events[RESOURCE] = _replace(events[RESOURCE], pseudonymizer, "resource")
    events = events.sort_values([CASE, TIMESTAMP, ROW], kind="stable").reset_index(drop=True)
    return log.replace(events=events, quality=quality)


def _pseudonymised_store(store: EventStore, pseudonymizer: Pseudonymizer) -> EventStore:
    """The store's events with pseudonyms for case ids and resources, in the engine (SQL's HMAC)."""
    from procmine.engine import pseudonyms

    kinds = {CASE: "case", **({RESOURCE: "resource"} if RESOURCE in store.columns() else {})}
    replaced = {}
    for column, kind in kinds.items():
        pseudonymizer.digits = pseudonyms.digits_without_clashes(
            store, column, pseudonymizer.key, kind, PREFIX[kind], pseudonymizer.digits
        )
        replaced[column] = pseudonyms.pseudonym_sql(
            pseudonymizer.key, kind, PREFIX[kind], column, pseudonymizer.digits
        )
    return pseudonyms.pseudonymised(store, replaced)


def _replace(column: pd.Series, pseudonymizer: Pseudonymizer, kind: str) -> pd.Series:
    mapping = pseudonymizer.mapping(column.dropna().unique().tolist(), kind)
    return column.map(mapping)  # missing values stay missing
