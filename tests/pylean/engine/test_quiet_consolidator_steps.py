"""A step of a consolidators' quiet run (every consolidated subscription has only deferred merges and batched
indicators, none due) skips step 14 in the loop itself: the same consolidated bars, at the same clocks, the
same indicator values read in on_data and the same scans (gaps in the data leave periods to the scan) as when
every step takes the full step 14."""
from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from pylean.consolidators.manager import SubscriptionManager
from pylean.launcher import BacktestOptions, run_backtest
from support.lean_data import at, new_data_folder, write_algorithm, write_intraday

MONDAY = date(2013, 10, 7)

ALGORITHM = """
    def initialize(self):
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.symbols = [self.add_equity(t, Resolution.SECOND, fill_forward=False).symbol for t in ("ABC", "XYZ")]
        self.rows = []
        self.fast = {s: self.sma(s, 20, Resolution.SECOND) for s in self.symbols}
        self.slow = {s: self.ema(s, 7, Resolution.SECOND) for s in self.symbols}
        for s in self.symbols:
            self.consolidate(s, timedelta(seconds=30), lambda bar: self.rows.append(("30s", self.time, str(bar))))
            five = TradeBarConsolidator(timedelta(minutes=1))
            five.data_consolidated += lambda sender, bar: self.rows.append(("1m", self.time, str(bar)))
            self.subscription_manager.add_consolidator(s, five)
            self.register_indicator(s, RelativeStrengthIndex(5), five)

    def on_data(self, data):
        self.rows.append(("data", self.time, [(self.fast[s].current.value, str(self.slow[s])) for s in self.symbols]))
"""


def _seconds(rng: random.Random, minutes: int) -> list:
    bars, price = [], 10.0
    for second in range(minutes * 60):
        if rng.random() < 0.15:  # gaps: periods then end on a scan
            continue
        price = round(max(1.0, price + rng.choice((-0.02, -0.01, 0, 0.01, 0.02))), 2)
        bars.append((at(9, 30 + second // 60, second % 60), price, price + 0.01, price - 0.01, price, 100))
    return bars


@pytest.mark.parametrize("seed", [1, 2])
def test_quiet_steps_skip_step_14_with_the_same_results(tmp_path: Path, lean_data: Path, seed: int,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    folder = new_data_folder(tmp_path / "data", lean_data)
    for ticker in ("ABC", "XYZ"):
        write_intraday(folder, "second", ticker, MONDAY, _seconds(rng, 12))
    algorithm_file = write_algorithm(tmp_path, "Quiet", ALGORITHM)
    quiet = run_backtest(BacktestOptions(algorithm_file, folder, tmp_path / "quiet"))
    assert quiet.status == "Completed"
    quiet_steps = []
    original = SubscriptionManager.quiet_step

    def never_quiet(self: SubscriptionManager, k: int, block: object) -> bool:
        quiet_steps.append(original(self, k, block))
        return False  # every step takes step 14 in full (feed_step and its scan)
    monkeypatch.setattr(SubscriptionManager, "quiet_step", never_quiet)
    full = run_backtest(BacktestOptions(algorithm_file, folder, tmp_path / "full"))
    assert full.status == "Completed"
    assert sum(quiet_steps) > 100  # the first run had quiet steps to skip
    assert quiet.record.algorithm.rows == full.record.algorithm.rows
    assert len(quiet.record.algorithm.rows) > 500
