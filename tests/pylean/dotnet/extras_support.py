"""Run a test's own algorithm class on a tiny data folder through pylean's launcher."""
from __future__ import annotations

from pathlib import Path
from unittest import mock

from pylean import launcher
from pylean.algorithm import QCAlgorithm
from pylean.launcher import BacktestOptions, BacktestOutcome, run_backtest


def run_class(data: Path, algorithm: type[QCAlgorithm], expect: str = "Completed") -> BacktestOutcome:
    path = data.parent / "algorithm.py"
    path.write_text("# the test's algorithm class is injected\n")
    with mock.patch.object(launcher, "load_algorithm_class", lambda _: algorithm):
        outcome = run_backtest(BacktestOptions(path, data, data.parent / "out"))
    assert outcome.record is not None
    assert outcome.status == expect, outcome.record.error
    return outcome


def logs(outcome: BacktestOutcome) -> list[str]:
    return list(outcome.record.runtime.results.log_lines)  # type: ignore[union-attr]
