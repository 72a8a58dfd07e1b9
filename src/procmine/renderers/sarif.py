"""SARIF 2.1.0 (code-scanning format of GitHub, GitLab, Azure DevOps), rendered from any Report.

Rule metadata comes from the findings themselves (code -> ``ruleId``, kind -> ``name``, advice -> help), and
is enriched from the report's ``lint.rules`` list when the report has one. Findings without a file keep
their element or activity as a logical location, so check findings about a log still show up.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from procmine import __version__

if TYPE_CHECKING:
    from procmine.findings import Report

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/procmine/procmine"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def render(report: Report) -> str:
    return json.dumps(to_sarif(report.to_dict()), indent=2, ensure_ascii=False) + "\n"


def to_sarif(data: dict[str, Any]) -> dict[str, Any]:
    findings = data["findings"]
    rules = _rules(data, findings)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "procmine",
                "version": data.get("procmine_version", __version__),
                "semanticVersion": data.get("procmine_version", __version__),
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "results": [_result(f, index) for f in findings],
        "columnKind": "unicodeCodePoints",
    }
    unreadable = (data.get("lint") or {}).get("unreadable") or []
    run["invocations"] = [
        {
            "executionSuccessful": not unreadable,
            "toolExecutionNotifications": [
                {
                    "level": "error",
                    "message": {"text": f"{u['file']}: {u['cause']}"},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(u["file"])}}}],
                }
                for u in unreadable
            ],
        }
    ]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rules(data: dict[str, Any], findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    known = {r["code"]: r for r in (data.get("lint") or {}).get("rules") or []}
    seen: dict[str, dict[str, Any]] = {}
    for f in findings:
        seen.setdefault(f["code"], f)
    codes = sorted(set(known) | set(seen))
    out = []
    for code in codes:
        meta, sample = known.get(code), seen.get(code)
        name = meta["name"] if meta else sample["kind"]
        rule: dict[str, Any] = {
            "id": code,
            "name": name,
            "shortDescription": {
                "text": meta["description"] if meta else name.replace("_", " ").replace("-", " ")
            },
            "defaultConfiguration": {"level": LEVELS[meta["severity"] if meta else sample["severity"]]},
            "properties": {"category": sample["category"] if sample else "lint"},
        }
        advice = sample.get("advice") if sample else None
        if advice:
            rule["help"] = {"text": advice}
        if meta and meta.get("docs"):
            rule["helpUri"] = meta["docs"]
        out.append(rule)
    return out


def _result(finding: dict[str, Any], index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding["code"],
        "ruleIndex": index[finding["code"]],
        "level": LEVELS[finding["severity"]],
        "message": {"text": finding["message"]},
        "partialFingerprints": {"procmineFinding/v1": _fingerprint(finding)},
    }
    location: dict[str, Any] = {}
    if finding.get("file"):
        physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(finding["file"])}}
        if finding.get("line"):
            physical["region"] = {"startLine": finding["line"]}
        location["physicalLocation"] = physical
    logical = _logical(finding)
    if logical:
        location["logicalLocations"] = logical
    if location:
        result["locations"] = [location]
    properties = {"kind": finding["kind"], "category": finding["category"]}
    if finding.get("metrics"):
        properties["metrics"] = finding["metrics"]
    result["properties"] = properties
    return result


def _logical(finding: dict[str, Any]) -> list[dict[str, Any]]:
    if finding.get("element_id"):
        return [{"name": finding["element_id"], "kind": "element"}]
    if finding.get("source") and finding.get("target"):
        return [{"name": f"{finding['source']} -> {finding['target']}", "kind": "value"}]
    if finding.get("activity"):
        return [{"name": finding["activity"], "kind": "value"}]
    return []


def _fingerprint(finding: dict[str, Any]) -> str:
    """Stable across runs and line moves: the same element keeps its alert when the file is edited."""
    parts = [
        finding["code"],
        finding.get("file", ""),
        finding.get("element_id", ""),
        finding.get("activity", ""),
    ]
    parts += [finding.get("source", ""), finding.get("target", "")]
    if not finding.get("element_id") and not finding.get("activity"):
        parts.append(finding["message"])
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def _uri(path: str) -> str:
    """A relative URI reference, as code-scanning services expect (forward slashes, spaces escaped)."""
    if Path(path).is_absolute():
        return Path(path).as_uri()
    posix = str(PurePosixPath(path.replace("\\", "/")))
    return quote(posix, safe="/._-~")
