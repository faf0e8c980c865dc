"""SetHoldings sizing asks pylean's own fee models for a market order's fee without making the order
(pylean/orders/fees.py `market_order_fee`): the very decimal the order path gives; user models get the order."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from pylean.orders.fees import ConstantFeeModel, FeeModel, InteractiveBrokersFeeModel, market_order_fee, order_fee
from pylean.orders.types import CashAmount, MarketOrder, OrderFee
from pylean.symbols import Symbol

NOW = datetime(2013, 10, 7, 13, 31, tzinfo=timezone.utc)


class _Cache:
    def __init__(self, price: Decimal) -> None:
        self.price = price

    def trade_decimal(self, name: str = "close") -> Decimal:
        return self.price


class _Security:
    def __init__(self, price: Decimal, fee_model: object) -> None:
        self.symbol = Symbol.create("SPY")
        self.cache = _Cache(price)
        self.fee_model = fee_model


def _by_order(security: _Security, quantity: Decimal) -> Decimal:
    return order_fee(security, MarketOrder(security.symbol, quantity, NOW))  # type: ignore[arg-type]


@settings(max_examples=2000, deadline=None)
@given(price=st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("5000"), places=6),
       quantity=st.integers(min_value=-200_000, max_value=200_000).filter(bool),
       base=st.booleans())
def test_own_models_give_the_order_paths_decimal(price, quantity, base):
    security = _Security(price, FeeModel() if base else InteractiveBrokersFeeModel())
    fast = market_order_fee(security, Decimal(quantity))  # type: ignore[arg-type]
    slow = _by_order(security, Decimal(quantity))
    assert fast is not None
    assert (fast, str(fast)) == (slow, str(slow))


def test_minimum_and_cap_boundaries():
    ib = InteractiveBrokersFeeModel()
    for price, quantity in [(Decimal(1), 199), (Decimal(1), 200), (Decimal(1), 201), (Decimal("0.01"), 5000),
                            (Decimal("0.9"), 1000), (Decimal(100), -1)]:
        security = _Security(price, ib)
        fast = market_order_fee(security, Decimal(quantity))  # type: ignore[arg-type]
        assert str(fast) == str(_by_order(security, Decimal(quantity)))


class _UserFee(InteractiveBrokersFeeModel):
    def GetOrderFee(self, parameters):  # noqa: N802 (a user's PascalCase override)
        return OrderFee(CashAmount(Decimal(7), "USD"))


def test_user_models_are_not_answered_without_the_order():
    for model in (_UserFee(), ConstantFeeModel(3)):
        security = _Security(Decimal(10), model)
        assert market_order_fee(security, Decimal(100)) is None  # type: ignore[arg-type]
    assert _by_order(_Security(Decimal(10), _UserFee()), Decimal(100)) == 7
