"""The one-frame builders of the market order path make what the constructors they stand for make: the same
fields in the same order (stamped_event, new_market_order, usd_fee), and order_local_ms's shortcut from the
step's clock gives the conversion's answer, in and around the daylight-saving switches."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from hypothesis import given, settings, strategies as st

from pylean.enums import OrderStatus, OrderType
from pylean.orders.creation import new_market_order, order_from_request
from pylean.orders.fill_model import order_local_ms
from pylean.orders.requests import SubmitOrderRequest
from pylean.orders.types import (CashAmount, LimitOrder, MarketOrder, OrderEvent, OrderFee, OrderProperties,
                                 StopLimitOrder, TrailingStopOrder, stamped_event, usd_fee)
from pylean.symbols import Symbol
from pylean.timeutil import last_new_york_times, local_to_ms, local_to_utc, utc_to_local

SYMBOL = Symbol.create("SPY")
UTC = datetime(2013, 10, 7, 14, 31, tzinfo=timezone.utc)


def _order(kind: int, quantity: Decimal, price: Decimal, percent: bool) -> Any:
    if kind == 0:
        return MarketOrder(SYMBOL, quantity, UTC)
    if kind == 1:
        return LimitOrder(SYMBOL, quantity, price, UTC, "tag")
    if kind == 2:
        return StopLimitOrder(SYMBOL, quantity, price, price + 1, UTC)
    return TrailingStopOrder(SYMBOL, quantity, price, Decimal("0.25"), percent, UTC)


@settings(max_examples=200)
@given(kind=st.integers(0, 3), quantity=st.integers(-500, 500).map(Decimal),
       price=st.decimals("0.01", "900", places=2), percent=st.booleans(),
       status=st.sampled_from(list(OrderStatus)), message=st.sampled_from(["", "note"]),
       naive=st.booleans(), fee=st.sampled_from([None, Decimal("1.5")]))
def test_stamped_event_is_the_constructed_event(kind: int, quantity: Decimal, price: Decimal, percent: bool,
                                                status: OrderStatus, message: str, naive: bool,
                                                fee: Decimal | None) -> None:
    order = _order(kind, quantity, price, percent)
    time = UTC.replace(tzinfo=None) if naive else UTC
    order_fee = OrderFee(CashAmount(fee, "USD")) if fee is not None else None
    built = OrderEvent(order, time, order_fee, message)
    built.status = status
    fast = (stamped_event(order, time, status, order_fee, message) if order_fee is not None
            else stamped_event(order, time, status, message=message))
    assert list(vars(fast)) == list(vars(built))
    assert {k: v for k, v in vars(fast).items() if k != "order_fee"} == {
        k: v for k, v in vars(built).items() if k != "order_fee"}
    assert repr(fast) == repr(built)


@settings(max_examples=100)
@given(quantity=st.integers(-500, 500).filter(bool).map(Decimal), tag=st.sampled_from(["", "t"]),
       timed=st.booleans(), properties=st.booleans())
def test_new_market_order_is_order_from_request(quantity: Decimal, tag: str, timed: bool, properties: bool) -> None:
    request = SubmitOrderRequest.of(OrderType.MARKET, SYMBOL.security_type, SYMBOL, quantity, 0, 0, 0, 0, False,
                                    UTC.replace(tzinfo=None) if timed else None, tag,
                                    OrderProperties() if properties else None, False)
    request.order_id = 7
    built = order_from_request(request, UTC)
    fast = new_market_order(request, UTC)
    assert type(fast) is type(built)
    assert list(vars(fast)) == list(vars(built))
    assert {k: v for k, v in vars(fast).items() if k != "properties"} == {
        k: v for k, v in vars(built).items() if k != "properties"}
    assert fast.properties.time_in_force is built.properties.time_in_force


@given(amount=st.decimals("0", "1000", places=4) | st.integers(0, 100) | st.floats(0, 100))
def test_usd_fee_is_the_constructed_fee(amount: Any) -> None:
    built, fast = OrderFee(CashAmount(amount, "USD")), usd_fee(amount)
    assert (str(fast.value._amount), fast.value.currency) == (str(built.value._amount), built.value.currency)


# every minute around the 2013 switches (spring forward March 10 2-3 am, fall back November 3 1-2 am) and a
# regular session
_LOCALS = st.sampled_from([datetime(2013, 3, 10), datetime(2013, 11, 3), datetime(2013, 10, 7, 9)]).flatmap(
    lambda day: st.integers(0, 6 * 60).map(lambda minute: day + timedelta(minutes=minute)))


@settings(max_examples=300)
@given(local=_LOCALS, fold=st.sampled_from([0, 1]))
def test_order_local_ms_from_the_clock_is_the_conversion(local: datetime, fold: int) -> None:
    local = local.replace(fold=fold)
    utc = local_to_utc(local)  # the step's clock converted, as orders take their time
    assert last_new_york_times[1] is utc
    order = MarketOrder(SYMBOL, Decimal(1), utc)
    assert order._time is utc
    assert order_local_ms(order) == local_to_ms(utc_to_local(utc))
