"""Between two days the engine lets go of the old day before it converts the new day's columns for bars:
the new day's Python lists then reuse the old day's memory instead of growing the process."""
from __future__ import annotations

import weakref
from datetime import date
from pathlib import Path
from unittest import mock

from pylean import engine
from pylean.launcher import BacktestOptions, run_backtest
from support.lean_data import at, new_data_folder, write_algorithm, write_intraday

DAYS = (date(2013, 10, 7), date(2013, 10, 8), date(2013, 10, 9))

PROBE = """
    def initialize(self):
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 9)
        self.add_equity("ABC", Resolution.MINUTE)
        self.closes = []

    def on_data(self, data):
        self.closes.append(data.bars["ABC"].close)
"""


def test_the_previous_day_is_gone_when_the_next_days_bars_are_prepared(tmp_path: Path, lean_data: Path) -> None:
    folder = new_data_folder(tmp_path / "data", lean_data)
    for i, day in enumerate(DAYS):
        write_intraday(folder, "minute", "ABC", day, [(at(9, 30), 10 + i, 11 + i, 9 + i, 10.5 + i, 100)])
    algorithm_file = write_algorithm(tmp_path, "Probe", PROBE)
    blocks: list[weakref.ref] = []
    earlier_alive: list[bool] = []
    make_plan = engine.trade_plan

    def watching(block, configs):  # type: ignore[no-untyped-def]
        earlier_alive.append(any(ref() is not None for ref in blocks))
        blocks.append(weakref.ref(block))
        return make_plan(block, configs)

    with mock.patch.object(engine, "trade_plan", watching):
        outcome = run_backtest(BacktestOptions(algorithm_file, folder, tmp_path / "out"))
    assert outcome.status == "Completed", (tmp_path / "out" / "Probe-log.txt").read_text()
    assert earlier_alive == [False, False]  # days 2 and 3 (day 1's bars are made by its first on_data)
    closes = outcome.record.algorithm.closes
    assert len(closes) == 3 * 390 and closes[0] == 10.5 and closes[390] == 11.5 and closes[-1] == 12.5
