"""``procmine lint`` over every public model file: no traceback, every file linted or refused by name."""

from __future__ import annotations

import json

import pytest

from procmine.cli import run
from tests.schema import assert_valid_report


@pytest.mark.shared_data
@pytest.mark.slow
def test_lint_every_shared_model_without_a_traceback(shared_data, capsys):
    models = shared_data / "models"
    every = sorted(str(p) for p in models.rglob("*.bpmn"))
    code = run(
        ["lint", str(models), "--format", "json", "--preset", "all", "--state-limit", "5000"], debug=False
    )
    captured = capsys.readouterr()
    assert code == 2  # some files are malformed on purpose (bpmn.io's error fixtures, fragments)
    assert "Traceback" not in captured.err and "internal error" not in captured.err
    data = json.loads(captured.out)
    assert_valid_report(data)
    linted = {f["file"] for f in data["lint"]["files"]}
    unreadable = {u["file"]: u["cause"] for u in data["lint"]["unreadable"]}
    assert linted | set(unreadable) == set(every) and not linted & set(unreadable)
    assert all(cause.strip() for cause in unreadable.values())
    refused = [line for line in captured.err.splitlines() if line.startswith("procmine: error: ")]
    assert len(refused) == len(unreadable)
    not_bpmn = str(models / "bpmn_moddle_fixtures" / "error" / "not-bpmn.bpmn")
    assert "not a BPMN 2.0 document" in unreadable[not_bpmn]
    assert len(linted) > 300  # the MIWG exports, pm4py's and the paired models are all readable
    kinds = {f["kind"] for f in data["findings"]}
    assert {"no-duplicate-ids", "label-required", "no-deadlock", "conformance-checkable"} <= kinds
