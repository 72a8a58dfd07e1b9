"""Rule metadata and presets: stable codes, kebab names, correctness ⊂ recommended ⊂ all, one module each."""

from __future__ import annotations

import re
from pathlib import Path

from procmine.findings import Severity
from procmine.lint import presets
from procmine.lint.base import PRESETS
from procmine.lint.rules import all_rules, rule_modules
from tests.lint_docs import pages

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "rules"
RULES_PACKAGE = ROOT / "src" / "procmine" / "lint" / "rules"


def test_codes_are_stable_sequential_and_unique():
    codes = [r.code for r in all_rules()]
    assert codes == [f"L{i:03d}" for i in range(1, len(codes) + 1)]


def test_rules_are_found_by_scanning_the_package():
    modules = {p.stem for p in RULES_PACKAGE.glob("*.py") if not p.stem.startswith("_")}
    assert set(rule_modules()) == modules
    assert len({r.name for r in all_rules()}) == len(modules)  # one rule per module, none twice


def test_names_are_kebab_and_match_their_module():
    for module, rule in rule_modules().items():
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


def test_every_rule_has_a_doc_page_generated_from_it_and_its_cases():
    generated = pages()
    assert set(generated) == {DOCS / f"{rule.name}.md" for rule in all_rules()} | {DOCS / "README.md"}
    stale = [p.name for p, text in generated.items() if not p.is_file() or p.read_text("utf-8") != text]
    assert not stale, f"docs/rules out of date: run python -m tests.lint_docs ({stale})"
    for rule in all_rules():
        text = generated[DOCS / f"{rule.name}.md"]
        assert rule.code in text and rule.description in text and rule.advice in text
