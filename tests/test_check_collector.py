"""The check lets Python's cyclic garbage collector rest while its inputs are read and leaves the objects
that exist then out of later collections (frozen) until it ends; nothing of this outlives the run, and a
refused input leaves the collector as it was."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from procmine.errors import InputError
from procmine.pipeline import check, inputs


def _options() -> check.CheckOptions:
    return check.CheckOptions(processes=1, precision=False)


def test_the_collector_rests_while_reading_and_old_objects_are_frozen_meanwhile(
    sample_logs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, object] = {}
    read_inputs, conform = check.read_inputs, check.conform

    def reading(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen["enabled while reading"] = gc.isenabled()
        return read_inputs(*args, **kwargs)

    def conforming(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen["enabled after reading"] = gc.isenabled()
        seen["frozen after reading"] = gc.get_freeze_count()
        return conform(*args, **kwargs)

    monkeypatch.setattr(check, "read_inputs", reading)
    monkeypatch.setattr(check, "conform", conforming)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    model, log = sample_logs / "complaints_documented.bpmn", sample_logs / "complaints.csv"
    outcome = check.run(model, log, {}, _options())
    assert outcome.report.sections["conformance"] is not None
    assert seen["enabled while reading"] is False
    assert seen["enabled after reading"] is True and seen["frozen after reading"] > 1000
    assert gc.isenabled() and gc.get_freeze_count() == 0  # all undone


def test_a_refused_input_leaves_the_collector_as_it_was(tmp_path: Path, sample_logs: Path) -> None:
    with pytest.raises(InputError):
        check.run(sample_logs / "complaints_documented.bpmn", tmp_path / "missing.csv", {}, _options())
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_objects_frozen_before_stay_frozen_and_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with inputs.old_objects_left_alone() as inputs_read:
            inputs_read()
        assert gc.get_freeze_count() >= before > 0 and not gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()
