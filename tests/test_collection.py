"""Collecting the tests stays fast: no test module imports pm4py or scipy.stats at its top (conftest.py)."""

from __future__ import annotations

import pytest

from tests.conftest import HEAVY_WHILE_COLLECTING


def test_collecting_the_tests_imports_nothing_heavy(request: pytest.FixtureRequest):
    heavy = request.config.stash.get(HEAVY_WHILE_COLLECTING, [])
    assert not heavy, (
        f"collecting the tests imported {heavy}: a test module imports it (or a procmine.adapter module) "
        "at its top; take the pm4py or scipy_stats fixture, or import inside the test"
    )
