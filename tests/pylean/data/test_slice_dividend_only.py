"""A slice holding only a dividend for a symbol answers slice[symbol] with None (Lean's Slice keeps the
auxiliary datum in the symbol's entry, whose bar is null), so `if not data[symbol]: return` works."""
from __future__ import annotations

from pathlib import Path
from unittest import mock

from pylean import launcher
from pylean.algorithm import QCAlgorithm
from pylean.enums import Resolution
from pylean.launcher import BacktestOptions, run_backtest


class DividendProbe(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 12, 18)
        self.set_end_date(2013, 12, 23)   # SPY's factor row 2013-12-19: ex-dividend on Friday 2013-12-20
        self.spy = self.add_equity("SPY", Resolution.DAILY).symbol
        self.seen: list[tuple[str, bool, bool]] = []

    def on_data(self, data) -> None:
        self.seen.append((f"{self.time:%m-%d %H:%M}", data[self.spy] is None, self.spy in data.dividends))


def test_dividend_only_slice_gives_none_for_the_symbol(lean_data: Path, tmp_path: Path) -> None:
    path = tmp_path / "algorithm.py"
    path.write_text("# injected\n")
    with mock.patch.object(launcher, "load_algorithm_class", lambda _: DividendProbe):
        outcome = run_backtest(BacktestOptions(path, lean_data, tmp_path / "out"))
    assert outcome.status == "Completed", outcome.record.error
    seen = outcome.record.algorithm.seen
    assert ("12-20 00:00", True, True) in seen
    assert all(not is_none for _, is_none, has_dividend in seen if not has_dividend)
