"""The typed result every command produces: findings plus the named sections of analysis data.

Every machine format (json, sarif, junit, github, markdown, html) is rendered from ``Report.to_dict()``,
the one plain serialisation, whose shape is documented in ``schemas/report.schema.json``. Sections are
typed (``procmine.sections``); findings are built from the catalogue (``catalogued``), which gives their
code, category and default advice.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, TypeVar

from procmine import __version__, catalogue
from procmine.sections import LogSection, Section, section_type
from procmine.sections.base import plain
from procmine.sections.model import ModelBlock, model_from_dict

SCHEMA = "procmine.report/1"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for the most severe, for sorting."""
        return {"error": 0, "warning": 1, "info": 2}[self.value]


# What a reader calls each severity: the report lists info findings as notes.
_SEVERITY_NOUNS = {
    "error": ("error", "errors"),
    "warning": ("warning", "warnings"),
    "info": ("note", "notes"),
}


def severity_counts_text(counts: dict[str, int], separator: str = ", ") -> str:
    """Findings per severity as a sentence says them: "0 errors, 1 warning, 4 notes"."""
    parts = []
    for severity, (one, many) in _SEVERITY_NOUNS.items():
        n = counts.get(severity, 0)
        parts.append(f"{n:,} {one if n == 1 else many}")
    return separator.join(parts)


@dataclass(frozen=True)
class Location:
    """Where a finding points: a file (model or log, as given on the command line) and what in it.
    ``task`` is a documented task's name, ``activity`` a log activity's."""

    file: str | None = None
    line: int | None = None
    element_id: str | None = None
    activity: str | None = None
    source: str | None = None  # a handover (directly-follows pair): from this activity ...
    target: str | None = None  # ... to this one
    task: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


LOCATION_FIELDS = tuple(f.name for f in fields(Location))


@dataclass(frozen=True)
class Finding:
    """One thing a reader should know about, with the evidence behind it.

    ``code`` is short and stable (``C001``, ``P001``, ``L004``); ``kind`` is its readable name
    (``outdated_step``, ``bottleneck``; lint rules use bpmnlint-style names such as ``no-implicit-split``).
    ``category`` groups findings in reports: conformance, performance, customer, data, lint.
    ``impact`` orders findings of the same severity (larger first). It is a share between 0 and 1 for every
    kind, so that kinds compare: of the cases a conformance, SLA or satisfaction finding concerns, or of
    all case time for a bottleneck or a repeated step (what the waits or the repeats cost). ``advice`` says
    what to do about it.
    """

    code: str
    kind: str
    category: str
    severity: Severity
    message: str
    location: Location = field(default_factory=Location)
    metrics: dict[str, Any] = field(default_factory=dict)
    impact: float = 0.0
    advice: str | None = None

    def sort_key(self) -> tuple:
        loc = self.location
        return (
            self.severity.rank,
            -self.impact,
            self.code,
            loc.file or "",
            loc.line or 0,
            loc.element_id or "",
            loc.activity or "",
            loc.source or "",
            loc.target or "",
            loc.task or "",
            self.message,
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "kind": self.kind,
            "category": self.category,
            "severity": self.severity.value,
            "message": self.message,
            **self.location.to_dict(),
            "metrics": dict(sorted(self.metrics.items())),
            "impact": self.impact,
        }
        if self.advice:
            out["advice"] = self.advice
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        where = {name: data[name] for name in LOCATION_FIELDS if data.get(name) is not None}
        return cls(
            code=data["code"],
            kind=data["kind"],
            category=data["category"],
            severity=Severity(data["severity"]),
            message=data["message"],
            location=Location(**where),
            metrics=dict(data.get("metrics") or {}),
            impact=float(data.get("impact") or 0.0),
            advice=data.get("advice"),
        )


def catalogued(
    kind: str,
    severity: Severity,
    message: str,
    location: Location | None = None,
    metrics: dict[str, Any] | None = None,
    impact: float = 0.0,
    advice: str | None = None,
) -> Finding:
    """A finding of a catalogued kind: its code and category come from ``procmine.catalogue``, and so does
    its advice when the analysis has none more specific."""
    entry = catalogue.kind(kind)
    return Finding(
        code=entry.code,
        kind=kind,
        category=entry.category,
        severity=severity,
        message=message,
        location=location or Location(),
        metrics=metrics or {},
        impact=impact,
        advice=advice or entry.advice,
    )


