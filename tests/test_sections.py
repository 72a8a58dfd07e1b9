"""Typed report sections: every field documented, the fields are the schema's properties, and a section
read back from its JSON is the same section."""

from __future__ import annotations

import dataclasses
import typing

import pytest

from procmine.findings import Report
from procmine.sections import SECTION_TYPES, Section, VariantsSection
from procmine.sections.base import help_texts
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


def _object(node: dict) -> dict:
    """The object schema inside ``node`` (through oneOf/anyOf with null)."""
    for key in ("oneOf", "anyOf"):
        for option in node.get(key, []):
            if option.get("type") == "object" or "properties" in option:
                return option
    return node


def _section_type(hint) -> tuple[type[Section] | None, str]:
    """The Section class a field holds, and how: "" (itself), "items" (list/tuple), "values" (dict)."""
    for arg in typing.get_args(hint) or ():
        if arg is type(None):
            continue
        cls, how = _section_type(arg)
        if cls is not None:
            origin = typing.get_origin(hint)
            if origin in (list, tuple):
                return cls, "items"
            if origin is dict:
                return cls, "values"
            return cls, how
    if isinstance(hint, type) and issubclass(hint, Section):
        return hint, ""
    return None, ""


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
        inner, how = _section_type(hints[f.name])
        if inner is None:
            continue
        sub = _object(properties[key])
        if how == "items":
            sub = sub["items"]
        elif how == "values":
            sub = sub["additionalProperties"]
        _check_against_schema(inner, sub, f"{path}.{key}")


@pytest.mark.parametrize("name", sorted(SECTION_TYPES))
def test_fields_are_the_schema_properties(name):
    _check_against_schema(SECTION_TYPES[name], report_schema()["properties"][name], name)


def _variants() -> VariantsSection:
    return VariantsSection.from_dict(
        {
            "total": 2,
            "cases": 3,
            "top": [
                {"rank": 1, "activities": ["a", "b"], "length": 2, "cases": 2, "share": 0.6667,
                 "cumulative_share": 0.6667},
                {"rank": 2, "activities": ["a"], "length": 1, "cases": 1, "share": 0.3333,
                 "cumulative_share": 1.0},
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
