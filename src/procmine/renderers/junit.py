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
from typing import TYPE_CHECKING

from procmine.sections.lint import LintSection

if TYPE_CHECKING:
    from procmine.findings import Finding, Report

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render(report: Report) -> str:
    lint = report.section(LintSection)
    findings = report.findings
    rules = [(r.code, r.name) for r in lint.rules] if lint else []
    if not rules:
        rules = sorted({(f.code, f.kind) for f in findings})
    files = [f.file for f in lint.files] if lint else []
    if lint:
        files += sorted({f.location.file or "" for f in findings} - set(files))
    by_case: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        by_case.setdefault(((f.location.file or "") if lint else "", f.code), []).append(f)
    root = ET.Element("testsuites", name=f"procmine {report.command}")
    total = failed = errors = 0
    for file in files or [""]:
        suite_name = file or f"procmine {report.command}"
        suite = ET.SubElement(root, "testsuite", name=_clean(suite_name))
        for code, name in rules:
            case = ET.SubElement(
                suite, "testcase", name=_clean(f"{code} {name}"), classname=_clean(suite_name)
            )
            case.set("time", "0")
            _failure(case, by_case.get((file, code), []))
        failures = sum(1 for code, _ in rules if by_case.get((file, code)))
        _set_counts(suite, len(rules), failures, 0)
        total, failed = total + len(rules), failed + failures
    for u in lint.unreadable if lint else []:
        suite = ET.SubElement(root, "testsuite", name=_clean(u.file))
        case = ET.SubElement(suite, "testcase", name="read model file", classname=_clean(u.file))
        case.set("time", "0")
        error = ET.SubElement(case, "error", message=_clean(u.cause), type="unreadable")
        error.text = _clean(f"{u.file}: {u.cause}")
        _set_counts(suite, 1, 0, 1)
        total, errors = total + 1, errors + 1
    _set_counts(root, total, failed, errors)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _failure(case: ET.Element, hits: list[Finding]) -> None:
    """One ``<failure>`` listing every finding of the case (none: the case passes)."""
    if not hits:
        return
    worst = min(hits, key=lambda h: h.severity.rank)
    message = worst.message if len(hits) == 1 else f"{len(hits)} findings: {worst.message}"
    failure = ET.SubElement(case, "failure", message=_clean(message), type=worst.severity.value)
    failure.text = _clean("\n".join(_line(h) for h in hits))


def _set_counts(element: ET.Element, tests: int, failures: int, errors: int) -> None:
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", str(errors))
    element.set("skipped", "0")
    element.set("time", "0")


def _line(finding: Finding) -> str:
    loc = finding.location
    where = (loc.file or "") + (f":{loc.line}" if loc.line else "")
    element = loc.element_id or loc.activity or ""
    return f"{where} {element} {finding.severity.value}: {finding.message}".strip()


def _clean(text: str) -> str:
    """Characters XML 1.0 cannot carry (control characters in a label) are dropped, not left to break CI."""
    return _INVALID_XML.sub("", text)
