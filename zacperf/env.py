"""Where things live and what machine we are on: repo root, data dir, Lean data folder, one UTC clock.

Every timestamp zacperf writes comes from `utc_now()` (pain point R-16: one clock, always UTC).
"""
from __future__ import annotations

import contextlib
import json
import os
import platform
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from collections.abc import Iterator

from zacperf.errors import ZacperfError

REPO_ROOT = Path(__file__).resolve().parents[1]


def repo_path(text: str | Path) -> Path:
    """An absolute path as given; a relative one under the repository root."""
    path = Path(text)
    return path if path.is_absolute() else REPO_ROOT / path


def repo_rel(path: str | Path) -> str:
    """The path relative to the repository root when it lies inside it, else as given."""
    try:
        return str(Path(path).resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def write_text_atomic(path: Path, text: str) -> None:
    """Write a sibling temp file, then rename it over `path` (readers never see half a file); secrets masked."""
    from zacperf.redaction import redact_text

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(redact_text(text), encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)   # a full disk leaves the old file, not a stray temp file
        raise


@contextlib.contextmanager
def locked(handle: IO[Any]) -> Iterator[None]:
    """An exclusive advisory lock on an open file (appends from concurrent runs never interleave)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: O_APPEND alone
        yield
        return
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
    try:
        yield
    finally:
        handle.flush()
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def utc_now() -> datetime:
    return datetime.now(UTC)


def utc_iso(moment: datetime | None = None) -> str:
    """2026-11-25T15:08:21Z (second precision, always UTC)."""
    return (moment or utc_now()).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_run_id(moment: datetime | None = None) -> str:
    """20261125T150821Z: sortable and safe as a folder name."""
    return (moment or utc_now()).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def data_dir() -> Path:
    """Generated data and caches: $ZACPERF_DATA_DIR, default ~/.cache/zacperf (never inside the repo)."""
    env = os.environ.get("ZACPERF_DATA_DIR")
    return Path(env).expanduser().resolve() if env else Path.home() / ".cache" / "zacperf"


def read_lean_json(path: Path) -> dict[str, Any]:
    """lean.json allows // comment lines (the Lean CLI reads it leniently)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ZacperfError(f"cannot read {path}: {exc.strerror}") from exc
    stripped = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    try:
        config = json.loads(stripped)
    except json.JSONDecodeError as exc:
        raise ZacperfError(f"{path}: invalid JSON ({exc.msg} at line {exc.lineno})") from exc
    if not isinstance(config, dict):
        raise ZacperfError(f"{path}: expected a JSON object")
    return config


def lean_data_folder(lean_json: Path | None = None) -> Path:
    """$LEAN_DATA_FOLDER, else the "data-folder" of lean.json (relative to that file)."""
    env = os.environ.get("LEAN_DATA_FOLDER")
    if env:
        return Path(env).expanduser().resolve()
    path = lean_json or REPO_ROOT / "lean.json"
    if not path.is_file():
        raise ZacperfError(f"no Lean data folder: set LEAN_DATA_FOLDER or create {path} with a \"data-folder\"")
    folder = read_lean_json(path).get("data-folder")
    if not isinstance(folder, str) or not folder:
        raise ZacperfError(f"{path}: no \"data-folder\" entry (or set LEAN_DATA_FOLDER)")
    return (path.parent / folder).resolve()


def git_revision() -> dict[str, Any]:
    """Commit and dirty flag of the repository's working tree; 'unknown' outside git."""
    def run(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10,
                                  check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = run("rev-parse", "HEAD")
    status = run("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit or "unknown", "dirty": bool(status) if status is not None else None}


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info() -> dict[str, Any]:
    """Recorded with every result (R-2): host, CPU, cores, memory, Python."""
    try:
        import psutil
        memory = int(psutil.virtual_memory().total)
    except Exception:  # noqa: BLE001 - psutil is a dependency, but a measurement must not die for want of it
        memory = None
    return {"host": socket.gethostname(), "cpu_model": cpu_model(), "cpu_count": os.cpu_count(),
            "memory_bytes": memory, "platform": platform.platform(), "python": sys.version.split()[0]}
