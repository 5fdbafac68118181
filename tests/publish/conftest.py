"""A copy of the published corpus (tests/conftest.py) that a test may tamper with."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DAY = "2026-11-24"  # as tests/conftest.py publishes the corpus


@pytest.fixture
def copy(published, tmp_path) -> Path:
    """A copy of the published folder that a test may tamper with."""
    return Path(shutil.copytree(published, tmp_path / "publications"))
