"""Run each selected algorithm in its own process (`python -m pylean backtest ...`, a timeout each, at most
`jobs` at a time) with the parameters Lean's regression runner passes, and read what it left behind."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pylean.conformance.checkout import Algorithm
from pylean.conformance.compare import ERROR, TIMEOUT, Observed, classify
from pylean.conformance.expectations import Expectation, ExpectationError, read_expectation

_HASH_LINE = re.compile(r"STATISTICS:: OrderListHash (\S+)")
CAUSE_WIDTH = 200


@dataclass(frozen=True)
class RunSettings:
    data_folder: Path
    lean_root: Path
    parameters: dict[str, str]
    timeout_s: float


@dataclass
class AlgorithmResult:
    name: str
    klass: str
    outcome: str
    cause: str = ""                      # errors and timeouts: why
    cause_group: str = ""                # the cause with the algorithm's own class name generalized
    differences: list[str] = field(default_factory=list)
    seconds: float = 0.0
    status: str | None = None
    data_points: int | None = None
    history_data_points: int | None = None
    order_list_hash: str | None = None
    custom_configurations: dict[str, str] = field(default_factory=dict)  # Lean's; pylean has no such settings

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def run_all(algorithms: Iterable[Algorithm], settings: RunSettings, jobs: int,
            progress: Callable[[AlgorithmResult], None] | None = None) -> list[AlgorithmResult]:
    """Every algorithm in its own process, `jobs` at a time; results in the input order."""
    chosen = list(algorithms)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run_one, algorithm, settings) for algorithm in chosen]
        results = []
        for future in futures:
            result = future.result()
            if progress is not None:
                progress(result)
            results.append(result)
    return results


def run_one(algorithm: Algorithm, settings: RunSettings) -> AlgorithmResult:
    result = AlgorithmResult(algorithm.name, algorithm.klass, ERROR)
    try:
        expectation = read_expectation(algorithm.csharp_file)
    except ExpectationError as exc:
        result.cause = f"C# twin: {exc}"
        return result
    result.custom_configurations = dict(expectation.custom_configurations)
    if not algorithm.python_file.is_file():
        result.cause = f"no Python algorithm {algorithm.python_file.name}"
        return result
    with tempfile.TemporaryDirectory(prefix=f"pylean-conformance-{algorithm.name}-") as tmp:
        output = Path(tmp)
        command = backtest_command(algorithm, settings, output)
        started = time.perf_counter()
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=settings.timeout_s,
                                  cwd=output, check=False)
        except subprocess.TimeoutExpired:
            result.seconds = round(time.perf_counter() - started, 2)
            result.outcome, result.cause = TIMEOUT, f"timeout after {settings.timeout_s:g} s"
            return result
        result.seconds = round(time.perf_counter() - started, 2)
        observed = read_observed(output, algorithm.name)
        if observed is None:
            result.cause = _failure_line(done)
            return result
    return _judge(result, expectation, observed)


def backtest_command(algorithm: Algorithm, settings: RunSettings, output: Path) -> list[str]:
    command = [sys.executable, "-m", "pylean", "backtest", str(algorithm.python_file),
               "--data-folder", str(settings.data_folder), "--output", str(output / "result"),
               "--algorithm-id", algorithm.name, "--metrics-json", str(output / "metrics.json"),
               "--lean-root", str(settings.lean_root)]
    for name, value in settings.parameters.items():
        command += ["--parameter", name, value]
    return command


def read_observed(output: Path, name: str) -> Observed | None:
    """The run's status, statistics (+ logged OrderListHash) and data points; None if it wrote no summary."""
    result = output / "result"
    try:
        summary = json.loads((result / f"{name}-summary.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    statistics = {str(k): str(v) for k, v in summary.get("statistics", {}).items()}
    log = result / "log.txt"
    hashes = _HASH_LINE.findall(log.read_text(encoding="utf-8")) if log.is_file() else []
    if hashes:
        statistics["OrderListHash"] = hashes[-1]
    data_points = history = None
    try:
        metrics = json.loads((output / "metrics.json").read_text(encoding="utf-8"))
        history = int(metrics["history_data_points"])
        data_points = int(metrics["data_points"]) - history  # Lean's DataPoints leaves history out
    except (OSError, json.JSONDecodeError, KeyError, TypeError, ValueError):
        pass
    state = summary.get("state", {})
    return Observed(status=state.get("Status"), statistics=statistics, data_points=data_points,
                    history_data_points=history, error=one_line(state.get("RuntimeError", "")))


def _judge(result: AlgorithmResult, expectation: Expectation, observed: Observed) -> AlgorithmResult:
    result.outcome, result.differences, cause = classify(expectation, observed)
    result.cause = one_line(cause)
    result.cause_group = cause_group(result.cause, result.name)
    result.status = observed.status
    result.data_points, result.history_data_points = observed.data_points, observed.history_data_points
    result.order_list_hash = observed.statistics.get("OrderListHash")
    return result


def _failure_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in (done.stderr or "").splitlines() if line.strip()]
    return one_line(lines[-1] if lines else f"pylean exited with {done.returncode} and wrote no results")


_OWN_OBJECT = re.compile(r"^AttributeError: '(?P<type>[^']+)' object has no attribute")


def cause_group(cause: str, name: str) -> str:
    """The cause, with the algorithm's own class in "'<X>' object has no attribute" written as
    '<algorithm>' (CPython cuts type names at 50 characters), so one missing API counts once per algorithm."""
    match = _OWN_OBJECT.match(cause)
    if match and (name.startswith(match.group("type")) or match.group("type").endswith("Algorithm")):
        return cause[:match.start("type")] + "<algorithm>" + cause[match.end("type"):]
    return cause


def one_line(text: str) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    line = lines[-1] if lines else ""
    return line if len(line) <= CAUSE_WIDTH else line[:CAUSE_WIDTH - 3] + "..."
