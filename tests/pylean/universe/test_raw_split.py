"""A split on raw-priced data: the position is converted at the SplitOccurred event and its value is unchanged;
the fraction of a share is paid in cash; adjusted data leaves the position alone."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pylean.launcher import BacktestOptions, run_backtest
from support.lean_data import new_data_folder, write_algorithm, write_daily

PRICES = {date(2013, 10, 4): 21.0, date(2013, 10, 7): 21.0, date(2013, 10, 8): 21.0,
          date(2013, 10, 9): 7.0, date(2013, 10, 10): 7.0}

BODY = """
    def initialize(self):
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 10)
        self.universe_settings.data_normalization_mode = DataNormalizationMode.{mode}
        self.abc = self.add_equity("ABC", Resolution.DAILY).symbol
        self.after = None
        provider = LocalDiskFactorFileProvider()
        provider.initialize(LocalDiskMapFileProvider(), DefaultDataProvider())
        self.factor = provider.get(self.abc).get_price_factor(datetime(2013, 10, 7), DataNormalizationMode.ADJUSTED)

    def on_data(self, data):
        if self.time.day == 7:
            self.market_on_open_order(self.abc, 100)
        if self.time.day == 9 and self.after is None:
            holding = self.portfolio[self.abc]
            self.after = (holding.quantity, holding.average_price, self.portfolio.cash)
"""


@pytest.fixture
def data(tmp_path: Path, lean_data: Path) -> Path:
    folder = new_data_folder(tmp_path / "data", lean_data)
    write_daily(folder, "ABC", [(d, p, p, p, p, 1000) for d, p in PRICES.items()])
    factors = folder / "equity" / "usa" / "factor_files"
    factors.mkdir(parents=True)
    (factors / "abc.csv").write_text("20131008,1,0.3333333,21\n20501231,1,1,0\n")  # a 3-for-1 split
    return folder


def _run(tmp_path: Path, data: Path, mode: str):
    algorithm = write_algorithm(tmp_path, "Splitting", BODY.format(mode=mode))
    outcome = run_backtest(BacktestOptions(algorithm, data, tmp_path / "out"))
    assert outcome.status == "Completed", (tmp_path / "out" / "Splitting-log.txt").read_text()
    return outcome.record.algorithm


def test_raw_position_is_converted_at_the_split(tmp_path: Path, data: Path) -> None:
    algorithm = _run(tmp_path, data, "RAW")
    quantity, average, cash = algorithm.after
    assert quantity == 300.0  # 100 / 0.3333333 = 300.00003: whole shares
    assert float(algorithm.factor) == pytest.approx(0.3333333)  # Lean's factor-file provider reads our file
    assert average == pytest.approx(21.0 * 0.3333333)
    # the fraction of a share (0.00003) is paid at the post-split price
    bought = 100 * 21.0 + 1.0  # the fill and its $1 fee
    assert cash == pytest.approx(100000 - bought + 0.00003 * 21.0 * 0.3333333, abs=1e-4)


def test_adjusted_position_is_left_alone(tmp_path: Path, data: Path) -> None:
    algorithm = _run(tmp_path, data, "ADJUSTED")
    assert algorithm.after[0] == 100.0
