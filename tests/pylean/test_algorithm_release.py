"""A finished in-process run is freed with its algorithm: pylean's per-algorithm table no longer keeps the
algorithm and its whole run (data, orders, results) alive once the caller lets go, and the algorithm still
answers about its run while the caller holds it."""
from __future__ import annotations

import gc
import weakref
from datetime import datetime
from pathlib import Path

from pylean.algorithm import QCAlgorithm
from pylean.enums import Resolution
from support.runs import run_class


class BuyOnce(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol

    def on_data(self, data) -> None:
        if not self.portfolio.invested:
            self.market_order(self.spy, 10)


def test_a_finished_run_is_freed_with_its_algorithm(lean_data: Path, tmp_path: Path) -> None:
    outcome = run_class(BuyOnce, lean_data, tmp_path / "first")
    first = weakref.ref(outcome.record.algorithm)
    runtime = weakref.ref(outcome.record.runtime)
    del outcome
    run_class(BuyOnce, lean_data, tmp_path / "second")  # a later run replaces what module globals point at
    gc.collect()
    assert first() is None
    assert runtime() is None


def test_the_algorithm_still_answers_about_its_run(lean_data: Path, tmp_path: Path) -> None:
    algorithm = run_class(BuyOnce, lean_data, tmp_path).record.algorithm
    gc.collect()
    assert algorithm.portfolio[algorithm.spy].quantity == 10
    assert algorithm.time == datetime(2013, 10, 7, 16, 0)
    assert algorithm.transactions.orders_count == 1
    assert algorithm.start_date == datetime(2013, 10, 7)
