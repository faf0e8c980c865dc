"""DataFeed.build_day's shortcut for days on which every subscription emits at the same steps (usual with
fill-forward) gives exactly what the general path (merge every subscription's times, place rows by
position) gives: same steps, bars, fill-forward flags and security prices."""
from __future__ import annotations

from pathlib import Path
from unittest import mock

import numpy as np

from pylean import launcher
from pylean.algorithm import QCAlgorithm
from pylean.data import feed
from pylean.enums import Resolution
from pylean.launcher import BacktestOptions, run_backtest


class RecordingProbe(QCAlgorithm):
    """Notes every step's bars (all fields) and each security's price."""

    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 8)
        self.set_benchmark(lambda time: 1.0)  # no internal hourly benchmark feed: every feed emits every minute
        self.symbols = [self.add_equity(ticker, Resolution.MINUTE).symbol for ticker in ("SPY", "AIG", "BAC")]
        self.seen: list[tuple] = []

    def on_data(self, data) -> None:
        bars = [(symbol, bar.time, bar.end_time, bar.open, bar.high, bar.low, bar.close, bar.volume,
                 bar.is_fill_forward) for symbol, bar in data.bars.items()]
        self.seen.append((data.time, bars, [self.securities[s].price for s in self.symbols]))


def run(lean_data: Path, tmp_path: Path) -> list[tuple]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "algorithm.py"
    path.write_text("# injected\n")
    with mock.patch.object(launcher, "load_algorithm_class", lambda _: RecordingProbe):
        outcome = run_backtest(BacktestOptions(path, lean_data, tmp_path / "out"))
    assert outcome.status == "Completed", outcome.record.error
    return outcome.record.algorithm.seen  # type: ignore[no-any-return]


def test_same_steps_shortcut_matches_the_general_path(lean_data: Path, tmp_path: Path) -> None:
    decided: list[bool] = []
    real = feed._all_the_same_ascending

    def noting(arrays: list[np.ndarray]) -> bool:
        decided.append(real(arrays))
        return decided[-1]

    with mock.patch.object(feed, "_all_the_same_ascending", noting):
        shortcut = run(lean_data, tmp_path / "a")
    assert any(decided)  # the shortcut was taken
    with mock.patch.object(feed, "_all_the_same_ascending", lambda arrays: False):
        general = run(lean_data, tmp_path / "b")
    assert len(shortcut) == 780
    assert shortcut == general


def test_the_shortcut_needs_equal_strictly_ascending_arrays() -> None:
    a = np.array([1, 2, 5], dtype=np.int64)
    assert feed._all_the_same_ascending([a, a.copy(), a.copy()])
    assert not feed._all_the_same_ascending([])
    assert not feed._all_the_same_ascending([a, np.array([1, 2, 6], dtype=np.int64)])
    assert not feed._all_the_same_ascending([a, a[:2]])
    assert not feed._all_the_same_ascending([np.array([1, 1, 2], dtype=np.int64)])
