"""io.warm_imports: the libraries a reader needs, and the modules the command expects next, are imported on a
second thread while the input checks run; never in the window before a fork (only what is asked for there)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from procmine.io import warm_imports


@pytest.fixture
def expected_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A module nothing has imported yet, and a fresh list of expected modules."""
    (tmp_path / "procmine_expected_probe.py").write_text("VALUE = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(warm_imports, "_EXPECTED", [])
    monkeypatch.delitem(sys.modules, "procmine_expected_probe", raising=False)
    return "procmine_expected_probe"


def test_what_the_command_expects_is_imported_while_the_log_is_checked(expected_module: str) -> None:
    warm_imports.expect(expected_module)
    warm_imports.expect(expected_module)  # named twice, imported once
    assert warm_imports._EXPECTED.count(expected_module) == 1
    with warm_imports.alongside("csv"):
        pass
    assert expected_module in sys.modules  # the thread is joined when the block ends
    assert warm_imports._EXPECTED == []  # taken once: a later command in this process expects its own


def test_before_a_fork_only_the_named_libraries_are_imported(expected_module: str) -> None:
    warm_imports.expect(expected_module)
    with warm_imports.importing(("json",)):
        pass
    assert expected_module not in sys.modules
    with warm_imports.importing(("json",), and_expected=True):
        pass
    assert expected_module in sys.modules


def test_the_modules_check_expects_exist() -> None:
    # a name that does not import would silently stop the thread's imports (the command imports it later)
    from procmine.pipeline.check import CONFORMANCE_MODULES

    for name in CONFORMANCE_MODULES:
        importlib.import_module(name)
