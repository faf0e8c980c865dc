"""The same algorithm in snake_case and in PascalCase gives identical results (Lean accepts both)."""
from __future__ import annotations

import json
from pathlib import Path

from pylean.launcher import BacktestOptions, run_backtest

SNAKE = '''
from AlgorithmImports import *


class Spelling(QCAlgorithm):
    def initialize(self):
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 9)
        self.set_cash(50000)
        self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol
        self.fills = 0

    def on_data(self, data):
        if data.contains_key(self.spy) and self.time.minute == 0 and self.time.hour in (10, 14):
            target = 0.8 if self.time.hour == 10 else 0.2
            self.set_holdings(self.spy, target)
            self.debug(f"{self.portfolio[self.spy].quantity} @ {self.securities[self.spy].price}")

    def on_order_event(self, order_event):
        if order_event.status == OrderStatus.FILLED:
            self.fills += 1
            self.log(f"fill {order_event.fill_quantity} {self.portfolio.total_portfolio_value}")

    def on_end_of_algorithm(self):
        self.debug(f"fills={self.fills} cash={self.portfolio.cash}")
'''

PASCAL = '''
from AlgorithmImports import *


class Spelling(QCAlgorithm):
    def Initialize(self):
        self.SetStartDate(2013, 10, 7)
        self.SetEndDate(2013, 10, 9)
        self.SetCash(50000)
        self.spy = self.AddEquity("SPY", Resolution.Minute).Symbol
        self.fills = 0

    def OnData(self, data):
        if data.ContainsKey(self.spy) and self.Time.minute == 0 and self.Time.hour in (10, 14):
            target = 0.8 if self.Time.hour == 10 else 0.2
            self.SetHoldings(self.spy, target)
            self.Debug(f"{self.Portfolio[self.spy].Quantity} @ {self.Securities[self.spy].Price}")

    def OnOrderEvent(self, orderEvent):
        if orderEvent.Status == OrderStatus.Filled:
            self.fills += 1
            self.Log(f"fill {orderEvent.FillQuantity} {self.Portfolio.TotalPortfolioValue}")

    def OnEndOfAlgorithm(self):
        self.Debug(f"fills={self.fills} cash={self.Portfolio.Cash}")
'''


def _run(tmp_path: Path, lean_data: Path, name: str, source: str) -> tuple[str, dict, str]:
    path = tmp_path / f"{name}.py"
    path.write_text(source)
    out = tmp_path / name
    outcome = run_backtest(BacktestOptions(path, lean_data, out, algorithm_id="Spelling"))
    assert outcome.status == "Completed", (out / "Spelling-log.txt").read_text()
    log = "\n".join((out / "Spelling-log.txt").read_text().splitlines()[:-1])  # drop the timing line
    return (out / "Spelling-order-events.json").read_text(), json.loads((out / "Spelling-summary.json").read_text())["statistics"], log


def test_snake_and_pascal_case_algorithms_match(tmp_path: Path, lean_data: Path) -> None:
    snake = _run(tmp_path, lean_data, "snake", SNAKE)
    pascal = _run(tmp_path, lean_data, "pascal", PASCAL)
    assert snake == pascal
    assert '"status":"filled"' in snake[0] and "fills=6" in snake[2]


def test_slotted_api_objects_alias_their_slots_without_a_read_fallback() -> None:
    """bar.Close reads and writes the same slot as bar.close; slotted classes carry no __getattr__
    (it would stop CPython specializing every attribute read), dict-backed ones keep the fallback."""
    from datetime import datetime

    from pylean.data.market_data import TradeBar
    from pylean.data.slice import TradeBars
    from pylean.naming import lean_api

    bar = TradeBar(datetime(2025, 10, 1, 9, 30), None, 1.0, 2.0, 0.5, 1.5, 100.0)
    bar.Close = 1.75
    assert bar.close == 1.75 and bar.Close == 1.75 and bar.Volume == 100.0 and bar.EndTime == bar.end_time
    assert bar.Value == 1.75 and bar.IsFillForward is False
    assert not hasattr(TradeBar, "__getattr__") and not hasattr(TradeBars, "__getattr__")

    @lean_api
    class WithDict:
        def __init__(self) -> None:
            self.last_price = 3.0
            self.type = "equity"  # an attribute named like a builtin keeps its alias

    @lean_api
    class Slotted:
        __slots__ = ("last_price",)

    with_dict = WithDict()
    assert with_dict.LastPrice == 3.0 and with_dict.Type == "equity"
    with_dict.LastPrice = 5.0
    assert with_dict.last_price == 5.0
    slotted = Slotted()
    slotted.LastPrice = 4.0
    assert slotted.last_price == 4.0 and not hasattr(Slotted, "__getattr__")
