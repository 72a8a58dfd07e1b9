"""Shared fixtures: where the public test data lives, and pm4py for the tests that compare with it.

Collecting the tests must stay fast (under 3 s): a test module must not import pm4py (1-2 s) at its top,
nor a ``procmine.adapter`` module (they import pm4py). Take the ``pm4py`` fixture, or import inside the
test; ``tests/test_collection.py`` checks this.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_LOGS = ROOT / "sample_logs"
SHARED_DATA = Path(os.environ.get("PROCMINE_SHARED_DATA", ROOT.parent / "shared" / "data"))
PM4PY_WHILE_COLLECTING = pytest.StashKey[bool]()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Note whether collecting imported pm4py (test_collection.py fails if it did)."""
    session.config.stash[PM4PY_WHILE_COLLECTING] = "pm4py" in sys.modules


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data (public logs and models); tests using it skip when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"public test data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def sample_logs() -> Path:
    return SAMPLE_LOGS


@pytest.fixture(scope="session")
def pm4py() -> ModuleType:
    """pm4py itself, imported when the first test that needs it runs (not while collecting)."""
    return pytest.importorskip("pm4py")
