"""The framework model tests reuse the order tests' mini Lean data folder (tests/pylean/orders/orders_support.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "orders"))

from orders_support import MiniData  # noqa: E402


@pytest.fixture
def data(tmp_path: Path, lean_data: Path) -> MiniData:
    return MiniData(tmp_path / "data", lean_data)
