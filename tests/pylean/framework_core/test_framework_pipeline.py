"""The algorithm framework end to end on hand-built minute data: a manual universe, alpha models, equal weighting
and immediate execution; orders follow from the framework's rules."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from pylean.launcher import BacktestOptions, run_backtest
from support.lean_data import new_data_folder, write_algorithm, write_intraday

MONDAY = date(2013, 10, 7)
PRICES = {"ABC": 10.0, "XYZ": 20.0}
FREE = 0.0025  # Settings.FreePortfolioValuePercentage


def _minute_bars(price: float) -> list[tuple]:
    start = datetime.combine(MONDAY, time(9, 30))
    return [((start + timedelta(minutes=i)).time(), price, price, price, price, 1000) for i in range(390)]


@pytest.fixture
def data(tmp_path: Path, lean_data: Path) -> Path:
    folder = new_data_folder(tmp_path / "data", lean_data)
    for ticker, price in PRICES.items():
        write_intraday(folder, "minute", ticker, MONDAY, _minute_bars(price))
    return folder


HEADER = """
    def initialize(self):
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.set_cash(100000)
        self.universe_settings.resolution = Resolution.MINUTE
        self.fills, self.added, self.generated = [], [], []
        self.set_universe_selection(ManualUniverseSelectionModel(
            [Symbol.create(t, SecurityType.EQUITY, Market.USA) for t in ("ABC", "XYZ")]))
{models}

    def on_securities_changed(self, changes):
        self.added.append((self.time, sorted(str(s.symbol) for s in changes.added_securities)))

    def on_order_event(self, order_event):
        if order_event.status == OrderStatus.FILLED:
            self.fills.append((self.time, str(order_event.symbol), float(order_event.fill_quantity)))
"""

CONSTANT = """
        self.set_alpha(ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(minutes=30)))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
        self.set_execution(ImmediateExecutionModel())
        self.insights_generated += lambda algorithm, batch: self.generated.append((self.time, len(batch.insights)))
"""


def _run(tmp_path: Path, data: Path, body: str, extra: str = "") -> Any:
    tmp_path.mkdir(parents=True, exist_ok=True)
    algorithm = write_algorithm(tmp_path, "Framework", body)
    if extra:
        algorithm.write_text(algorithm.read_text() + extra)
    outcome = run_backtest(BacktestOptions(algorithm, data, tmp_path / "out"))
    assert outcome.status == "Completed", (tmp_path / "out" / "Framework-log.txt").read_text()
    return outcome.record.algorithm


def _near_target(quantity: float, price: float, fraction: float) -> bool:
    """The largest whole quantity whose value is within the fraction of the portfolio less the free buffer and
    less the order's fee ($0.005 a share, $1 minimum), as PortfolioTarget.Percent sizes it."""
    fee = max(1.0, 0.005 * quantity)
    value = (100000 - fee) * (1 - FREE) * fraction
    return quantity * price <= value < (quantity + 1) * price


def test_constant_alpha_equal_weighting_buys_each_symbol_once(tmp_path: Path, data: Path) -> None:
    algorithm = _run(tmp_path, data, HEADER.format(models=CONSTANT))
    first = datetime(2013, 10, 7, 9, 31)
    assert algorithm.added == [(first, ["ABC", "XYZ"])]  # the manual universe's securities, at the first step
    # every 30 minutes the alpha re-emits both insights; only the first rebalance changes the holdings
    assert algorithm.generated == [(first + timedelta(minutes=30 * i), 2) for i in range(13)]
    assert sorted(fill[:2] for fill in algorithm.fills) == [(first, "ABC"), (first, "XYZ")]
    for _, ticker, quantity in algorithm.fills:
        assert _near_target(quantity, PRICES[ticker], 0.5)
    assert algorithm.insights.total_count == 26
    closes = [i.close_time_utc - i.generated_time_utc for i in algorithm.insights.get_insights()]
    assert set(closes[:-2]) == {timedelta(minutes=30)}
    assert set(closes[-2:]) == {timedelta(hours=18)}  # from 15:31: 29 market minutes today, 1 on Tuesday


ONE_SHOT = """
        self.set_alpha(OneShot())
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())
"""

ONE_SHOT_MODEL = """

class OneShot(AlphaModel):
    def __init__(self):
        self.done = False

    def update(self, algorithm, data):
        if self.done:
            return []
        self.done = True
        return [Insight.price("ABC", timedelta(minutes=30), InsightDirection.UP)]
"""


