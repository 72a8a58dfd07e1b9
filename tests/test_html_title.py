"""The report's title names the process: its name, else the model file's name (never a bare XML id)."""

from __future__ import annotations

import dataclasses

from procmine.renderers.html_report import _process_name
from procmine.sections.model import DocumentedModel, NetSize


def _model(name: str | None) -> DocumentedModel:
    fields = {f.name: None for f in dataclasses.fields(DocumentedModel)}
    fields.update(
        path="models/sepsis.bpmn",
        origin="documented",
        process_id="Process_01ofheo",
        process_name=name,
        selected_by="the only one",
        processes=[],
        tasks=16,
        net=NetSize.__new__(NetSize),
        warnings=[],
    )
    return DocumentedModel(**fields)


def test_a_named_process_keeps_its_name():
    assert _process_name(None, _model("Sepsis treatment")) == "Sepsis treatment"


def test_an_unnamed_process_is_called_after_its_file():
    assert _process_name(None, _model("Process_01ofheo")) == "sepsis"
    assert _process_name(None, _model(None)) == "sepsis"
