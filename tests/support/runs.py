"""Running an algorithm class of a test through pylean's launcher, on a data folder."""
from __future__ import annotations

from pathlib import Path
from unittest import mock

from pylean import launcher
from pylean.launcher import BacktestOptions, BacktestOutcome, run_backtest


def run_class(klass: type, data: Path, out: Path) -> BacktestOutcome:
    """Run `klass` (the loader is pointed at it) with results under `out`; the run must complete."""
    path = out / "algorithm.py"
    out.mkdir(parents=True, exist_ok=True)
    path.write_text("# the test's algorithm class is injected\n")
    with mock.patch.object(launcher, "load_algorithm_class", lambda _: klass):
        outcome = run_backtest(BacktestOptions(path, data, out / "results"))
    assert outcome.record is not None
    assert outcome.status == "Completed", outcome.record.error
    return outcome
