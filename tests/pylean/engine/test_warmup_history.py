"""set_warm_up and history() on Lean's sample data."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from pylean.launcher import BacktestOptions, run_backtest
from support.lean_data import write_algorithm

WARMUP = """
    def initialize(self):
        self.set_start_date(2013, 10, 9)
        self.set_end_date(2013, 10, 9)
        self.add_equity("SPY", Resolution.MINUTE)
        self.set_warm_up(timedelta(days=2))
        self.warm_steps = 0
        self.live_steps = 0
        self.rejected = None
        self.finished_at = None

    def on_data(self, data):
        if self.is_warming_up:
            self.warm_steps += 1
            if self.rejected is None:
                self.rejected = self.market_order("SPY", 10).status
        else:
            self.live_steps += 1

    def on_warmup_finished(self):
        self.finished_at = self.time
"""

HISTORY = """
    def initialize(self):
        self.set_start_date(2013, 10, 8)
        self.set_end_date(2013, 10, 8)
        self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol
        self.daily = self.history(self.spy, 5, Resolution.DAILY)
        self.minute = self.history([self.spy], 30, Resolution.MINUTE)
"""


def _run(tmp_path: Path, lean_data: Path, body: str):  # type: ignore[no-untyped-def]
    algorithm = write_algorithm(tmp_path, "Probe", body)
    outcome = run_backtest(BacktestOptions(algorithm, lean_data, tmp_path / "out"))
    assert outcome.status == "Completed", (tmp_path / "out" / "Probe-log.txt").read_text()
    return outcome


def test_warm_up_feeds_data_before_the_start_and_refuses_orders(tmp_path: Path, lean_data: Path) -> None:
    outcome = _run(tmp_path, lean_data, WARMUP)
    probe = outcome.record.algorithm
    assert probe.warm_steps == 780          # the sessions of 2013-10-07 and 10-08 (two days before the start)
    assert probe.live_steps == 390
    assert int(probe.rejected) == 7          # OrderStatus.INVALID: no order during warm-up
    # the first slice after warm-up lies past the start: Lean ends warm-up at a time pulse at the start date
    assert probe.finished_at == datetime(2013, 10, 9, 0, 0)
    assert outcome.record.runtime.transactions.orders == {}
    statistics = outcome.record.statistics
    assert statistics["Start Equity"] == "100000" and statistics["Total Orders"] == "0"


def test_history_frames_are_shaped_like_leans(tmp_path: Path, lean_data: Path) -> None:
    pytest.importorskip("pandas")
    probe = _run(tmp_path, lean_data, HISTORY).record.algorithm
    daily, minute = probe.daily, probe.minute
    assert list(daily.index.names) == ["symbol", "time"]
    assert list(daily.columns)[:5] == ["open", "high", "low", "close", "volume"]
    assert len(daily) == 5
    times = [t for _, t in daily.index]
    # precise daily end times: the newest bar is the last full session before the 2013-10-08 start
    assert times[-1] == datetime(2013, 10, 7, 16, 0)
    assert times == sorted(times)
    assert len(minute) == 30 and [t for _, t in minute.index][-1] == datetime(2013, 10, 7, 16, 0)
    spy_close_oct7 = float(daily["close"].iloc[-1])
    assert spy_close_oct7 == pytest.approx(167.42 * 0.8646266, abs=1e-9)  # adjusted by the factor file