# The sections a report may carry, in the order they appear in the JSON. Each is plain JSON data
# produced by one analysis; ``schemas/report.schema.json`` documents each one.
SECTIONS = (
    "activities",
    "start_activities",
    "end_activities",
    "dfg",
    "variants",
    "throughput",
    "discovery",
    "map",
    "conformance",
    "performance",
    "waits",
    "customer",
    "periods",
    "comparison",
    "lint",
)


S = TypeVar("S", bound=Section)

# What ``Report.sections`` holds under a name: the typed section, the rows of a list section (``activities``,
# ``dfg``), or for ``start_activities``/``end_activities`` the cases per activity.
SectionValue = Section | Sequence[Section] | dict[str, int]


@dataclass
class Report:
    command: str
    parameters: dict[str, Any] = field(default_factory=dict)
    log: LogSection | None = None
    model: ModelBlock | None = None
    sections: dict[str, SectionValue] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    generated_at: str | None = None  # the only wall-clock field; left out unless asked for

    def section(self, kind: type[S]) -> S | None:
        """The typed section of this class, or None when the report does not carry it."""
        value = self.sections.get(kind.NAME)
        if value is None:
            return None
        if not isinstance(value, kind):
            raise TypeError(f"section {kind.NAME!r} is a {type(value).__name__}, not a {kind.__name__}")
        return value

    def rows(self, kind: type[S]) -> list[S]:
        """The rows of a list section (``activities``, ``dfg``); empty when the report does not carry it."""
        value = self.sections.get(kind.NAME) or []
        if not all(isinstance(row, kind) for row in value):
            raise TypeError(f"section {kind.NAME!r} does not hold {kind.__name__} rows")
        return list(value)

    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=Finding.sort_key)

    def count_by_severity(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for f in self.findings:
            counts[f.severity.value] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        unknown = set(self.sections) - set(SECTIONS)
        if unknown:
            raise ValueError(f"unknown report sections: {sorted(unknown)}")
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "procmine_version": __version__,
            "command": self.command,
            "parameters": dict(sorted(self.parameters.items())),
        }
        if self.generated_at:
            out["generated_at"] = self.generated_at
        out["log"] = plain(self.log)
        out["model"] = plain(self.model)
        for name in SECTIONS:
            if name in self.sections:
                value = self.sections[name]
                out[name] = plain(value)
        out["summary"] = {"findings": len(self.findings), "by_severity": self.count_by_severity()}
        out["findings"] = [f.to_dict() for f in self.sorted_findings()]
        return rounded(out)

    def published(self) -> Report:
        """The report as its JSON states it (figures rounded, findings in report order), read back into
        typed sections: what every renderer reads, so that each format shows the figures of the JSON."""
        return Report.from_dict(self.to_dict())

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """A report read back from its JSON (an earlier audit's report.json): typed sections where procmine
        has their class, plain data for the others. Raises ``ValueError`` or ``KeyError`` on a malformed
        report."""
        sections: dict[str, SectionValue] = {}
        for name in SECTIONS:
            if name in data:
                sections[name] = _typed_section(name, data[name])
        log = data.get("log")
        return cls(
            command=data["command"],
            parameters=dict(data.get("parameters") or {}),
            log=None if log is None else LogSection.from_dict(log),
            model=model_from_dict(data.get("model")),
            sections=sections,
            findings=[Finding.from_dict(f) for f in data.get("findings") or []],
            generated_at=data.get("generated_at"),
        )


def _typed_section(name: str, value: Any) -> Any:
    typed = section_type(name)
    if typed is None or value is None:
        return value
    if typed.LIST:
        return [typed.from_dict(row) for row in value]
    return typed.from_dict(value)


def rounded(value: Any, digits: int = 4) -> Any:
    """Round every float in nested JSON data, so outputs stay stable across platforms; NaN becomes None."""
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        r = round(value, digits)
        return 0.0 if r == 0 else r
    if isinstance(value, dict):
        return {k: rounded(v, digits) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [rounded(v, digits) for v in value]
    return value
