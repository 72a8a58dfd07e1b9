"""Rule metadata and presets: stable codes, kebab names, correctness ⊂ recommended ⊂ all, one module each."""

from __future__ import annotations

import re
from pathlib import Path

from procmine.findings import Severity
from procmine.lint import presets
from procmine.lint.base import PRESETS
from procmine.lint.rules import MODULES, all_rules

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules"


def test_codes_are_stable_sequential_and_unique():
    codes = [r.code for r in all_rules()]
    assert codes == [f"L{i:03d}" for i in range(1, len(codes) + 1)]


def test_names_are_kebab_and_match_their_module():
    for module, rule in zip(MODULES, all_rules(), strict=True):
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name), rule.name
        assert module == rule.name.replace("-", "_")
        assert rule.description.endswith(".") and "\n" not in rule.description
        assert rule.docs_url.endswith(f"/docs/rules/{rule.name}.md")


def test_presets_nest():
    assert set(presets.CORRECTNESS) < set(presets.RECOMMENDED) < set(presets.ALL)
    assert set(presets.ALL) == {r.name for r in all_rules()}
    assert tuple(presets.PRESETS) == PRESETS


def test_each_rule_is_in_its_smallest_preset_with_its_default_severity():
    for rule in all_rules():
        smallest = next(name for name in PRESETS if rule.name in presets.PRESETS[name])
        assert rule.preset == smallest, rule.name
        assert presets.PRESETS[smallest][rule.name] == rule.severity.value
        for level in presets.PRESETS.values():
            if rule.name in level:
                Severity(level[rule.name])


def test_bpmnlint_recommended_rules_we_implement_are_recommended():
    # bpmnlint's recommended preset (rules procmine can check on its model) must stay in ours.
    bpmnlint_recommended = {
        "ad-hoc-sub-process",
        "conditional-flows",
        "end-event-required",
        "event-based-gateway",
        "event-sub-process-typed-start-event",
        "fake-join",
        "label-required",
        "link-event",
        "no-bpmndi",
        "no-disconnected",
        "no-duplicate-sequence-flows",
        "no-gateway-join-fork",
        "no-implicit-split",
        "no-implicit-end",
        "no-implicit-start",
        "single-blank-start-event",
        "single-event-definition",
        "start-event-required",
        "sub-process-blank-start-event",
        "superfluous-gateway",
        "superfluous-termination",
    }
    assert bpmnlint_recommended <= set(presets.RECOMMENDED)


def test_every_rule_has_a_doc_page():
    for rule in all_rules():
        doc = DOCS / f"{rule.name}.md"
        assert doc.is_file(), doc
        text = doc.read_text("utf-8")
        assert rule.code in text and rule.description in text


def test_doc_pages_show_the_fixtures_their_tests_use():
    fixtures = Path(__file__).parent / "fixtures" / "lint"
    for rule in all_rules():
        text = (DOCS / f"{rule.name}.md").read_text("utf-8")
        for kind in ("incorrect", "correct"):
            source = (fixtures / rule.name / f"{kind}.bpmn").read_text("utf-8")
            assert source.strip() in text, f"{rule.name}: docs out of date with {kind}.bpmn"
            assert f"tests/fixtures/lint/{rule.name}/{kind}.bpmn" in text
