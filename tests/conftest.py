"""Shared test helpers: paths to the data the tests own (never ../shared)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def load_vector(name: str):
    return json.loads((DATA / "vectors" / name).read_text(encoding="utf-8"))


@pytest.fixture
def data_dir() -> Path:
    return DATA
