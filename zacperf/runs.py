"""Run folders: `tasks/<feature>/runs/<UTC run id>/`, provenance, atomic writes, the decision log.

Layout of one run folder (relative paths only, R-15):
  test-report.md, stdout.log, stderr.log, metrics.json, command.txt, scenario.toml (copy)
  <label>/output/          Lean result files of each measured run (run1, run2, ... or off1, on1, ...)
  <label>/engine-*.log     the engine process's own stdout/stderr, engine-metrics.json (pylean)
  ondata-latency.png, stage-breakdown.png, equity-curve.png
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pylean.failures import unwritable
from zacperf import __version__
from zacperf.errors import ZacperfError
from zacperf.env import (
    REPO_ROOT,
    git_revision,
    machine_info,
    repo_path,
    utc_iso,
    utc_now,
    utc_run_id,
    locked,
    write_text_atomic,
)

DEFAULT_FEATURE = "perf-runs"


def tasks_root() -> Path:
    env = os.environ.get("ZACPERF_TASKS_DIR")
    return Path(env).resolve() if env else REPO_ROOT / "tasks"


def check_writable(folder: Path, what: str) -> None:
    """The nearest existing folder on the way to `folder` accepts a new file; ZacperfError (exit 2) if not."""
    reason = unwritable(folder)
    if reason is not None:
        raise ZacperfError(f"{what} {folder}{reason}")


def write_json_atomic(path: Path, value: Any) -> None:
    write_text_atomic(path, json.dumps(value, indent=1, default=str) + "\n")


def resolve_feature(name: str | None, root: Path | None = None) -> Path:
    """tasks/<name>, or the single tasks/<name>-<UTC> pack; created (full pack layout) when absent."""
    root = root or tasks_root()
    name = name or DEFAULT_FEATURE
    if "/" in name or name.startswith("."):
        folder = repo_path(Path(name).expanduser()).resolve()
        if folder.is_dir():
            return folder
        return _create_once(folder.name, folder.parent)
    exact = root / name
    if exact.is_dir():
        return exact
    matches = sorted(p for p in root.glob(f"{name}-*") if p.is_dir()) if root.is_dir() else []
    if len(matches) == 1:
        return matches[0]
    return _create_once(name, root)


def _create_once(name: str, root: Path) -> Path:
    """Create the pack beside its place and rename it in: when two runs create it at once, one wins, both use it."""
    from zacperf.feature_pack import create_pack

    staging = root / f".{name}.creating-{os.getpid()}"
    try:
        built = create_pack(name, root=staging, exact_name=True)
        target = root / built.name
        try:
            os.rename(built, target)
        except OSError:
            if not target.is_dir():
                raise
        return target
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@dataclass
class RunFolder:
    feature: Path
    path: Path
    run_id: str

    def rel(self, target: Path) -> str:
        try:
            return str(target.relative_to(self.path))
        except ValueError:
            return str(target)

    def feature_rel(self) -> str:
        return str(self.path.relative_to(self.feature))


def new_run_folder(feature: Path) -> RunFolder:
    runs = feature / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    run_id = utc_run_id()
    path, n = runs / run_id, 1
    while True:
        try:
            path.mkdir()
            break
        except FileExistsError:
            n += 1
            path = runs / f"{run_id}-{n}"
    return RunFolder(feature=feature, path=path, run_id=path.name)


def provenance(data: dict[str, Any], parameters_hash: str, backend: str, engine_version: str | None) -> dict[str, Any]:
    return {"zacperf_version": __version__, "created_utc": utc_iso(), "git": git_revision(),
            "machine": machine_info(), "backend": backend, "engine_version": engine_version,
            "data": data, "parameter_hash": parameters_hash,
            "env": {k: os.environ[k] for k in ("PYLEAN_CACHE_DIR", "ZACPERF_DATA_DIR", "LEAN_DATA_FOLDER")
                    if k in os.environ}}


def append_decision_log(feature: Path, line: str) -> None:
    """One line per run; appended under a lock so concurrent runs neither interleave nor truncate."""
    path = feature / "decision-log.md"
    with open(path, "a", encoding="utf-8") as handle, locked(handle):
        if handle.seek(0, os.SEEK_END) == 0:
            handle.write(f"# Decision log — {feature.name}\n\n")
        handle.write(line.rstrip("\n") + "\n")


def decision_line(run: RunFolder, scenario: str, backend: str, verdict: str, headline: dict[str, Any],
                  parameter_hash: str, revision: str) -> str:
    def num(value: Any, fmt: str) -> str:
        return format(value, fmt) if isinstance(value, (int, float)) else "n/a"

    return (f"- {utc_iso(utc_now())} | perf-run | scenario={scenario} backend={backend} | {verdict} | "
            f"dps={num(headline.get('data_points_per_s'), ',.0f')} "
            f"ondata_p95_us={num(headline.get('on_data_p95_us'), '.1f')} "
            f"warmup_s={num(headline.get('warmup_s'), '.3f')} wall_s={num(headline.get('wall_s'), '.2f')} | "
            f"params={parameter_hash[7:19]} rev={revision[:10]} | {run.feature_rel()}/test-report.md")


def copy_into(run: RunFolder, source: Path, name: str) -> None:
    try:
        shutil.copy2(source, run.path / name)
    except OSError:
        pass
