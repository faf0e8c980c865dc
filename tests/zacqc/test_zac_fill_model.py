"""PreciseFillModel on hand-made last bars (pylean's order and event types)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from zac_fakes import FakeAlgorithm

from AlgorithmImports import LimitOrder, MarketOrder, OrderStatus, StopMarketOrder, Symbol, TradeBar
from core.fill_model import PreciseFillModel

T = datetime(2025, 10, 1, 11, 28, 21)
UTC = datetime(2025, 10, 1, 15, 28, 20, tzinfo=timezone.utc)
MCD = Symbol.create("MCD")


@dataclass
class Cache:
    bar: TradeBar | None

    def get_data(self, data_type: Any = None) -> TradeBar | None:
        return self.bar


@dataclass
class Exchange:
    exchange_open: bool = True


@dataclass
class Asset:
    price: float
    bar: TradeBar | None
    symbol: Symbol = MCD
    exchange: Exchange = field(default_factory=Exchange)

    @property
    def cache(self) -> Cache:
        return Cache(self.bar)

    @property
    def open(self) -> float:
        return self.bar.open if self.bar else self.price

    @property
    def close(self) -> float:
        return self.price


def last_bar(o: float, h: float, low: float, c: float) -> TradeBar:
    return TradeBar(T - timedelta(seconds=1), MCD, o, h, low, c, 100, period=timedelta(seconds=1))


@pytest.fixture
def model() -> PreciseFillModel:
    return PreciseFillModel(FakeAlgorithm(T))  # type: ignore[arg-type]


def stop(quantity: int, price: float) -> StopMarketOrder:
    order = StopMarketOrder(MCD, Decimal(quantity), Decimal(repr(price)), UTC, "")
    order.status = OrderStatus.SUBMITTED
    return order


def limit(quantity: int, price: float, tag: str = "") -> LimitOrder:
    order = LimitOrder(MCD, Decimal(quantity), Decimal(repr(price)), UTC, tag)
    order.status = OrderStatus.SUBMITTED
    return order


def test_buy_stop_fills_exactly_at_its_stop_when_the_high_touches(model: PreciseFillModel) -> None:
    event = model.stop_market_fill(Asset(299.3, last_bar(299.2, 299.45, 299.1, 299.3)), stop(1003, 299.40763840313247))
    assert event.status == OrderStatus.FILLED and event.fill_price == 299.40763840313247 and event.fill_quantity == 1003
    event = model.stop_market_fill(Asset(299.3, last_bar(299.2, 299.4, 299.1, 299.3)), stop(1003, 299.40763840313247))
    assert event.status != OrderStatus.FILLED


def test_sell_stop_no_gap_slippage(model: PreciseFillModel) -> None:
    event = model.stop_market_fill(Asset(299.0, last_bar(299.1, 299.2, 298.0, 299.0)), stop(-1003, 299.48))
    assert event.status == OrderStatus.FILLED and event.fill_price == 299.48 and event.fill_quantity == -1003


def test_without_a_bar_the_price_decides(model: PreciseFillModel) -> None:
    assert model.stop_market_fill(Asset(299.5, None), stop(10, 299.48)).status == OrderStatus.FILLED
    assert model.stop_market_fill(Asset(299.4, None), stop(10, 299.48)).status != OrderStatus.FILLED
    assert model.limit_fill(Asset(299.5, None), limit(-10, 299.48)).status == OrderStatus.FILLED


def test_limits_fill_on_touch(model: PreciseFillModel) -> None:
    bar = last_bar(300.0, 300.15, 299.9, 300.1)
    sell = model.limit_fill(Asset(300.1, bar), limit(-1003, 300.15))
    assert sell.status == OrderStatus.FILLED and sell.fill_price == 300.15
    buy = model.limit_fill(Asset(300.1, bar), limit(1003, 299.9))
    assert buy.status == OrderStatus.FILLED and buy.fill_price == 299.9
    assert model.limit_fill(Asset(300.1, bar), limit(1003, 299.89)).status != OrderStatus.FILLED


def test_market_fills_at_the_last_price_and_cancelled_orders_never_fill(model: PreciseFillModel) -> None:
    order = MarketOrder(MCD, Decimal(-5), UTC, "targetprofit")
    order.status = OrderStatus.SUBMITTED
    event = model.market_fill(Asset(301.25, last_bar(1, 1, 1, 1)), order)
    assert event.status == OrderStatus.FILLED and event.fill_price == 301.25 and event.fill_quantity == -5
    assert any("targetprofit" in line for line in model.algorithm.logs)  # type: ignore[attr-defined]
    cancelled = stop(10, 1.0)
    cancelled.status = OrderStatus.CANCELED
    assert model.stop_market_fill(Asset(5.0, last_bar(5, 5, 5, 5)), cancelled).status == OrderStatus.CANCELED
    pending = stop(10, 1.0)
    pending.status = OrderStatus.CANCEL_PENDING  # not treated as cancelled (hazard H2)
    assert model.stop_market_fill(Asset(5.0, last_bar(5, 5, 5, 5)), pending).status == OrderStatus.FILLED
