"""Shared fixtures: where the public test data lives, and pm4py and scipy.stats for the tests that compare
with them.

Collecting the tests must stay fast (under 3 s): a test module must not import pm4py (1-2 s) or
scipy.stats (about 1 s) at its top, nor a ``procmine.adapter`` module (they import pm4py). Take the
``pm4py`` or ``scipy_stats`` fixture, or import inside the test; ``tests/test_collection.py`` checks this.
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
HEAVY_IMPORTS = ("pm4py", "scipy.stats")  # imported by tests, never while collecting them
HEAVY_WHILE_COLLECTING = pytest.StashKey[list[str]]()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Note which heavy modules collecting imported (test_collection.py fails if any)."""
    session.config.stash[HEAVY_WHILE_COLLECTING] = [m for m in HEAVY_IMPORTS if m in sys.modules]


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


@pytest.fixture(scope="session")
def scipy_stats() -> ModuleType:
    """scipy.stats, the independent computation for the significance tests, imported when first needed."""
    return pytest.importorskip("scipy.stats")
