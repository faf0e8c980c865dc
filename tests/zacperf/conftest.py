"""zacperf test fixtures: every test gets its own tasks/ and baselines/ roots; data lives in the
session's $ZACPERF_DATA_DIR (tests/conftest.py), so synthetic data is generated once per session."""
from __future__ import annotations

from pathlib import Path

import pytest
from zp_support import FIXTURES


@pytest.fixture()
def roots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    tasks, baselines = tmp_path / "tasks", tmp_path / "baselines"
    monkeypatch.setenv("ZACPERF_TASKS_DIR", str(tasks))
    monkeypatch.setenv("ZACPERF_BASELINES_DIR", str(baselines))
    monkeypatch.setenv("ZACPERF_NIGHTLY_DIR", str(tmp_path / "nightly"))   # per-machine perf baselines
    return {"tasks": tasks, "baselines": baselines, "tmp": tmp_path}


@pytest.fixture()
def lean_fixtures() -> Path:
    if not (FIXTURES / "zacqc-15sym-2025-10-summary.json").is_file():
        pytest.skip(f"shared fixtures not found at {FIXTURES}")
    return FIXTURES
