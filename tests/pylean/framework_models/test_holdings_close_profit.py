"""A holding's unrealized profit is Lean's: the profit of closing it now at the bid (long) or the ask (short) less
the fee of the closing order; iterating the securities or the portfolio yields key/value pairs."""
from __future__ import annotations

from typing import Any

import pytest
from orders_support import DAY1, MiniData, OrderTestAlgorithm, algo, run

from pylean.algorithm_imports import PositionSide


class HoldingsProbe(OrderTestAlgorithm):
    SIDE = 100

    def setup(self) -> None:
        self.seen: dict[str, Any] = {}

    def on_data(self, data: Any) -> None:
        if self.at("09:31"):
            self.market_order(self.test, self.SIDE)
        if self.at("10:01"):
            holding = self.portfolio[self.test]
            self.seen["profit"] = holding.unrealized_profit
            self.seen["percent"] = holding.unrealized_profit_percent
            self.seen["securities"] = [(kvp.key.value, kvp.value.symbol.value, kvp.Value.invested)
                                       for kvp in self.securities]
            self.seen["portfolio"] = [(kvp.key.value, kvp.value.quantity) for kvp in self.portfolio]


class ShortProbe(HoldingsProbe):
    SIDE = -100


def probe(data: MiniData, algorithm: type) -> dict[str, Any]:
    # 100 until 10:00, then 102: quotes are the trade price -/+ 0.01
    data.write(data.day(DAY1).fill("10:00", "16:00", 102))
    return algo(run(data, algorithm)).seen


def test_a_long_holding_closes_at_the_bid_less_the_closing_fee(data: MiniData) -> None:
    seen = probe(data, HoldingsProbe)
    # bought at the ask 100.01; sold now at the bid 101.99 for the $1 minimum fee
    assert seen["profit"] == pytest.approx((101.99 - 100.01) * 100 - 1)
    assert seen["percent"] == pytest.approx(((101.99 - 100.01) * 100 - 1) / 10001)


def test_a_short_holding_closes_at_the_ask(data: MiniData) -> None:
    seen = probe(data, ShortProbe)
    # sold at the bid 99.99; bought back now at the ask 102.01
    assert seen["profit"] == pytest.approx((102.01 - 99.99) * -100 - 1)
    assert seen["percent"] == pytest.approx(((102.01 - 99.99) * -100 - 1) / 9999)


def test_iterating_securities_and_portfolio_gives_key_value_pairs(data: MiniData) -> None:
    seen = probe(data, HoldingsProbe)
    assert seen["securities"] == [("TEST", "TEST", True)]
    assert seen["portfolio"] == [("TEST", 100)]


def test_position_side_values() -> None:
    assert (int(PositionSide.SHORT), int(PositionSide.NONE), int(PositionSide.LONG)) == (-1, 0, 1)
    assert PositionSide.Long == PositionSide.LONG
