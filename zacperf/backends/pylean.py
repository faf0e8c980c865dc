"""The pylean backend: `python -m pylean backtest ... --metrics-json PATH`, one fresh process per run.

pylean writes Lean-layout results plus an engine metrics file (schema_version 1: phases,
OnData latency, step time and algorithm time with histograms and totals, history, peak RSS,
orders, fills, symbols, dates, missing data). pylean MERGES --parameter over config.json; zacperf always passes the
full parameter set, so both backends see exactly the same parameters.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from zacperf.backends.base import RunOutcome, RunRequest
from zacperf.backends.process import run_measured
from zacperf.env import REPO_ROOT
from zacperf.errors import BackendUnavailable, ZacperfError
from zacperf.exit_codes import ExitCode, from_engine
from zacperf.redaction import redact_file

ENGINE_METRICS_SCHEMA = 1
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
               "NUMEXPR_NUM_THREADS")


def engine_env() -> dict[str, str]:
    """The engine process environment: pylean importable, hash seed fixed, BLAS single-threaded."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    env["PYTHONHASHSEED"] = "0"
    env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    for name in THREAD_VARS:
        env.setdefault(name, "1")
    return env


def build_command(request: RunRequest, metrics_path: Path, python: str = sys.executable) -> list[str]:
    command = [python, "-m", "pylean", "backtest", str(request.project), "--data-folder", str(request.data_folder),
               "--output", str(request.output), "--algorithm-id", request.algorithm_id,
               "--metrics-json", str(metrics_path)]
    for name, value in sorted(request.parameters.items()):
        command += ["--parameter", name, value]
    return command


@lru_cache(maxsize=4)
def _help_text(python: str) -> str:
    try:
        done = subprocess.run([python, "-m", "pylean", "backtest", "--help"], capture_output=True, text=True,
                              timeout=60, env=engine_env(), cwd=REPO_ROOT, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise BackendUnavailable(f"cannot start pylean ({exc})") from exc
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise BackendUnavailable(f"pylean is not runnable here: {first}")
    return done.stdout


def read_engine_metrics(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ZacperfError(f"pylean wrote no metrics file ({path}); is this pylean new enough for --metrics-json?")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ZacperfError(f"{path}: pylean's metrics file is not valid JSON ({exc.msg})") from exc
    if not isinstance(data, dict) or data.get("schema_version") != ENGINE_METRICS_SCHEMA:
        raise ZacperfError(f"{path}: unsupported pylean metrics schema {data.get('schema_version')!r} "
                           f"(zacperf reads version {ENGINE_METRICS_SCHEMA})")
    return data


class PyleanBackend:
    name = "pylean"

    def __init__(self, python: str = sys.executable) -> None:
        self.python = python

    def check(self) -> None:
        if "--metrics-json" not in _help_text(self.python):
            raise BackendUnavailable("this pylean has no --metrics-json option yet (`python -m pylean backtest "
                                     "--help`); zacperf needs it for phases, OnData latency and peak RSS")

    def run(self, request: RunRequest) -> RunOutcome:
        return self.run_with_env(request, {})

    def run_with_env(self, request: RunRequest, env: dict[str, str]) -> RunOutcome:
        """run(), with some engine environment variables replaced (the determinism check varies the hash seed)."""
        request.run_dir.mkdir(parents=True, exist_ok=True)
        metrics_path = request.run_dir / "engine-metrics.json"
        command = build_command(request, metrics_path, self.python)
        stdout, stderr = request.run_dir / "engine-stdout.log", request.run_dir / "engine-stderr.log"
        stats = run_measured(command, stdout, stderr, cwd=REPO_ROOT, env={**engine_env(), **env},
                             timeout_s=request.timeout_s,
                             on_tick=request.on_tick)
        outcome = RunOutcome(command=command, process=stats, output=request.output)
        for log in (stdout, stderr):
            redact_file(log)
        code = from_engine(stats.exit_code)
        if stats.timed_out:
            outcome.problems.append(f"timed out after {request.timeout_s:.0f} s (the scenario's measure.timeout_s)")
            code = ExitCode.BAD_INPUT
        elif code == ExitCode.BAD_INPUT:
            outcome.problems.append("pylean refused its input: " + last_line(stderr).removeprefix("pylean: error: "))
        elif code == ExitCode.ALGORITHM_ERROR and any(request.output.glob("*.json")):
            pass  # the algorithm raised: its RuntimeError is in the result files, where the harness reads it
        elif code == ExitCode.INTERRUPTED:
            outcome.problems.append(f"the engine run was interrupted (exit {stats.exit_code})")
        elif code != ExitCode.OK:
            code = ExitCode.ENGINE_FAULT
            outcome.problems.append(f"pylean exited {stats.exit_code}: " + last_line(stderr))
        outcome.failure_code = int(code)
        if metrics_path.is_file() or code in (ExitCode.OK, ExitCode.ALGORITHM_ERROR):
            try:
                outcome.engine_metrics = read_engine_metrics(metrics_path)
                outcome.engine_version = outcome.engine_metrics.get("engine_version")
            except ZacperfError as exc:
                outcome.problems.append(str(exc))
        return outcome


def last_line(path: Path) -> str:
    """The last non-empty line of a log (a failed engine's one-line reason), or a placeholder."""
    try:
        lines = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return "(no stderr)"
    return lines[-1].strip() if lines else "(no stderr)"