def test_an_expired_insight_is_flattened_on_the_next_step(tmp_path: Path, data: Path) -> None:
    algorithm = _run(tmp_path, data, HEADER.format(models=ONE_SHOT), ONE_SHOT_MODEL)
    (bought_at, ticker, bought), (sold_at, sold_ticker, sold) = algorithm.fills
    assert (bought_at, ticker, sold_ticker) == (datetime(2013, 10, 7, 9, 31), "ABC", "ABC")
    assert _near_target(bought, PRICES["ABC"], 1.0)  # the only insight: the whole portfolio
    assert (sold_at, sold) == (datetime(2013, 10, 7, 10, 2), -bought)  # closes 10:01, expired after it
    insight = algorithm.insights.get_insights()[0]
    assert insight.source_model  # the alpha model's name
    assert algorithm.insights.count == 0  # removed once expired


EMITTED = """
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel(Resolution.DAILY, PortfolioBias.LONG))

    def on_data(self, data):
        if not self.portfolio.invested and not self.insights.total_count:
            self.emit_insights([Insight.price("ABC", timedelta(days=1), InsightDirection.UP),
                                Insight.price("XYZ", timedelta(days=1), InsightDirection.DOWN)])
"""


def test_emitted_insights_trade_at_once_within_the_portfolio_bias(tmp_path: Path, data: Path) -> None:
    algorithm = _run(tmp_path, data, HEADER.format(models=EMITTED))
    assert [fill[:2] for fill in algorithm.fills] == [(datetime(2013, 10, 7, 9, 31), "ABC")]  # no short XYZ
    assert _near_target(algorithm.fills[0][2], PRICES["ABC"], 1.0)


PERCENT = """
    def on_data(self, data):
        if not self.portfolio.invested:
            self.targets = [PortfolioTarget.percent(self, "ABC", 0.25, "quarter"),
                            PortfolioTarget.percent(self, "XYZ", 0.5, True),
                            PortfolioTarget.percent(self, "XYZ", 2e9)]
            self.market_order("ABC", self.targets[0].quantity)
"""


def test_portfolio_target_percent_sizes_in_whole_shares(tmp_path: Path, data: Path) -> None:
    algorithm = _run(tmp_path, data, HEADER.format(models="") + PERCENT)
    quarter, half_delta, refused = algorithm.targets
    assert quarter.tag == "quarter" and _near_target(float(quarter.quantity), PRICES["ABC"], 0.25)
    assert _near_target(float(half_delta.quantity), PRICES["XYZ"], 0.5)  # nothing held: the delta is the target
    assert refused is None  # beyond Settings.MaxAbsolutePortfolioTargetPercentage


WARM = """
        self.set_start_date(2013, 10, 8)
        self.set_end_date(2013, 10, 8)
        self.set_warm_up(timedelta(days=1))
        self.set_alpha(ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(minutes=30)))
        self.set_portfolio_construction(EqualWeightingPortfolioConstructionModel())

    def on_data(self, data):
        if self.is_warming_up and not self.insights.total_count:
            self.emit_insights(Insight.price("ABC", timedelta(minutes=5), InsightDirection.DOWN))

    def on_warmup_finished(self):
        self.emitted_in_warm_up = self.insights.total_count
"""


def test_the_alpha_runs_during_warm_up_but_nothing_trades_and_emitted_insights_are_ignored(tmp_path: Path, data: Path) -> None:
    tuesday = MONDAY + timedelta(days=1)
    for ticker, price in PRICES.items():
        write_intraday(data, "minute", ticker, tuesday, [(t, *rest) for t, *rest in _minute_bars(price)])
    algorithm = _run(tmp_path, data, HEADER.format(models=WARM))
    assert algorithm.emitted_in_warm_up == 26  # Monday's insights, every 30 minutes for both symbols
    assert {fill[0] for fill in algorithm.fills} == {datetime(2013, 10, 8, 9, 31)}  # the first step after it
    log = (tmp_path / "out" / "Framework-log.txt").read_text()
    assert log.count("Warning: insights emitted during algorithm warmup are ignored.") == 1


PASCAL = """
        self.SetAlpha(PascalAlpha())
        self.SetPortfolioConstruction(EqualWeightingPortfolioConstructionModel())
        self.SetExecution(ImmediateExecutionModel())
"""

PASCAL_MODEL = """

class PascalAlpha(AlphaModel):
    def __init__(self):
        self.securities = []

    def OnSecuritiesChanged(self, algorithm, changes):
        self.securities.extend(changes.AddedSecurities)

    def Update(self, algorithm, data):
        if algorithm.Portfolio.Invested:
            return []
        return [Insight.Price(s.Symbol, timedelta(days=1), InsightDirection.Up) for s in self.securities]
"""


def test_models_written_in_pascal_case_are_called(tmp_path: Path, data: Path) -> None:
    algorithm = _run(tmp_path, data, HEADER.format(models=PASCAL), PASCAL_MODEL)
    assert sorted(fill[:2] for fill in algorithm.fills) == [(datetime(2013, 10, 7, 9, 31), "ABC"),
                                                           (datetime(2013, 10, 7, 9, 31), "XYZ")]
