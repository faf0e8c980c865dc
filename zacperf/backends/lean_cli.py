"""The Lean CLI backend: `lean backtest` in Docker, results straight into the run folder.

Command shape (asserted in tests):
  lean backtest <project copy> --output <run>/output --no-update --image <pinned image>
       --lean-config <run>/lean.json --backtest-name zacperf-<label>
       --extra-config algorithm-id <numeric id> --extra-docker-config {"name": "zacperf-<id>"}
       --parameter NAME VALUE ...   (the FULL set: --parameter replaces config.json's parameters)

Reproducibility and safety:
* the CLI's daily database update would rewrite market-hours and symbol-properties inside the
  (shared) data folder. The per-run lean.json stamps `file-database-last-update` with now, and
  `ensure_database_updates_off` sets the CLI option `database-update-frequency` to "-".
* the project is copied into the run folder: the CLI writes `local-id` into a project's
  config.json and a `backtests/` folder next to it; the original project stays untouched.
* the container gets a name of its own, so its memory is sampled with `docker stats` (the engine
  runs in the container; the `lean` client's RSS is meaningless, R-1).
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from zacperf.backends.base import RunOutcome, RunRequest
from zacperf.backends.process import run_measured
from zacperf.env import REPO_ROOT, read_lean_json
from zacperf.errors import BackendUnavailable, ZacperfError
from zacperf.scenarios import DEFAULT_LEAN_IMAGE

_SKIP = {"backtests", "optimizations", "live", "storage", "__pycache__", ".ipynb_checkpoints", ".idea", ".vscode"}
_MEM_RE = re.compile(r"^\s*([\d.]+)\s*([KMGT]?i?B)", re.IGNORECASE)
_UNITS = {"b": 1, "kb": 1000, "mb": 1000 ** 2, "gb": 1000 ** 3, "tb": 1000 ** 4,
          "kib": 1024, "mib": 1024 ** 2, "gib": 1024 ** 3, "tib": 1024 ** 4}

Runner = Callable[..., "subprocess.CompletedProcess[str]"]


def numeric_algorithm_id(text: str) -> str:
    """The CLI wants an integer id: "1" + 9 digits derived from the run label (stable per run)."""
    return "1" + f"{zlib.crc32(text.encode()) % 1_000_000_000:09d}"


def check_image(image: str) -> str:
    if not image or ":" not in image.rsplit("/", 1)[-1] or image.endswith(":latest"):
        raise ZacperfError(f"the lean backend needs a pinned engine image (e.g. {DEFAULT_LEAN_IMAGE}), got {image!r}")
    return image


def build_command(request: RunRequest, project: Path, lean_config: Path, container: str,
                  lean: str = "lean") -> list[str]:
    command = [lean, "backtest", str(project), "--output", str(request.output), "--no-update",
               "--image", check_image(request.lean_image or DEFAULT_LEAN_IMAGE), "--lean-config", str(lean_config),
               "--backtest-name", f"zacperf-{request.label}",
               "--extra-config", "algorithm-id", numeric_algorithm_id(request.algorithm_id),
               "--extra-docker-config", json.dumps({"name": container})]
    for name, value in sorted(request.parameters.items()):
        command += ["--parameter", name, value]
    return command


def write_lean_config(source: Path | None, data_folder: Path, target: Path, now: datetime | None = None) -> Path:
    """The run's lean.json: the repo's settings, an absolute data folder, and a fresh database stamp."""
    config: dict[str, Any] = read_lean_json(source) if source is not None and source.is_file() else {}
    config["data-folder"] = str(data_folder.resolve())
    config["file-database-last-update"] = (now or datetime.now()).strftime("%m/%d/%Y %H:%M:%S")
    config.pop("description", None)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(config, indent=1) + "\n")
    return target


def copy_project(project: Path, target: Path) -> Path:
    if not (project / "main.py").is_file():
        raise ZacperfError(f"algorithm project not found: {project} has no main.py")

    def ignore(folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n in _SKIP or n.endswith(".pyc")}

    shutil.copytree(project, target, ignore=ignore)
    return target


def ensure_database_updates_off(lean: str = "lean", runner: Runner = subprocess.run,
                                notify: Callable[[str], None] | None = None) -> None:
    """Switch the CLI's periodic market-hours/symbol-properties download off (lean config, "-")."""
    try:
        current = runner([lean, "config", "get", "database-update-frequency"], capture_output=True, text=True,
                         timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise BackendUnavailable(f"cannot run `{lean} config get`: {exc}") from exc
    value = (current.stdout or "").strip()
    if current.returncode == 0 and value and not any(ch.isdigit() for ch in value):
        return
    done = runner([lean, "config", "set", "database-update-frequency", "-"], capture_output=True, text=True,
                  timeout=60)
    if done.returncode != 0:
        raise BackendUnavailable("cannot switch off the Lean CLI's daily database update "
                                 f"(`{lean} config set database-update-frequency -` failed)")
    if notify:
        notify("zacperf: set the Lean CLI option database-update-frequency to \"-\" (no automatic rewrites of "
               "market-hours/symbol-properties in the data folder)")


def parse_mem_usage(text: str) -> int | None:
    """`docker stats` MemUsage ("1.1GiB / 15.5GiB") -> bytes used."""
    match = _MEM_RE.match(text or "")
    if not match:
        return None
    return int(float(match.group(1)) * _UNITS.get(match.group(2).lower(), 1))


class DockerSampler:
    """Samples the named container's memory with `docker stats` in a background thread."""

    def __init__(self, container: str, docker: str = "docker", interval_s: float = 1.0) -> None:
        self.container, self.docker, self.interval_s = container, docker, interval_s
        self.peak: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="zacperf-docker-stats", daemon=True)

    def start(self) -> DockerSampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)

    def __call__(self) -> int | None:
        """The highest memory use seen so far (bytes), or None before the first sample."""
        return self.peak

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                done = subprocess.run(check=False, args=[self.docker, "stats", "--no-stream", "--format", "{{.MemUsage}}",
                                       self.container], capture_output=True, text=True, timeout=20)
                if done.returncode == 0:
                    value = parse_mem_usage(done.stdout.strip())
                    if value is not None:
                        self.peak = max(self.peak or 0, value)
            except (OSError, subprocess.SubprocessError):
                pass
            self._stop.wait(self.interval_s)


