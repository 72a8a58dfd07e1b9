"""Validate report JSON against the published JSON Schema (used by every command's tests)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import jsonschema


def report_schema() -> dict[str, Any]:
    return json.loads(resources.files("procmine").joinpath("schemas/report.schema.json").read_text("utf-8"))


def assert_valid_report(data: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(report_schema()).validate(data)
