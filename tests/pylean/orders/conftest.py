"""The `data` fixture of the order tests: an empty mini Lean data folder (see orders_support.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from orders_support import MiniData


@pytest.fixture
def data(tmp_path: Path, lean_data: Path) -> MiniData:
    return MiniData(tmp_path / "data", lean_data)
