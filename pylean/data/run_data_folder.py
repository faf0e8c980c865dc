"""The data folder of the run in progress (Lean's Globals.DataFolder), for the objects Lean's algorithms build
themselves and that read files from it (shortable providers, map and factor file providers)."""
from __future__ import annotations

from pathlib import Path

_folder: list[Path | None] = [None]


def set_run_data_folder(folder: Path | str | None) -> None:
    _folder[0] = Path(folder) if folder is not None else None


def run_data_folder() -> Path | None:
    return _folder[0]
