"""A Lean project written the older way (clr references, .NET-namespace imports, PascalCase calls, a FillModel
subclass overriding MarketFill/StopMarketFill, a helper module beside main.py) runs unmodified, and trades as
its AlgorithmImports/snake_case twin does (issue 12)."""
from __future__ import annotations

import json
from pathlib import Path

from pylean.launcher import BacktestOptions, run_backtest

DOTNET_MAIN = '''
import clr
clr.AddReference("System")
clr.AddReference("QuantConnect.Algorithm")
clr.AddReference("QuantConnect.Common")

from System import *
from System.Collections.Generic import List
from QuantConnect import *
from QuantConnect.Algorithm import QCAlgorithm
from QuantConnect.Data.Market import TradeBar
from QuantConnect.Orders import OrderStatus
from QuantConnect.Orders.Fills import FillModel

from signals import crossed_above, crossed_below


class HalfCentWorseFillModel(FillModel):
    """Market fills at Lean's price rounded to the cent, plus half a cent; stop fills at the stop price exactly."""

    def MarketFill(self, asset, order):
        fill = super().MarketFill(asset, order)
        if fill.Status == OrderStatus.Filled:
            fill.FillPrice = round(fill.FillPrice, 2) + 0.005
        return fill

    def StopMarketFill(self, asset, order):
        fill = super().StopMarketFill(asset, order)
        if fill.Status == OrderStatus.Filled:
            fill.FillPrice = order.StopPrice
        return fill


class DotNetStyle(QCAlgorithm):
    def Initialize(self):
        self.SetStartDate(2013, 10, 7)
        self.SetEndDate(2013, 10, 8)
        self.SetCash(100000)
        self.spy = self.AddEquity("SPY", Resolution.Minute).Symbol
        self.Securities[self.spy].SetFillModel(HalfCentWorseFillModel())
        self.closes = List[float]()
        self.stop = None

    def OnData(self, data):
        if not data.Bars.ContainsKey(self.spy):
            return
        bar = data.Bars[self.spy]
        self.closes.Add(bar.Close)
        if crossed_above(self.closes, 20) and not self.Portfolio[self.spy].Invested:
            self.SetHoldings(self.spy, 0.5)
            quantity = self.Portfolio[self.spy].Quantity
            self.stop = self.StopMarketOrder(self.spy, -quantity, round(bar.Close * 0.999, 2))
        elif crossed_below(self.closes, 20) and self.Portfolio[self.spy].Invested:
            self.Liquidate(self.spy)

    def OnOrderEvent(self, orderEvent):
        if orderEvent.Status == OrderStatus.Filled:
            self.Log(f"{orderEvent.Symbol} {orderEvent.FillQuantity} @ {orderEvent.FillPrice}")
'''

SIGNALS = '''
def _mean(values, n):
    return sum(values[-n:]) / n


def crossed_above(closes, n):
    """The last close crossed above its n-bar mean."""
    if len(closes) <= n:
        return False
    return closes[-2] <= _mean(closes[:-1], n) and closes[-1] > _mean(closes, n)


def crossed_below(closes, n):
    if len(closes) <= n:
        return False
    return closes[-2] >= _mean(closes[:-1], n) and closes[-1] < _mean(closes, n)
'''

SNAKE_MAIN = '''
from AlgorithmImports import *

from signals import crossed_above, crossed_below


class HalfCentWorseFillModel(FillModel):
    def market_fill(self, asset, order):
        fill = super().market_fill(asset, order)
        if fill.status == OrderStatus.FILLED:
            fill.fill_price = round(fill.fill_price, 2) + 0.005
        return fill

    def stop_market_fill(self, asset, order):
        fill = super().stop_market_fill(asset, order)
        if fill.status == OrderStatus.FILLED:
            fill.fill_price = order.stop_price
        return fill


class DotNetStyle(QCAlgorithm):
    def initialize(self):
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 8)
        self.set_cash(100000)
        self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol
        self.securities[self.spy].set_fill_model(HalfCentWorseFillModel())
        self.closes = []
        self.stop = None

    def on_data(self, data):
        if not data.bars.contains_key(self.spy):
            return
        bar = data.bars[self.spy]
        self.closes.append(bar.close)
        if crossed_above(self.closes, 20) and not self.portfolio[self.spy].invested:
            self.set_holdings(self.spy, 0.5)
            quantity = self.portfolio[self.spy].quantity
            self.stop = self.stop_market_order(self.spy, -quantity, round(bar.close * 0.999, 2))
        elif crossed_below(self.closes, 20) and self.portfolio[self.spy].invested:
            self.liquidate(self.spy)

    def on_order_event(self, order_event):
        if order_event.status == OrderStatus.FILLED:
            self.log(f"{order_event.symbol} {order_event.fill_quantity} @ {order_event.fill_price}")
'''


def _project(root: Path, main: str) -> Path:
    root.mkdir()
    (root / "main.py").write_text(main)
    (root / "signals.py").write_text(SIGNALS)
    return root / "main.py"


def _run(project: Path, lean_data: Path) -> tuple[list, dict, list[str]]:
    out = project.parent / "out"
    outcome = run_backtest(BacktestOptions(project, lean_data, out, algorithm_id="DotNetStyle"))
    log = (out / "DotNetStyle-log.txt").read_text()
    assert outcome.status == "Completed", log
    events = json.loads((out / "DotNetStyle-order-events.json").read_text())
    statistics = json.loads((out / "DotNetStyle-summary.json").read_text())["statistics"]
    return events, statistics, [line for line in log.splitlines() if " @ " in line]


def test_a_dotnet_style_project_runs_unmodified_and_trades_as_its_snake_case_twin(tmp_path: Path,
                                                                                  lean_data: Path) -> None:
    dotnet = _run(_project(tmp_path / "dotnet", DOTNET_MAIN), lean_data)
    snake = _run(_project(tmp_path / "snake", SNAKE_MAIN), lean_data)
    assert dotnet == snake
    events, _, fills = dotnet
    filled = [e for e in events if e["status"] == "filled"]
    assert len(filled) >= 4, "the signals must trade for the comparison to mean anything"
    # the user's overrides priced the fills: market fills on a half cent, stop fills at their stop price
    stops = {e["orderId"]: e["stopPrice"] for e in events if e.get("stopPrice")}
    assert stops and all(e["fillPrice"] == stops[e["orderId"]] for e in filled if e["orderId"] in stops)
    assert all(round(e["fillPrice"] * 1000) % 10 == 5 for e in filled if e["orderId"] not in stops)
    assert fills and len(fills) == len(filled)
