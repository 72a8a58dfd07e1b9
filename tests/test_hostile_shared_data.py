"""Malformed files from public test suites: bpmn.io's parser fixtures (malformed XML, fragments, models
without a process) as the model of ``check``, and the XES standard's edge-case files as logs. Each is
read, or refused with exit 2 and one line naming the file; never a traceback, never an internal error.
Skipped when the public test data is absent (``PROCMINE_SHARED_DATA``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from procmine.cli import run
from tests.conftest import SHARED_DATA

FIXTURES = SHARED_DATA / "models" / "bpmn_moddle_fixtures"
MALFORMED_MODELS = sorted([*FIXTURES.glob("error/*.bpmn"), *FIXTURES.glob("*.part.bpmn")])
XES_EDGE_CASES = sorted((SHARED_DATA / "logs" / "pm4py" / "xes_importer_tests").glob("*.xes"))
LOG = SHARED_DATA / "logs" / "pm4py" / "input_data" / "running-example.xes"


def _one_clean_outcome(code: int, err: str, path: Path) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert "Traceback" not in err and "internal error" not in err, err
    assert code in (0, 1, 2), (code, err)
    if code == 2:
        assert len(lines) == 1 and lines[0].startswith(f"procmine: error: {path}: "), err


@pytest.mark.parametrize("model", MALFORMED_MODELS, ids=lambda p: p.name)
def test_malformed_bpmn_is_checked_or_refused_in_one_line(
    shared_data: Path, model: Path, capsys, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code = run(["--quiet", "check", str(model), str(LOG), "-o", str(out)], debug=False)
    _one_clean_outcome(code, capsys.readouterr().err, model)
    if code == 2:
        assert not out.exists() and list(tmp_path.iterdir()) == []  # nothing half-written, nothing left
    if model.name.endswith(".part.bpmn"):
        assert code == 2


@pytest.mark.parametrize("log", XES_EDGE_CASES, ids=lambda p: p.name)
def test_xes_edge_cases_are_read_or_refused_in_one_line(shared_data: Path, log: Path, capsys) -> None:
    code = run(["--quiet", "inspect", str(log)], debug=False)
    _one_clean_outcome(code, capsys.readouterr().err, log)
