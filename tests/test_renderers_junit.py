"""JUnit XML: one test case per file and rule, failures for findings, errors for unreadable files."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from procmine.findings import Finding, Location, Report, Severity
from procmine.lint.runner import lint_files
from procmine.lint.settings import build_settings
from procmine.renderers import render

FIXTURES = Path(__file__).parent / "fixtures" / "lint"


def test_one_case_per_file_and_rule_with_failures_for_findings():
    settings = build_settings(preset="recommended")
    files = [str(FIXTURES / "no-deadlock" / "correct.bpmn"), str(FIXTURES / "no-deadlock" / "incorrect.bpmn")]
    report = lint_files(
        files, settings, unreadable=[{"file": "broken.bpmn", "cause": "not well-formed <XML>"}]
    )
    root = ET.fromstring(render(report, "junit"))
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {*files, "broken.bpmn"}
    rules = len(settings.severities)
    clean, dirty = suites[files[0]], suites[files[1]]
    assert len(clean.findall("testcase")) == rules and clean.get("failures") == "0"
    assert len(dirty.findall("testcase")) == rules
    failed = {
        c.get("name"): c.find("failure") for c in dirty.findall("testcase") if c.find("failure") is not None
    }
    assert set(failed) == {"L027 no-deadlock", "L029 no-dead-tasks"}
    assert dirty.get("failures") == "2"
    assert failed["L029 no-dead-tasks"].get("message").startswith("2 findings")
    assert (
        "Task_Ship" in failed["L029 no-dead-tasks"].text and failed["L027 no-deadlock"].get("type") == "error"
    )
    error = suites["broken.bpmn"].find("testcase/error")
    assert error.get("message") == "not well-formed <XML>"
    assert (
        root.get("tests") == str(2 * rules + 1) and root.get("failures") == "2" and root.get("errors") == "1"
    )


def test_generic_report_and_control_characters():
    report = Report(
        command="check",
        findings=[
            Finding(
                "C002",
                "undocumented_step",
                "conformance",
                Severity.WARNING,
                "Call\x0b back & co <x>",
                Location(file="log.csv", activity="Call back"),
            )
        ],
    )
    root = ET.fromstring(render(report, "junit"))
    (case,) = root.iter("testcase")
    assert case.get("name") == "C002 undocumented_step" and case.get("classname") == "procmine check"
    assert "log.csv" in case.find("failure").text
    assert case.find("failure").get("message") == "Call back & co <x>"
