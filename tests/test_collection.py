"""Collecting the tests stays fast: no test module imports pm4py (1-2 s) at its top (see conftest.py)."""

from __future__ import annotations

import pytest

from tests.conftest import PM4PY_WHILE_COLLECTING


def test_collecting_the_tests_imports_no_pm4py(request: pytest.FixtureRequest):
    assert not request.config.stash.get(PM4PY_WHILE_COLLECTING, False), (
        "a test module imports pm4py (or a procmine.adapter module) at its top: take the pm4py "
        "fixture or import inside the test"
    )
