"""Shared helpers of the zacperf tests (a module with a unique name, importable from the test files)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
STANDIN = HERE / "scenarios" / "standin.toml"
FIXTURES = Path(os.environ.get("ZACPERF_SHARED_DIR", REPO.parent / "shared")) / "fixtures" / "lean-output"


def write_scenario(folder: Path, text: str, name: str = "s.toml") -> Path:
    path = folder / name
    path.write_text(text)
    return path


def copy_standin(tmp: Path) -> Path:
    target = tmp / "standin"
    shutil.copytree(HERE / "algorithms" / "standin", target)
    return target
