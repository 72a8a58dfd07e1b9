"""The finding catalogue is the one list of finding kinds: every code procmine can report is in it (or is a
lint rule's), every kind is documented, and --fail-on accepts exactly its kinds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from procmine import catalogue
from procmine.errors import InputError
from procmine.findings import Severity, catalogued
from procmine.lint.rules import all_rules
from procmine.pipeline.outcome import parse_fail_on

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "procmine"


def test_codes_and_kinds_are_unique_and_well_formed():
    codes = [k.code for k in catalogue.KINDS]
    kinds = [k.kind for k in catalogue.KINDS]
    assert len(set(codes)) == len(codes) and len(set(kinds)) == len(kinds)
    for entry in catalogue.KINDS:
        assert re.fullmatch(r"[CPX][0-9]{3}", entry.code)
        assert re.fullmatch(r"[a-z][a-z_]*", entry.kind)
        assert entry.category in catalogue.CATEGORIES
        assert entry.title and entry.advice and entry.when
        assert set(entry.subject) <= set(catalogue.SUBJECT_FIELDS)


def test_every_code_in_the_source_is_catalogued_or_a_lint_rule():
    """A finding code written anywhere in src/ (a literal "C001") must be the catalogue's or a rule's."""
    lint_codes = {rule.code for rule in all_rules()}
    assert not lint_codes & set(catalogue.BY_CODE), "lint codes and catalogue codes overlap"
    used = set()
    for path in SRC.rglob("*.py"):
        used |= set(re.findall(r"[\"']([A-Z][0-9]{3})[\"']", path.read_text(encoding="utf-8")))
    unknown = used - set(catalogue.BY_CODE) - lint_codes
    assert not unknown, f"codes used in src/ but not in procmine.catalogue: {sorted(unknown)}"


def test_kinds_produced_by_analyses_are_catalogued():
    """Analyses build findings through ``catalogued``: no ``Finding(code=...)`` outside the catalogue."""
    for path in (SRC / "analyses").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"Finding\(\s*code=", text), f"{path.name} builds a Finding by hand"
        for kind in re.findall(r"catalogued\(\s*(?:kind=)?\"([a-z_]+)\"", text):
            assert kind in catalogue.BY_KIND, f"{path.name}: {kind} is not catalogued"


def test_catalogued_fills_code_category_and_default_advice():
    f = catalogued("sla_breach", Severity.ERROR, "too slow")
    assert (f.code, f.category, f.advice) == ("P003", "performance", catalogue.kind("sla_breach").advice)
    assert catalogued("rework", Severity.INFO, "again", advice="own advice").advice == "own advice"
    with pytest.raises(KeyError):
        catalogued("no_such_kind", Severity.INFO, "x")


def test_docs_page_is_generated_from_the_catalogue():
    page = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    assert page == catalogue.markdown(), "regenerate: python -m procmine.catalogue > docs/findings.md"
    for entry in catalogue.KINDS:
        assert f"`{entry.kind}`" in page and entry.code in page


def test_fail_on_accepts_the_catalogue_kinds_and_any():
    given = ["skipped_step,bottleneck", "any", "skipped_step"]
    assert parse_fail_on(given) == ("any", "bottleneck", "skipped_step")
    assert parse_fail_on(None) == () and parse_fail_on("low_fitness") == ("low_fitness",)
    assert set(catalogue.fail_on_choices()) == {*catalogue.BY_KIND, "any"}
    with pytest.raises(InputError, match="unknown kind 'nonsense'"):
        parse_fail_on(["nonsense"])


def test_titles_fall_back_to_words_for_lint_rule_names():
    assert catalogue.title("outdated_step") == "Outdated step"
    assert catalogue.title("no-implicit-split") == "No implicit split"
