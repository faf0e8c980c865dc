"""The trade builder's recorded fills and marks (TradeBuilder.recorded) are applied at the end of each day,
inside the time loop: a day starts with none left over, and the loop's own time includes that work."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from unittest import mock

from pylean import engine
from pylean.launcher import BacktestOptions, run_backtest
from pylean.statistics.trades import TradeBuilder
from support.lean_data import at, new_data_folder, write_algorithm, write_intraday

DAYS = (date(2013, 10, 7), date(2013, 10, 8), date(2013, 10, 9))

TRADER = """
    def initialize(self):
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 9)
        self.symbol = self.add_equity("ABC", Resolution.MINUTE).symbol
        self.steps = 0

    def on_data(self, data):
        self.steps += 1
        self.set_holdings(self.symbol, 0.5 if self.steps % 2 else 0.3)
"""


def test_each_day_is_settled_inside_the_time_loop(tmp_path: Path, lean_data: Path) -> None:
    folder = new_data_folder(tmp_path / "data", lean_data)
    for i, day in enumerate(DAYS):
        bars = [(at(9, 30 + m), 10 + i, 11 + i, 9 + i, 10.5 + i + m / 100, 100) for m in range(5)]
        write_intraday(folder, "minute", "ABC", day, bars)
    algorithm_file = write_algorithm(tmp_path, "Trader", TRADER)
    left_at_day_start: list[int] = []
    settled_in_loop: list[bool] = []
    run_block, settle, run = engine.Engine._run_block, TradeBuilder.settle, engine.Engine.run
    in_loop = [False]

    def watching_block(self, block, *args, **kwargs):  # type: ignore[no-untyped-def]
        left_at_day_start.append(len(self.rt.results.trades.recorded))
        return run_block(self, block, *args, **kwargs)

    def watching_settle(self):  # type: ignore[no-untyped-def]
        if self.recorded:
            settled_in_loop.append(in_loop[0])
        return settle(self)

    def watching_run(self):  # type: ignore[no-untyped-def]
        in_loop[0] = True
        try:
            return run(self)
        finally:
            in_loop[0] = False

    with mock.patch.object(engine.Engine, "_run_block", watching_block), \
            mock.patch.object(TradeBuilder, "settle", watching_settle), \
            mock.patch.object(engine.Engine, "run", watching_run):
        outcome = run_backtest(BacktestOptions(algorithm_file, folder, tmp_path / "out"))
    assert outcome.status == "Completed", (tmp_path / "out" / "Trader-log.txt").read_text()
    assert left_at_day_start == [0, 0, 0]
    assert settled_in_loop == [True, True, True]  # one batch a day, none left for teardown
    assert outcome.record.runtime.results.trades.closed_trades  # trades were built from them
