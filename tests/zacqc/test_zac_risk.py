"""RiskManager: the daily portfolio profit target and its resets."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from zac_fakes import FakeAlgorithm, build_managers

from AlgorithmImports import OrderStatus

T = datetime(2025, 10, 1, 11, 0)


@pytest.fixture
def setup() -> tuple[FakeAlgorithm, list[Any], Any]:
    algo = FakeAlgorithm(T.replace(hour=0))
    managers, risk = build_managers(algo, {"AAA": 100.0, "BBB": 50.0})
    algo.time = T
    return algo, managers, risk


def test_target_cancels_entries_and_liquidates_once(setup: tuple[FakeAlgorithm, list[Any], Any]) -> None:
    algo, (a, b), risk = setup
    assert risk.check_daily_pnl_limit() is False and risk.start_value == 500_000
    algo.market_order(a.symbol, 1000)                       # long AAA at 100
    algo.market_order(b.symbol, -1000)                      # short BBB at 50
    entry = algo.transactions.submit(b.symbol, -10, "stop", "Short-cond4-Trail-BBB", stop=49.0)
    b.strategy.flags["cond4"] = True
    algo.securities[a.symbol].price = 100.9                 # +900
    algo.securities[b.symbol].price = 49.6                  # +400: 1,300 = 0.26 %
    assert risk.check_daily_pnl_limit() is False
    algo.securities[b.symbol].price = 49.5                  # 1,400 = 0.28 %
    assert risk.check_daily_pnl_limit() is True and risk.daily_limit_reached and risk.target_pnl_reached
    markets = [o for o in algo.transactions.orders.values() if o.tag == "targetprofit"]
    assert [(o.symbol, o.quantity) for o in markets] == [(a.symbol, -1000), (b.symbol, 1000)]
    assert entry.order.status == OrderStatus.CANCELED and not b.strategy.flags["cond4"]
    assert algo.portfolio[a.symbol].quantity == 0 and algo.portfolio[b.symbol].quantity == 0
    assert risk.check_daily_pnl_limit() is True             # realized now, still at target
    assert len([o for o in algo.transactions.orders.values() if o.tag == "targetprofit"]) == 2
    assert risk.validate_trading_conditions() is False


def test_reset_daily_moves_the_realized_base(setup: tuple[FakeAlgorithm, list[Any], Any]) -> None:
    algo, (a, _), risk = setup
    risk.check_daily_pnl_limit()
    algo.market_order(a.symbol, 1000)
    algo.securities[a.symbol].price = 102.0
    algo.market_order(a.symbol, -1000)
    assert algo.portfolio.total_profit == pytest.approx(2000.0)
    assert risk.check_daily_pnl_limit() is True
    risk.reset_daily()
    assert not risk.daily_limit_reached and risk.start_realized == pytest.approx(2000.0)
    assert risk.check_daily_pnl_limit() is False


def test_new_date_takes_a_new_start_value(setup: tuple[FakeAlgorithm, list[Any], Any]) -> None:
    algo, (a, _), risk = setup
    risk.check_daily_pnl_limit()
    algo.portfolio.cash += 1000.0
    assert risk.start_value == 500_000
    algo.time = T + timedelta(days=1)
    risk.check_daily_pnl_limit()
    assert risk.start_value == 501_000


def test_no_target_when_zero(setup: tuple[FakeAlgorithm, list[Any], Any]) -> None:
    algo, (a, _), risk = setup
    risk.params = type(risk.params)(Max_Daily_PNL=0.0)
    algo.market_order(a.symbol, 1000)
    algo.securities[a.symbol].price = 200.0
    assert risk.check_daily_pnl_limit() is False


def test_market_closed_blocks_conditions(setup: tuple[FakeAlgorithm, list[Any], Any]) -> None:
    algo, (a, _), risk = setup
    assert risk.validate_trading_conditions() is True
    algo.securities[a.symbol].exchange.exchange_open = False
    assert risk.validate_trading_conditions() is False
