"""Matching the model's task names to the log's activity names.

Real models say "Check credit", logs say ``CHECK_CREDIT`` or "check credit ". Names are matched in this
order: the mapping file (``--map``, model name -> log name), exact, then normalised (case, whitespace, line
breaks, punctuation, underscores folded). Names left unmatched on either side get fuzzy suggestions
(rapidfuzz) from the other side, so the user can write the mapping file instead of guessing.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from procmine.errors import InputError

SUGGESTION_CUTOFF = 70.0  # rapidfuzz score (0-100) below which a name is not suggested
SUGGESTIONS = 3

_PUNCTUATION = re.compile(r"[\W_]+", re.UNICODE)


def normalise(name: str) -> str:
    """Fold what differs between a modeller's label and a system's event name: case, accents' width forms,
    whitespace and line breaks, punctuation and underscores. ``"Check\\ncredit."`` -> ``"check credit"``."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(_PUNCTUATION.sub(" ", text).split())


@dataclass(frozen=True)
class Suggestion:
    name: str
    score: float  # 0..100

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "score": round(self.score, 1)}


@dataclass
class Matching:
    """model task name -> log activity, how each pair was found, and what is left on both sides."""

    pairs: dict[str, str] = field(default_factory=dict)
    how: dict[str, str] = field(default_factory=dict)  # model name -> "mapped" | "exact" | "normalised"
    unmatched_model: list[str] = field(default_factory=list)
    unmatched_log: list[str] = field(default_factory=list)
    suggestions: dict[str, list[Suggestion]] = field(default_factory=dict)  # unmatched name -> candidates
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # model name -> log names equal when folded

    def log_name(self, model_name: str) -> str | None:
        return self.pairs.get(model_name)

    def documented(self, activity: str) -> bool:
        return activity in set(self.pairs.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "matched": [
                {"task": m, "activity": a, "how": self.how[m]} for m, a in sorted(self.pairs.items())
            ],
            "unmatched_tasks": [
                {"task": m, "suggestions": [s.to_dict() for s in self.suggestions.get(m, [])]}
                for m in self.unmatched_model
            ],
            "unmatched_activities": [
                {"activity": a, "suggestions": [s.to_dict() for s in self.suggestions.get(a, [])]}
                for a in self.unmatched_log
            ],
            "ambiguous": [{"task": m, "activities": names} for m, names in sorted(self.ambiguous.items())],
        }


def match_names(
    model_names: Iterable[str],
    log_names: Iterable[str],
    mapping: Mapping[str, str] | None = None,
    mapping_source: str | None = None,
) -> Matching:
    """Pair each model task name with at most one log activity (several tasks may share one activity)."""
    models = sorted(set(model_names))
    logs = sorted(set(log_names))
    log_set = set(logs)
    result = Matching()
    for model_name, log_name in sorted((mapping or {}).items()):
        if model_name not in models:
            raise InputError(mapping_source, f"--map names model task {model_name!r}, which the model lacks")
        if log_name not in log_set:
            raise InputError(mapping_source, f"--map names log activity {log_name!r}, which the log lacks")
        result.pairs[model_name] = log_name
        result.how[model_name] = "mapped"
    by_folded: dict[str, list[str]] = {}
    for name in logs:
        by_folded.setdefault(normalise(name), []).append(name)
    for model_name in models:
        if model_name in result.pairs:
            continue
        if model_name in log_set:
            result.pairs[model_name], result.how[model_name] = model_name, "exact"
            continue
        candidates = by_folded.get(normalise(model_name), [])
        if len(candidates) == 1:
            result.pairs[model_name], result.how[model_name] = candidates[0], "normalised"
        elif len(candidates) > 1:
            result.ambiguous[model_name] = candidates
    used = set(result.pairs.values())
    result.unmatched_model = [m for m in models if m not in result.pairs]
    result.unmatched_log = [a for a in logs if a not in used]
    for name in result.unmatched_model:
        result.suggestions[name] = _suggest(name, result.unmatched_log)
    for name in result.unmatched_log:
        result.suggestions[name] = _suggest(name, result.unmatched_model)
    return result


def _suggest(name: str, candidates: list[str]) -> list[Suggestion]:
    if not candidates:
        return []
    from rapidfuzz import fuzz, process

    found = process.extract(
        name,
        candidates,
        scorer=fuzz.token_sort_ratio,
        processor=normalise,
        limit=SUGGESTIONS,
        score_cutoff=SUGGESTION_CUTOFF,
    )
    return sorted(
        (Suggestion(match, float(score)) for match, score, _ in found), key=lambda s: (-s.score, s.name)
    )


def parse_mapping(text: str, source: str) -> dict[str, str]:
    """A mapping file: CSV with two columns, model task name then log activity name; a header row
    (``model,log`` or similar) is recognised and skipped. A model name listed twice is an error."""
    rows = [r for r in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in r)]
    if rows and [c.strip().casefold() for c in rows[0][:2]] in (
        ["model", "log"],
        ["task", "activity"],
        ["model name", "log name"],
        ["model task", "log activity"],
    ):
        rows = rows[1:]
    mapping: dict[str, str] = {}
    for number, row in enumerate(rows, start=1):
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise InputError(source, f"row {number}: expected two columns, model task name and log activity")
        model_name, log_name = " ".join(row[0].split()), row[1].strip()
        if model_name in mapping and mapping[model_name] != log_name:
            raise InputError(source, f"row {number}: model task {model_name!r} is mapped twice")
        mapping[model_name] = log_name
    return mapping
