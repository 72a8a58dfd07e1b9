"""Each lint rule on the cases of its case file (``tests/fixtures/lint/<rule>/cases.toml``, see
``tests/lint_cases.py``): the rule, run alone, reports exactly the listed elements with the listed
messages, each finding on the line of its element; and the correct example its docs page shows is clean
under every rule (so the docs show only good examples as good)."""

from __future__ import annotations

from pathlib import Path

import pytest

from procmine.io.bpmn import read_bpmn
from procmine.lint.rules import all_rules, rule_index
from procmine.lint.runner import lint_model
from procmine.lint.settings import LintSettings, build_settings
from tests.lint_cases import CASES, Case, all_cases, load, rules_with_cases

ALL_CASES = all_cases()
ALL = build_settings(preset="all")

# Correct examples whose construct procmine's conformance translation can only approximate: they are
# correct BPMN, and conformance-checkable rightly says so. Every other rule must stay silent on them.
APPROXIMATED = {"ad-hoc-sub-process", "event-sub-process-typed-start-event"}


def lint(path: Path, settings: LintSettings):
    return lint_model(read_bpmn(path), str(path), settings).findings


@pytest.mark.parametrize("case", ALL_CASES, ids=[case.id for case in ALL_CASES])
def test_rule_reports_exactly_what_its_case_says(case: Case, tmp_path: Path):
    rule = rule_index()[case.rule]
    path = tmp_path / "case.bpmn"
    path.write_text(case.source, encoding="utf-8")
    found = lint(path, LintSettings(preset="all", severities={rule.name: rule.severity}))
    assert sorted((f.location.element_id or "", f.message) for f in found) == sorted(case.report)
    lines = case.source.splitlines()
    for finding in found:
        assert (finding.code, finding.kind, finding.category) == (rule.code, rule.name, "lint")
        assert finding.location.file == str(path)
        line = finding.location.line
        assert line and finding.location.element_id in lines[line - 1], "the finding points at its element"


def test_every_rule_has_a_case_file_with_several_cases_each_way():
    assert rules_with_cases() == sorted(rule.name for rule in all_rules())
    for rule in all_rules():
        cases = load(rule.name)
        names = [case.name for case in cases]
        assert len(set(names)) == len(names), f"{rule.name}: case names repeat"
        reported = [case for case in cases if case.report]
        assert len(reported) >= 2 and len(cases) - len(reported) >= 2, rule.name


def test_the_docs_examples_are_cases_of_their_rule():
    for rule in all_rules():
        sources = {case.source: case for case in load(rule.name)}
        incorrect = sources.get((CASES / rule.name / "incorrect.bpmn").read_text("utf-8"))
        correct = sources.get((CASES / rule.name / "correct.bpmn").read_text("utf-8"))
        assert incorrect is not None and incorrect.report, rule.name
        assert correct is not None and not correct.report, rule.name


@pytest.mark.parametrize("rule", sorted(r.name for r in all_rules()))
def test_correct_example_is_clean_under_every_rule(rule: str):
    found = [(f.kind, f.location.element_id, f.message) for f in lint(CASES / rule / "correct.bpmn", ALL)]
    if rule in APPROXIMATED:
        assert {kind for kind, _, _ in found} == {"conformance-checkable"}
    else:
        assert found == []
