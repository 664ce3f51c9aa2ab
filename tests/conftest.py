"""Shared test helpers: paths to the data the tests own (never ../shared)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests run the same examples on every run, so CI passes or fails for the code, not for the dice.
# LSVIEW_HYPOTHESIS=explore draws new examples (and ten times more of them) to hunt for new failures.
settings.register_profile("repeatable", derandomize=True, deadline=None)
settings.register_profile("explore", deadline=None, max_examples=1000)
settings.load_profile(os.environ.get("LSVIEW_HYPOTHESIS", "repeatable"))

DATA = Path(__file__).parent / "data"


def load_vector(name: str):
    return json.loads((DATA / "vectors" / name).read_text(encoding="utf-8"))


@pytest.fixture
def data_dir() -> Path:
    return DATA
