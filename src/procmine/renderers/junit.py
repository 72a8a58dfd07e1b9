"""JUnit XML, the format every CI server shows as test results: one test case per file and rule.

A test case fails when its rule found something in its file (one ``<failure>`` listing every finding);
rules that found nothing pass, so the CI page shows what was checked, not only what broke. Rule and file
lists come from the report's ``lint`` section when present. Other reports (``procmine check``, ``audit``,
``bottlenecks``) have one suite named after the command and one case per finding kind, whichever input file
each finding points to (the failure text names it). Unreadable files are errors.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from procmine.findings import Report

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_RANK = {"error": 0, "warning": 1, "info": 2}


def render(report: Report) -> str:
    data = report.to_dict()
    lint = data.get("lint") or {}
    findings = data["findings"]
    rules = [(r["code"], r["name"]) for r in lint.get("rules") or []]
    if not rules:
        rules = sorted({(f["code"], f["kind"]) for f in findings})
    files = [f["file"] for f in lint.get("files") or []]
    if lint:
        files += sorted({f.get("file", "") for f in findings} - set(files))
    if not files:
        files = [""]
    by_case: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for f in findings:
        by_case.setdefault((f.get("file", "") if lint else "", f["code"]), []).append(f)

    root = ET.Element("testsuites", name=f"procmine {data['command']}")
    total = failed = errors = 0
    for file in files:
        suite_name = file or f"procmine {data['command']}"
        suite = ET.SubElement(root, "testsuite", name=_clean(suite_name))
        cases = failures = 0
        for code, name in rules:
            hits = by_case.get((file, code), [])
            case = ET.SubElement(
                suite, "testcase", name=_clean(f"{code} {name}"), classname=_clean(suite_name)
            )
            case.set("time", "0")
            cases += 1
            if hits:
                failures += 1
                worst = min(hits, key=lambda h: _RANK[h["severity"]])
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=_clean(
                        worst["message"] if len(hits) == 1 else f"{len(hits)} findings: {worst['message']}"
                    ),
                    type=worst["severity"],
                )
                failure.text = _clean("\n".join(_line(h) for h in hits))
        _set_counts(suite, cases, failures, 0)
        total, failed = total + cases, failed + failures
    for u in lint.get("unreadable") or []:
        suite = ET.SubElement(root, "testsuite", name=_clean(u["file"]))
        case = ET.SubElement(suite, "testcase", name="read model file", classname=_clean(u["file"]))
        case.set("time", "0")
        error = ET.SubElement(case, "error", message=_clean(u["cause"]), type="unreadable")
        error.text = _clean(f"{u['file']}: {u['cause']}")
        _set_counts(suite, 1, 0, 1)
        total, errors = total + 1, errors + 1
    _set_counts(root, total, failed, errors)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _set_counts(element: ET.Element, tests: int, failures: int, errors: int) -> None:
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", str(errors))
    element.set("skipped", "0")
    element.set("time", "0")


def _line(finding: dict[str, Any]) -> str:
    where = finding.get("file", "")
    if finding.get("line"):
        where += f":{finding['line']}"
    element = finding.get("element_id") or finding.get("activity") or ""
    return f"{where} {element} {finding['severity']}: {finding['message']}".strip()


def _clean(text: str) -> str:
    """Characters XML 1.0 cannot carry (control characters in a label) are dropped, not left to break CI."""
    return _INVALID_XML.sub("", text)
