"""The risk models' rules on a position of our own: per-security drawdown and profit limits (measured as closing
the position at the bid, fees included), the trailing stop, and the portfolio drawdown limit."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from orders_support import DAY1, MiniData, OrderTestAlgorithm, algo, run

from pylean.algorithm_trading import PortfolioTarget
from pylean.framework.models import (MaximumDrawdownPercentPerSecurity, MaximumDrawdownPercentPortfolio,
                                     MaximumUnrealizedProfitPercentPerSecurity, TrailingStopRiskManagementModel)

CHECKS = ("10:00", "10:31", "10:46", "11:01")


class RiskProbe(OrderTestAlgorithm):
    """Buys 100 TEST at 09:31 and asks each model for its targets at the check times."""

    def setup(self) -> None:
        self.models = {
            "drawdown_tight": MaximumDrawdownPercentPerSecurity(0.00025),
            "drawdown_loose": MaximumDrawdownPercentPerSecurity(-0.0005),  # the sign is ignored
            "profit": MaximumUnrealizedProfitPercentPerSecurity(0.01),
            "trailing": TrailingStopRiskManagementModel(0.01),
        }
        self.asked: dict[str, dict[str, list[tuple[str, float]]]] = {name: {} for name in self.models}

    def on_data(self, data: Any) -> None:
        if self.at("09:31"):
            self.market_order(self.test, 100)
        for at in CHECKS:
            if self.at(at):
                for name, model in self.models.items():
                    targets = model.manage_risk(self, [])
                    self.asked[name][at] = [(t.symbol.value, float(t.quantity)) for t in targets]


def run_probe(data: MiniData) -> dict[str, dict[str, list[tuple[str, float]]]]:
    # quotes are the trade price -/+ 0.01: the 09:31 buy fills at the ask, 100.01, and pays the $1 minimum fee
    day = data.day(DAY1).fill("10:30", "10:45", 103).fill("10:45", "11:00", 102).fill("11:00", "16:00", 101.9)
    data.write(day)
    outcome = run(data, RiskProbe)
    probe = algo(outcome)
    assert probe.portfolio[probe.test].average_price == 100.01
    return probe.asked


def test_per_security_drawdown_counts_the_spread_and_the_closing_fee(data: MiniData) -> None:
    asked = run_probe(data)
    # at 100 the close is at the bid 99.99 with a $1 fee: (99.99 - 100.01) * 100 - 1 = -3 on a cost of 10001,
    # -0.03 %: past a 0.025 % limit (the last price alone, -0.01 %, would not be), within 0.05 %
    assert asked["drawdown_tight"]["10:00"] == [("TEST", 0.0)]
    assert asked["drawdown_loose"] == {at: [] for at in CHECKS}


def test_per_security_profit_limit_liquidates_above_it(data: MiniData) -> None:
    asked = run_probe(data)
    assert asked["profit"]["10:00"] == []
    # at 103 the close earns (102.99 - 100.01) * 100 - 1 = 297 on 10001: 2.97 % > 1 %
    assert asked["profit"]["10:31"] == [("TEST", 0.0)]


def test_trailing_stop_follows_the_best_value_and_stops_past_the_percent(data: MiniData) -> None:
    asked = run_probe(data)
    assert asked["trailing"]["10:00"] == []  # 10000 against the cost 10001: 0.01 % below
    assert asked["trailing"]["10:31"] == []  # a new best value, 10300
    assert asked["trailing"]["10:46"] == []  # 10200 is 0.97 % below the best
    assert asked["trailing"]["11:01"] == [("TEST", 0.0)]  # 10190 is 1.07 % below


class _Insights:
    def __init__(self) -> None:
        self.cancelled: list[Any] = []

    def cancel(self, symbols: Any) -> None:
        self.cancelled.extend(symbols)


class _Portfolio:
    value = Decimal(100000)

    def total_portfolio_value_decimal(self) -> Decimal:
        return self.value


class _Algorithm:
    def __init__(self) -> None:
        self.portfolio, self.insights = _Portfolio(), _Insights()

    def check(self, model: Any, value: float, symbols: tuple[str, ...] = ("A", "B")) -> list[tuple[str, Any]]:
        self.portfolio.value = Decimal(str(value))
        targets = [PortfolioTarget(symbol, 10) for symbol in symbols]
        return [(t.symbol, t.quantity) for t in model.manage_risk(self, targets)]


def test_portfolio_drawdown_liquidates_every_target_and_starts_again() -> None:
    algorithm, model = _Algorithm(), MaximumDrawdownPercentPortfolio(0.02)
    assert algorithm.check(model, 100000) == []
    assert algorithm.check(model, 103000) == []  # not trailing: the high stays at the first value
    assert algorithm.check(model, 98100) == []  # -1.9 %
    assert algorithm.check(model, 97900, ()) == []  # past the limit but nothing to liquidate: no reset
    assert algorithm.check(model, 97900) == [("A", 0), ("B", 0)]
    assert algorithm.insights.cancelled == ["A", "B"]
    # the reference restarts at the value of the next check
    assert algorithm.check(model, 96000) == []
    assert algorithm.check(model, 94000) == [("A", 0), ("B", 0)]


def test_trailing_portfolio_drawdown_measures_from_the_highest_value() -> None:
    algorithm, model = _Algorithm(), MaximumDrawdownPercentPortfolio(0.02, is_trailing=True)
    assert algorithm.check(model, 100000) == []
    assert algorithm.check(model, 103000) == []
    assert algorithm.check(model, 101000) == []  # -1.94 % from 103000
    assert algorithm.check(model, 100900) == [("A", 0), ("B", 0)]  # -2.04 %
