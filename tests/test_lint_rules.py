"""Each lint rule on its two fixtures: the incorrect model is reported at the right element, the correct
one is clean under every rule (so the docs show only good examples as good)."""

from __future__ import annotations

from pathlib import Path

import pytest

from procmine.io.bpmn import read_bpmn
from procmine.lint.rules import all_rules
from procmine.lint.runner import lint_model
from procmine.lint.settings import build_settings

FIXTURES = Path(__file__).parent / "fixtures" / "lint"

# rule -> the element ids the incorrect fixture must be reported at (exactly these, by this rule)
EXPECTED = {
    "start-event-required": {"Process_1"},
    "end-event-required": {"Process_1"},
    "no-disconnected": {"Task_Lost"},
    "no-implicit-split": {"Task_A"},
    "no-implicit-start": {"Task_Orphan"},
    "no-implicit-end": {"Task_Dead"},
    "superfluous-gateway": {"Gateway_Useless"},
    "no-gateway-join-fork": {"Gateway_JoinFork"},
    "fake-join": {"Task_Ship"},
    "label-required": {"Task_Unnamed"},
    "no-duplicate-sequence-flows": {"Flow_1_copy"},
    "conditional-flows": {"Flow_no"},
    "default-flow-required": {"Split"},
    "single-blank-start-event": {"Process_1"},
    "single-event-definition": {"Start"},
    "no-complex-gateway": {"Gateway_Complex", "Gateway_Complex_Join"},
    "no-inclusive-gateway": {"Gateway_Inclusive", "Gateway_Inclusive_Join"},
    "sub-process-blank-start-event": {"Sub_Start"},
    "event-sub-process-typed-start-event": {"EventSub_Start"},
    "ad-hoc-sub-process": {"AdHoc_Start"},
    "event-based-gateway": {"Gateway_Event"},
    "superfluous-termination": {"End_Terminate"},
    "link-event": {"Link_Throw"},
    "no-bpmndi": {"Task_B", "Flow_3"},
    "no-duplicate-ids": {"Task_A"},
    "no-dangling-references": {"Flow_2"},
    "no-deadlock": {"Join"},
    "option-to-complete": {"Task_B"},
    "no-dead-tasks": {"Task_Ship", "End"},
    "no-lack-of-synchronisation": {"Merge"},
    "proper-completion": {"Join"},
    "conformance-checkable": {"Gateway_Complex", "Gateway_Complex_Join"},
}

# Correct fixtures whose construct procmine's conformance translation can only approximate: they are
# correct BPMN, and conformance-checkable rightly says so. Every other rule must stay silent on them.
APPROXIMATED = {"ad-hoc-sub-process", "event-sub-process-typed-start-event"}

ALL = build_settings(preset="all")


def findings(path: Path):
    return lint_model(read_bpmn(path), str(path), ALL).findings


def test_every_rule_has_fixtures_and_an_expectation():
    names = {r.name for r in all_rules()}
    assert set(EXPECTED) == names
    for name in names:
        assert (FIXTURES / name / "correct.bpmn").is_file(), name
        assert (FIXTURES / name / "incorrect.bpmn").is_file(), name


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_incorrect_fixture_is_reported_at_the_right_element(rule):
    path = FIXTURES / rule / "incorrect.bpmn"
    hits = [f for f in findings(path) if f.kind == rule]
    assert {f.location.element_id for f in hits} == EXPECTED[rule]
    for f in hits:
        assert f.location.file == str(path)
        assert f.location.line and f.location.line >= 1
        assert f.category == "lint" and f.code.startswith("L")


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_correct_fixture_is_clean_under_every_rule(rule):
    path = FIXTURES / rule / "correct.bpmn"
    found = [(f.kind, f.location.element_id, f.message) for f in findings(path)]
    if rule in APPROXIMATED:
        assert {kind for kind, _, _ in found} == {"conformance-checkable"}
    else:
        assert found == []


def test_line_points_at_the_element():
    path = FIXTURES / "fake-join" / "incorrect.bpmn"
    (hit,) = [f for f in findings(path) if f.kind == "fake-join"]
    line = path.read_text().splitlines()[hit.location.line - 1]
    assert 'id="Task_Ship"' in line
