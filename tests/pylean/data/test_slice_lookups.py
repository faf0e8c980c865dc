"""Slice lookups by Symbol and by ticker give the same bar whether or not the step's bars were already built
(a consolidated subscription builds them before on_data), and a symbol without data is absent."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest

from pylean import launcher
from pylean.algorithm import QCAlgorithm
from pylean.enums import Resolution
from pylean.launcher import BacktestOptions, run_backtest
from pylean.symbols import Symbol


class LookupProbe(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol
        if self.consolidated:
            self.consolidate(self.spy, timedelta(minutes=5), lambda bar: None)
        self.answers: list[tuple] = []

    def on_data(self, data) -> None:
        missing = Symbol.create("AAPL")
        try:
            data[missing]
            raised = False
        except KeyError:
            raised = True
        bar = data[self.spy]
        self.answers.append((bar is data["SPY"] is data["spy"] is data.bars[self.spy] is data.get(self.spy),
                             self.spy in data, "SPY" in data, data.contains_key("spy"),
                             missing in data, "AAPL" in data, raised, bar.close))


@pytest.mark.parametrize("consolidated", [False, True])
def test_symbol_and_ticker_lookups(lean_data: Path, tmp_path: Path, consolidated: bool) -> None:
    path = tmp_path / "algorithm.py"
    path.write_text("# injected\n")
    probe = type("Probe", (LookupProbe,), {"consolidated": consolidated})
    with mock.patch.object(launcher, "load_algorithm_class", lambda _: probe):
        outcome = run_backtest(BacktestOptions(path, lean_data, tmp_path / "out"))
    assert outcome.status == "Completed", outcome.record.error
    answers = outcome.record.algorithm.answers
    assert len(answers) == 390
    assert {a[:-1] for a in answers} == {(True, True, True, True, False, False, True)}
    assert len({a[-1] for a in answers}) > 1
