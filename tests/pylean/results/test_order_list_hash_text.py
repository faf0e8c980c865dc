"""OrderListHash's order text is written field by field; it equals the dict-built Newtonsoft text
(`write_json(order_fields(order))`) for every order type, status, price, time, tag and time in force."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from pylean.enums import OrderStatus
from pylean.orders.time_in_force import TimeInForce
from pylean.orders.types import (CashAmount, LimitIfTouchedOrder, LimitOrder, MarketOnCloseOrder, MarketOnOpenOrder,
                                 MarketOrder, OrderEvent, OrderFee, OrderProperties, StopLimitOrder, StopMarketOrder,
                                 TrailingStopOrder)
from pylean.results.json_text import dumps_indent1_object
from pylean.results.order_list_hash import order_fields, order_json_text, write_json
from pylean.results.writer import _STATUS_NAMES, _num, order_event_json, order_json, orders_parts
from pylean.symbols import Symbol

T0 = datetime(2013, 10, 7, 13, 31, tzinfo=timezone.utc)
_prices = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("100000"), places=8)
_times = st.none() | st.integers(min_value=0, max_value=10**9).map(lambda us: T0 + timedelta(microseconds=us))
_tifs = st.sampled_from([TimeInForce.GOOD_TIL_CANCELED, TimeInForce.DAY,
                         TimeInForce.good_til_date(datetime(2013, 10, 9, 16, 0))])


@st.composite
def _orders(draw):
    kind = draw(st.sampled_from(["market", "moo", "moc", "limit", "stop", "stop_limit", "lit", "trailing"]))
    symbol = Symbol.create(draw(st.sampled_from(["SPY", "AAPL", "BRK.B"])))
    quantity = Decimal(draw(st.integers(min_value=-10_000, max_value=10_000))) / draw(st.sampled_from([1, 10, 100]))
    a, b = draw(_prices), draw(_prices)
    properties = OrderProperties(draw(_tifs))
    tag = draw(st.none() | st.text(max_size=12) | st.sampled_from(["", 'a"b\\c', "é\u2028\x85\n"]))
    make = {"market": lambda: MarketOrder(symbol, quantity, T0, "", properties),
            "moo": lambda: MarketOnOpenOrder(symbol, quantity, T0, "", properties),
            "moc": lambda: MarketOnCloseOrder(symbol, quantity, T0, "", properties),
            "limit": lambda: LimitOrder(symbol, quantity, a, T0, "", properties),
            "stop": lambda: StopMarketOrder(symbol, quantity, a, T0, "", properties),
            "stop_limit": lambda: StopLimitOrder(symbol, quantity, a, b, T0, "", properties),
            "lit": lambda: LimitIfTouchedOrder(symbol, quantity, a, b, T0, "", properties),
            "trailing": lambda: TrailingStopOrder(symbol, quantity, a, b, draw(st.booleans()), T0, "", properties)}
    order = make[kind]()
    order.id = draw(st.integers(min_value=1, max_value=10**6))
    order.broker_id = draw(st.sampled_from([[], [str(order.id)], [str(order.id), "x"]]))
    order.status = draw(st.sampled_from(list(OrderStatus)))
    order.tag = tag
    order._price = draw(st.sampled_from([Decimal(0), a, b, Decimal("1.50")]))
    order._last_fill_time, order._last_update_time, order._canceled_time = draw(_times), draw(_times), draw(_times)
    if draw(st.booleans()):
        order._submission_bid, order._submission_ask, order._submission_last = a, b, draw(_prices)
        order._submission_recorded = True
    order.price_adjustment_mode = draw(st.sampled_from([0, 1, 3]))
    return order


@settings(max_examples=600, deadline=None)
@given(_orders())
def test_field_by_field_text_equals_the_dict_built_text(order):
    assert order_json_text(order) == write_json(order_fields(order))


# ------------------------------------------------------------------ the result file's orders and order events
# (written as text directly; each must be what json.dumps writes for the fields Lean's serializer emits)

@settings(max_examples=300, deadline=None)
@given(st.lists(_orders(), max_size=3))
def test_result_file_orders_text_equals_json_dumps(orders):
    by_id = {order.id: order for order in orders}
    for index, order in enumerate(orders):
        order._created_time = order._time if index % 2 else None
    expected = json.dumps({"orders": {str(i): order_json(o) for i, o in by_id.items()}}, indent=1)
    assert dumps_indent1_object({"orders": orders_parts(by_id)}, _num) == expected


def _event_fields(event, algorithm_id):
    """The event fields Lean's OrderEvent serializer writes, in its order (what the events file holds)."""
    data = {"id": f"{algorithm_id}-{event.order_id}-{event.id}", "algorithmId": algorithm_id,
            "orderId": event.order_id, "orderEventId": event.id, "symbol": str(event.symbol.id),
            "symbolValue": event.symbol.value, "symbolPermtick": event.symbol.value,
            "time": event._utc_time.timestamp(), "status": _STATUS_NAMES[int(event.status)]}
    if event.order_fee.value._amount:
        data["orderFeeAmount"] = _num(event.order_fee.value._amount)
        data["orderFeeCurrency"] = "USD"
    data.update({"fillPrice": float(event._fill_price), "fillPriceCurrency": "USD",
                 "fillQuantity": float(event._fill_quantity), "direction": "buy" if int(event.direction) == 0 else "sell"})
    if event.message:
        data["message"] = event.message
    data["isAssignment"] = False
    data["quantity"] = float(event._quantity)
    for key, value in (("stopPrice", event._stop_price), ("limitPrice", event._limit_price)):
        if value is not None:
            data[key] = float(value)
    return data


@settings(max_examples=300, deadline=None)
@given(_orders(), st.sampled_from([Decimal(0), Decimal(1), Decimal("0.35"), Decimal("1E-7")]),
       st.sampled_from(["", "filled", 'a"b\\é\u2028']), st.sampled_from(["Algo", "Algé"]), _prices,
       st.sampled_from([OrderStatus.SUBMITTED, OrderStatus.FILLED, OrderStatus.CANCELED]))
def test_order_event_text_equals_json_dumps(order, fee, message, algorithm_id, fill_price, status):
    order.status = status
    event = OrderEvent(order, T0 + timedelta(seconds=order.id), OrderFee(CashAmount(fee)), message)
    event.id = order.id % 7
    event._fill_price, event._fill_quantity = fill_price, order._quantity
    assert order_event_json(event, algorithm_id) == json.dumps(_event_fields(event, algorithm_id),
                                                               separators=(",", ":"))


def test_equal_prices_of_different_scale_write_their_own_value_text():
    """smart_round gives 100000.0000 for 99999.99999999 and 100000 for 100000.0000: equal decimals whose
    products with a quantity have different digits. Each order's value text follows its own scale, in
    either order, however the texts already written in this process were keyed."""
    symbol = Symbol.create("SPY")
    for prices in (["99999.99999999", "100000.0000"], ["100000.0000", "99999.99999999"]):
        for price in prices:
            order = MarketOrder(symbol, Decimal("-11.58"), T0, "", OrderProperties(TimeInForce.GOOD_TIL_CANCELED))
            order.id, order._price = 1, Decimal(price)
            assert order_json_text(order) == write_json(order_fields(order))
