"""Per-machine perf baselines: <nightly home>/perf-baselines/<machine fingerprint>/<scenario>.json.

They hold the raw samples of every figure, the calibration samples they were normalized with, the
machine facts, the commit and the parameter and data fingerprints. They are written only by
`perf_harness.py --refresh-perf-baseline` (never by `--update-baseline`, which records golden trades)
and live apart from the golden baselines in baselines/, outside the repository.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from zacperf.env import write_text_atomic
from zacperf.errors import ZacperfError
from zacperf.nightly.calibration import CALIBRATION_VERSION
from zacperf.nightly.machine import machine_fingerprint, nightly_home

SCHEMA_VERSION = 2   # 2: floors (chunk rows, process CPU) and the calibration floor
KIND = "zacperf-perf-baseline"


def scenario_slug(name: str) -> str:
    return name.replace("/", "__")


def baseline_path(home: Path, fingerprint: str, scenario: str) -> Path:
    return home / "perf-baselines" / fingerprint / f"{scenario_slug(scenario)}.json"


def write_baseline(path: Path, doc: dict[str, Any]) -> Path:
    doc = {"schema_version": SCHEMA_VERSION, "kind": KIND, **doc}
    write_text_atomic(path, json.dumps(doc, indent=1, default=str) + "\n")
    return path


def load_baseline(path: Path, scenario: str, parameter_hash: str) -> dict[str, Any]:
    """The stored baseline, checked; a missing or incompatible one is a one-line ZacperfError."""
    if not path.is_file():
        raise ZacperfError(f"no perf baseline for {scenario} on this machine ({path.parent.name}); record one with "
                           f"`python tools/perf_harness.py --refresh-perf-baseline --scenarios {scenario}`")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ZacperfError(f"cannot read perf baseline {path}: {exc}") from exc
    if doc.get("kind") != KIND or doc.get("schema_version") != SCHEMA_VERSION:
        raise ZacperfError(f"{path}: not a perf baseline of schema {SCHEMA_VERSION}; refresh it")
    if (doc.get("calibration") or {}).get("version") != CALIBRATION_VERSION:
        raise ZacperfError(f"{path}: recorded with calibration workload v{(doc.get('calibration') or {}).get('version')}"
                           f", this is v{CALIBRATION_VERSION}; refresh it with --refresh-perf-baseline")
    if doc.get("parameter_hash") != parameter_hash:
        raise ZacperfError(f"{path}: recorded with other parameters ({str(doc.get('parameter_hash'))[:19]}…); "
                           "refresh it with --refresh-perf-baseline")
    return doc


def machine_baseline(scenario: str, parameter_hash: str, home: Path | None = None) -> dict[str, Any] | None:
    """This machine's perf baseline of the scenario (the harness's --check-regression and progress bar),
    None when there is none or it was recorded for other parameters or an older schema."""
    path = baseline_path(home or nightly_home(), machine_fingerprint(), scenario)
    try:
        return load_baseline(path, scenario, parameter_hash)
    except ZacperfError:
        return None
