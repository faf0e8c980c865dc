"""With a warm-up, the benchmark's bars of the trading day before the feed's first day are drained into the
first step, as without one (Lean's first slice of the internal benchmark subscription): a day of warm-up
delivers the same data points as starting that day without warm-up."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pylean.algorithm import QCAlgorithm
from pylean.enums import Resolution
from support.runs import run_class


class FromMonday(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 8)
        self.add_equity("SPY", Resolution.MINUTE)


class WarmMonday(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 8)
        self.set_end_date(2013, 10, 8)
        self.add_equity("SPY", Resolution.MINUTE)
        self.set_warm_up(timedelta(days=1))


def _points(klass: type, data: Path, out: Path) -> int:
    outcome = run_class(klass, data, out)
    return outcome.data_points


def test_a_warm_up_day_counts_like_a_traded_day(lean_data: Path, tmp_path: Path) -> None:
    assert _points(WarmMonday, lean_data, tmp_path / "warm") == _points(FromMonday, lean_data, tmp_path / "plain")