def _stamp(text: str | None) -> datetime | None:
    if not text:
        return None
    head = text.rstrip("Z")
    head = head[:26] if "." in head else head
    try:
        return datetime.fromisoformat(head).replace(tzinfo=UTC)
    except ValueError:
        return None


class LeanCliBackend:
    name = "lean"

    def __init__(self, lean: str = "lean", docker: str = "docker", runner: Runner = subprocess.run) -> None:
        self.lean, self.docker, self.runner = lean, docker, runner
        self.notify: Callable[[str], None] | None = None

    def check(self) -> None:
        if shutil.which(self.lean) is None:
            raise BackendUnavailable("the lean backend needs the Lean CLI: `pip install -e \".[lean]\"` (or `pip install "
                                     "lean`); `lean` is not on PATH")
        self._check_lean_starts()
        if shutil.which(self.docker) is None:
            raise BackendUnavailable("the lean backend needs Docker; `docker` is not on PATH")
        try:
            info = self.runner([self.docker, "info", "--format", "{{.ServerVersion}}"], capture_output=True,
                               text=True, timeout=30)
        except (OSError, subprocess.SubprocessError) as exc:
            raise BackendUnavailable(f"Docker is not usable: {exc}") from exc
        if info.returncode != 0:
            reason = (info.stderr or "").strip().splitlines()[-1:] or ["no answer"]
            raise BackendUnavailable(f"Docker is not running or not reachable: {reason[0]}")
        ensure_database_updates_off(self.lean, self.runner, self.notify)

    def _check_lean_starts(self) -> None:
        """`lean --version` must work: the CLI downloads its modules list at start-up and fails without network."""
        hint = "the Lean CLI fetches its modules list from the network at start-up; is there network access?"
        try:
            done = self.runner([self.lean, "--version"], capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired as exc:
            raise BackendUnavailable(f"the Lean CLI does not start: `{self.lean} --version` timed out ({hint})") from exc
        except OSError as exc:
            raise BackendUnavailable(f"the Lean CLI does not start: {exc}") from exc
        if done.returncode != 0:
            lines = [line.strip() for line in ((done.stderr or "") + "\n" + (done.stdout or "")).splitlines()
                     if line.strip()]
            reason = lines[-1] if lines else "no output"
            raise BackendUnavailable(f"the Lean CLI is installed but does not start: `{self.lean} --version` exited "
                                     f"{done.returncode}: {reason[:200]} ({hint})")

    def run(self, request: RunRequest) -> RunOutcome:
        request.run_dir.mkdir(parents=True, exist_ok=True)
        project = copy_project(request.project, request.run_dir / "project")
        lean_config = write_lean_config(REPO_ROOT / "lean.json", request.data_folder, request.run_dir / "lean.json")
        container = f"zacperf-{numeric_algorithm_id(request.algorithm_id)}-{request.label}"
        command = build_command(request, project, lean_config, container, self.lean)
        stdout, stderr = request.run_dir / "engine-stdout.log", request.run_dir / "engine-stderr.log"
        sampler = DockerSampler(container, self.docker).start()
        launched = datetime.now(UTC)
        try:
            stats = run_measured(command, stdout, stderr, cwd=request.run_dir, timeout_s=request.timeout_s,
                                 on_tick=request.on_tick, extra_sampler=sampler)
        finally:
            sampler.stop()
        if stats.peak_rss_bytes is None and sampler.peak is not None:   # a sample that landed after the exit
            stats.peak_rss_bytes = sampler.peak
        if stats.timed_out:
            subprocess.run([self.docker, "stop", container], capture_output=True, timeout=90, check=False)
        outcome = RunOutcome(command=command, process=stats, output=request.output,
                             engine_version=request.lean_image or DEFAULT_LEAN_IMAGE)
        if stats.exit_code != 0:
            outcome.problems.append(f"lean backtest exited {stats.exit_code} (see {stdout.name})")
            outcome.failure_code = 130 if stats.exit_code in (-2, -15, 130, 143) else 2
        outcome.extra_phases = self._phases(request.output, launched, stats.wall_s)
        return outcome

    @staticmethod
    def _phases(output: Path, launched: datetime, wall_s: float) -> dict[str, float]:
        """Container start and teardown from the engine log's first/last time stamps (R-6)."""
        from zacperf.leanout import parse_log
        log = output / "log.txt"
        if not log.is_file():
            return {}
        facts = parse_log(log.read_text(errors="replace").splitlines())
        first, last = _stamp(facts.first_stamp), _stamp(facts.last_stamp)
        if first is None or last is None:
            return {}
        startup = max((first - launched).total_seconds(), 0.0)
        return {"startup": round(startup, 3),
                "teardown": round(max(wall_s - startup - (last - first).total_seconds(), 0.0), 3)}
