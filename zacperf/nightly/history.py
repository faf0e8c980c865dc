"""The nightly history: one JSON line per scenario per nightly run, in <nightly home>/history.jsonl.

Each line: schema_version, created_utc, commit (and dirty), the baseline's commit, machine
fingerprint, scenario, the medians of every figure, the gate results (metric, ratio, p-value,
verdict), the parity verdict and the exit code. The file is rewritten atomically on each append.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from zacperf.env import write_text_atomic

SCHEMA_VERSION = 1


def history_path(home: Path) -> Path:
    return home / "history.jsonl"


def read_history(path: Path) -> list[dict[str, Any]]:
    """Every readable line; a line that is not JSON (a torn copy) is skipped, not fatal."""
    if not path.is_file():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(entry, dict):
            entries.append(entry)
    return entries


def append_history(path: Path, entries: list[Mapping[str, Any]]) -> None:
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    if old and not old.endswith("\n"):
        old += "\n"
    new = "".join(json.dumps({"schema_version": SCHEMA_VERSION, **e}, sort_keys=True, default=str) + "\n"
                  for e in entries)
    write_text_atomic(path, old + new)
