"""Typed report sections: every field documented, the fields are the schema's properties, and a section
read back from its JSON is the same section."""

from __future__ import annotations

import dataclasses
import typing

import pytest

from procmine.findings import Report
from procmine.sections import SECTION_TYPES, LogSection, Section, VariantsSection, section_type
from procmine.sections.base import help_texts
from procmine.sections.model import DiscoveredModel, DocumentedModel, ModelFile
from tests.schema import assert_valid_report, report_schema


def _all_sections() -> list[type[Section]]:
    out, todo = [], list(Section.__subclasses__())
    while todo:
        cls = todo.pop()
        out.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted(out, key=lambda c: c.__name__)


@pytest.mark.parametrize("cls", _all_sections(), ids=lambda c: c.__name__)
def test_every_field_is_documented(cls):
    undocumented = [key for key, text in help_texts(cls).items() if len(text.strip()) < 3]
    assert not undocumented, f"{cls.__name__}: fields without a help text: {undocumented}"


def _resolve(node: dict) -> dict:
    """``node`` with its $ref followed and its allOf parts merged."""
    while "$ref" in node:
        target = report_schema()
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    if "allOf" in node:
        merged: dict = {"type": "object", "properties": {}}
        for part in node["allOf"]:
            merged["properties"].update(_resolve(part).get("properties", {}))
        node = merged
    return node


def _object(node: dict) -> dict:
    """The schema inside ``node`` (through $ref, allOf, and oneOf/anyOf with null)."""
    node = _resolve(node)
    for key in ("oneOf", "anyOf"):
        for option in node.get(key, []):
            option = _resolve(option)
            if option.get("type") != "null":
                return option
    return node


def _section_path(hint) -> tuple[type[Section] | None, list[str]]:
    """The Section class a field holds, and the steps to it in the schema: "items" (list, tuple) and
    "values" (dict), outermost first; (None, []) when the field holds no section."""
    if isinstance(hint, type) and issubclass(hint, Section):
        return hint, []
    origin = typing.get_origin(hint)
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if origin in (list, tuple) and args:
        cls, steps = _section_path(args[0])
        return cls, ["items", *steps]
    if origin is dict and len(args) == 2:
        cls, steps = _section_path(args[1])
        return cls, ["values", *steps]
    for arg in args:  # X | None
        cls, steps = _section_path(arg)
        if cls is not None:
            return cls, steps
    return None, []


def _check_against_schema(cls: type[Section], node: dict, path: str) -> None:
    node = _object(node)
    properties = node.get("properties", {})
    keys = list(help_texts(cls))
    assert set(keys) == set(properties), (
        f"{path}: fields {sorted(set(keys) - set(properties))} not in the schema, "
        f"schema properties {sorted(set(properties) - set(keys))} not fields of {cls.__name__}"
    )
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        key = f.metadata.get("key") or f.name
        inner, steps = _section_path(hints[f.name])
        if inner is None:
            continue
        sub = properties[key]
        for step in steps:
            sub = _object(sub)["items" if step == "items" else "additionalProperties"]
        _check_against_schema(inner, sub, f"{path}.{key}")


@pytest.mark.parametrize("name", sorted(SECTION_TYPES))
def test_fields_are_the_schema_properties(name):
    cls, node = SECTION_TYPES[name], report_schema()["properties"][name]
    _check_against_schema(cls, _object(node)["items"] if cls.LIST else node, name)


@pytest.mark.parametrize("cls", [LogSection, DocumentedModel, DiscoveredModel, ModelFile], ids=str)
def test_report_blocks_match_the_schema(cls):
    node = report_schema()["properties"]["log" if cls is LogSection else "model"]
    _check_against_schema(cls, _schema_variant(node, cls), cls.__name__)


def _schema_variant(node: dict, cls: type[Section]) -> dict:
    """The schema of the log block, or of the model block's shape ``cls`` stands for."""
    names = {"DocumentedModel": "documented_model", "DiscoveredModel": "discovered_model"}
    wanted = names.get(cls.__name__, "model_file" if cls is ModelFile else "log")
    for option in node.get("oneOf", []):
        if option.get("$ref", "").endswith(f"/{wanted}"):
            return _resolve(option)
    raise AssertionError(f"no {wanted} in the schema")


