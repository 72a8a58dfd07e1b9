"""Progress lines: one step per line, its time at the end, even when steps nest or notes come in between."""

from __future__ import annotations

import pytest

from procmine import progress


@pytest.fixture(autouse=True)
def _loud():
    progress.set_quiet(False)
    yield
    progress.set_quiet(False)


def _lines(err: str) -> list[str]:
    return [line.rsplit(" ", 2)[0] if line.endswith(" s") else line for line in err.splitlines()]


def test_a_step_says_its_time_on_its_own_line(capsys):
    with progress.step("reading log.csv"):
        pass
    assert _lines(capsys.readouterr().err) == ["procmine: reading log.csv ..."]


def test_nested_steps_each_get_a_whole_line(capsys):
    with progress.step("outer"), progress.step("inner"):
        pass
    err = capsys.readouterr().err
    assert _lines(err) == ["procmine: outer ...", "procmine: inner ...", "procmine: outer ..."]
    assert all(line.endswith(" s") for line in err.splitlines()[1:])


def test_a_note_inside_a_step_does_not_split_a_line(capsys):
    with progress.step("aligning"):
        progress.note("a variant was not aligned")
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "procmine: aligning ..."
    assert err[1] == "procmine: a variant was not aligned"
    assert err[2].startswith("procmine: aligning ... ") and err[2].endswith(" s")


def test_a_failing_step_says_failed(capsys):
    with pytest.raises(ValueError), progress.step("drawing"):
        raise ValueError("x")
    assert capsys.readouterr().err == "procmine: drawing ... failed\n"


def test_quiet_prints_nothing(capsys):
    progress.set_quiet(True)
    with progress.step("reading"):
        progress.note("n")
    assert capsys.readouterr().err == ""
