"""Every readable .bpmn of the public corpus translates, every process, without a traceback."""

from __future__ import annotations

import pytest

from procmine.errors import InputError
from procmine.io.bpmn import read_bpmn
from procmine.petri.translate import translate_all

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]


def test_every_corpus_model_translates_or_is_refused_by_name(shared_data):
    tally = {"read": 0, "refused": 0, "translated": 0, "with_warnings": 0}
    for path in sorted((shared_data / "models").rglob("*.bpmn")):
        try:
            model = read_bpmn(path)
        except InputError:
            tally["refused"] += 1
            continue
        tally["read"] += 1
        translations = translate_all(model)  # a crash here fails the test, naming the file via the traceback
        tally["translated"] += 1
        tally["with_warnings"] += any(t.warnings for t in translations)
        for translation in translations:
            for warning in translation.warnings:
                assert warning.element_id and warning.element_type and warning.message
            for transition in translation.net.transitions:
                assert transition.label is None or transition.label.strip() == transition.label
    assert tally["read"] + tally["refused"] >= 466
    assert tally["translated"] == tally["read"] >= 400  # pm4py 2.7.23 imports 371 of 466
