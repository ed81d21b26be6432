from __future__ import annotations

import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@pytest.fixture(scope="session")
def default_cleaner():
    """One engine with the built-in plugins only (no third-party autoload)."""
    from cleaner import Cleaner

    return Cleaner(autoload=False)
