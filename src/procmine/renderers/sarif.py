"""SARIF 2.1.0 (code-scanning format of GitHub, GitLab, Azure DevOps), rendered from any Report.

Rule metadata comes from the findings themselves (code -> ``ruleId``, kind -> ``name``, advice -> help), and
is enriched from the report's lint section's rules when the report has one. Findings without a file keep
their element or activity as a logical location, so check findings about a log still show up.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from procmine import __version__, catalogue
from procmine.renderers.ci_paths import relative_to_checkout
from procmine.sections.lint import AppliedRule, LintSection

if TYPE_CHECKING:
    from procmine.findings import Finding, Location, Report

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/procmine/procmine"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def render(report: Report) -> str:
    return json.dumps(to_sarif(report), indent=2, ensure_ascii=False) + "\n"


def to_sarif(report: Report) -> dict[str, Any]:
    findings = report.findings
    lint = report.section(LintSection)
    rules = _rules(lint.rules if lint else [], findings)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "procmine",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "results": [_result(f, index) for f in findings],
        "columnKind": "unicodeCodePoints",
    }
    unreadable = lint.unreadable if lint else []
    run["invocations"] = [
        {
            "executionSuccessful": not unreadable,
            "toolExecutionNotifications": [
                {
                    "level": "error",
                    "message": {"text": f"{u.file}: {u.cause}"},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(u.file)}}}],
                }
                for u in unreadable
            ],
        }
    ]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rules(applied: list[AppliedRule], findings: list[Finding]) -> list[dict[str, Any]]:
    known = {r.code: r for r in applied}
    seen: dict[str, Finding] = {}
    for f in findings:
        seen.setdefault(f.code, f)
    out = []
    for code in sorted(set(known) | set(seen)):
        meta, sample = known.get(code), seen.get(code)
        name = meta.name if meta else sample.kind if sample else code
        level = meta.severity if meta else sample.severity.value if sample else "warning"
        rule: dict[str, Any] = {
            "id": code,
            "name": name,
            "shortDescription": {
                "text": meta.description if meta else name.replace("_", " ").replace("-", " ")
            },
            "defaultConfiguration": {"level": LEVELS[level]},
            "properties": {"category": sample.category if sample else "lint"},
        }
        # A rule's help covers all its results: the catalogue's general advice, not the first finding's
        # (which names its own tasks); each result keeps its own advice in its properties.
        advice = (catalogue.default_advice(sample.kind) or sample.advice) if sample else ""
        if advice:
            rule["help"] = {"text": advice}
        if meta and meta.docs:
            rule["helpUri"] = meta.docs
        out.append(rule)
    return out


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    loc = finding.location
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index[finding.code],
        "level": LEVELS[finding.severity.value],
        "message": {"text": finding.message},
        "partialFingerprints": {"procmineFinding/v1": _fingerprint(finding)},
    }
    location: dict[str, Any] = {}
    if loc.file:
        physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(loc.file)}}
        if loc.line:
            physical["region"] = {"startLine": loc.line}
        location["physicalLocation"] = physical
    logical = _logical(loc)
    if logical:
        location["logicalLocations"] = logical
    if location:
        result["locations"] = [location]
    properties: dict[str, Any] = {"kind": finding.kind, "category": finding.category}
    if finding.metrics:
        properties["metrics"] = finding.metrics
    if finding.advice:
        properties["advice"] = finding.advice
    result["properties"] = properties
    return result


def _logical(loc: Location) -> list[dict[str, Any]]:
    if loc.element_id:
        return [{"name": loc.element_id, "kind": "element"}]
    if loc.source and loc.target:
        return [{"name": f"{loc.source} -> {loc.target}", "kind": "value"}]
    if loc.activity:
        return [{"name": loc.activity, "kind": "value"}]
    return []


def _fingerprint(finding: Finding) -> str:
    """Stable across runs and line moves: the same element keeps its alert when the file is edited."""
    loc = finding.location
    parts = [finding.code, loc.file or "", loc.element_id or "", loc.activity or ""]
    parts += [loc.source or "", loc.target or ""]
    if not loc.element_id and not loc.activity:
        parts.append(finding.message)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def _uri(path: str) -> str:
    """A URI reference relative to the checkout, as code-scanning services expect (forward slashes, spaces
    escaped); a file URI for a file outside it."""
    relative = relative_to_checkout(path)
    if Path(relative).is_absolute():
        return Path(relative).as_uri()
    return quote(relative, safe="/._-~")
