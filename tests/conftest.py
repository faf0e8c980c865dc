"""Shared fixtures: where the read-only reference material (../shared) lives."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

REPO_ROOT = Path(__file__).resolve().parents[1]

# Property tests check results, never speed: hypothesis's default 200 ms deadline per example turns a
# loaded machine (CI on 2 cores, benchmarks alongside) into failures, so no test has one.
settings.register_profile("no-deadline", deadline=None)
settings.load_profile("no-deadline")


def shared_dir() -> Path:
    """The reference folder: $ZACPERF_SHARED_DIR, else ../shared beside the repository."""
    return Path(os.environ.get("ZACPERF_SHARED_DIR", REPO_ROOT.parent / "shared")).resolve()


def lean_data_dir() -> Path:
    """The Lean data folder: $LEAN_DATA_FOLDER, else ../shared/lean-data."""
    env = os.environ.get("LEAN_DATA_FOLDER")
    return Path(env).resolve() if env else shared_dir() / "lean-data"


@pytest.fixture(scope="session")
def shared() -> Path:
    path = shared_dir()
    assert path.is_dir(), f"reference folder not found: {path} (set ZACPERF_SHARED_DIR)"
    return path


@pytest.fixture(scope="session")
def lean_data() -> Path:
    path = lean_data_dir()
    assert (path / "market-hours").is_dir(), f"Lean data folder not found: {path} (set LEAN_DATA_FOLDER)"
    return path


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never touch the user's real caches."""
    os.environ.setdefault("PYLEAN_CACHE_DIR", str(tmp_path_factory.mktemp("pylean-cache")))
    os.environ.setdefault("ZACPERF_DATA_DIR", str(tmp_path_factory.mktemp("zacperf-data")))