def _variants() -> VariantsSection:
    return VariantsSection.from_dict(
        {
            "total": 2,
            "cases": 3,
            "top": [
                {
                    "rank": 1,
                    "activities": ["a", "b"],
                    "length": 2,
                    "cases": 2,
                    "share": 0.6667,
                    "cumulative_share": 0.6667,
                },
                {
                    "rank": 2,
                    "activities": ["a"],
                    "length": 1,
                    "cases": 1,
                    "share": 0.3333,
                    "cumulative_share": 1.0,
                },
            ],
            "variants_to_cover": {"50": 1, "80": 2, "90": 2, "95": 2},
            "coverage_curve": [{"variants": 1, "cases_share": 0.6667}, {"variants": 2, "cases_share": 1.0}],
        }
    )


def test_a_section_reads_back_from_its_json():
    section = _variants()
    assert section.top[1].activities == ["a"] and section.coverage_curve[0].variants == 1
    assert VariantsSection.from_dict(section.to_dict()) == section
    with pytest.raises(ValueError, match="missing 'total'"):
        VariantsSection.from_dict({"cases": 3})


def test_a_report_reads_back_from_its_json():
    report = Report(command="discover", sections={"variants": _variants(), "dfg": []})
    data = report.to_dict()
    assert_valid_report(data)
    again = Report.from_dict(data)
    assert again.section(VariantsSection) == report.section(VariantsSection)
    assert again.to_dict() == data


def test_renderers_read_typed_fields_not_dicts():
    """Renderers read sections' fields; a dict lookup by key (``.get("...")``) is the old habit of guessing
    shapes. A few stay (Graphviz attributes in svg/dot_layout, a dict field): the bar is far below the
    347 there were."""
    from pathlib import Path

    renderers = Path(__file__).resolve().parents[1] / "src" / "procmine" / "renderers"
    calls = {
        str(path.relative_to(renderers)): path.read_text(encoding="utf-8").count('.get("')
        for path in sorted(renderers.rglob("*.py"))
    }
    used = {name: n for name, n in calls.items() if n}
    assert sum(used.values()) < 20, f"dict lookups in renderers: {used}"
    assert "report.to_dict()" not in "".join(
        p.read_text(encoding="utf-8") for p in renderers.rglob("*.py") if p.name != "json_report.py"
    ), "renderers other than the JSON one read the typed report, not its dict"


def test_report_json_reference_page_is_current():
    """docs/report-json.md is written from the help texts: a field added without regenerating it fails."""
    from pathlib import Path

    from procmine.renderers.json_reference import markdown

    page = Path(__file__).resolve().parents[1] / "docs" / "report-json.md"
    assert page.read_text(encoding="utf-8") == markdown(), (
        "regenerate: python -m procmine.renderers.json_reference > docs/report-json.md"
    )


def test_a_command_imports_only_the_sections_it_builds_and_every_name_resolves() -> None:
    import subprocess
    import sys

    code = (
        "import sys, procmine.pipeline.check, procmine.sections as s, procmine.sections.map\n"
        "print(sorted(m for m in sys.modules if m.startswith('procmine.sections.')))\n"
        "print(all(getattr(s, name) is not None for name in s.__all__))\n"
        "print(sorted(s.SECTION_TYPES))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=99
    )
    loaded, resolved, names = shown.stdout.splitlines()
    # (the submodule map, imported here, binds that name in the package: harmless)
    expected = [f"procmine.sections.{m}" for m in ("base", "log", "map", "model")]
    assert loaded == str(expected)
    assert resolved == "True"
    assert names == str(sorted(SECTION_TYPES)) and "conformance" in SECTION_TYPES and "dfg" in SECTION_TYPES
    assert all(section_type(name) is cls for name, cls in SECTION_TYPES.items())
    assert section_type("findings") is None


def test_a_terminal_block_skipped_for_its_absent_sections_has_nothing_to_say() -> None:
    import importlib

    from procmine.renderers.terminal import BLOCKS

    empty = Report(command="discover", parameters={}, log=None, model=None, sections={}, findings=[])
    for name, reads in BLOCKS:
        if reads:  # (skipped when the report has none of these sections)
            assert importlib.import_module(f"procmine.renderers.terminal.{name}").lines(empty) == [], name
