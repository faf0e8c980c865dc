"""OrderListHash (pylean/results/order_list_hash.py) on hand-built orders: each order type's field order,
smart-rounded prices, normalized quantities, dates, null and absent fields, string escaping, the id order."""
from __future__ import annotations

import hashlib
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from pylean.enums import OrderStatus
from pylean.orders.time_in_force import TimeInForce
from pylean.orders.types import (LimitIfTouchedOrder, LimitOrder, MarketOnCloseOrder, MarketOnOpenOrder,
                                 MarketOrder, Order, OrderProperties, StopLimitOrder, StopMarketOrder,
                                 TrailingStopOrder)
from pylean.results.order_list_hash import (EMPTY_HASH, json_string, order_json_text, order_list_hash,
                                            time_in_force_json)
from pylean.symbols import Symbol

SUBMITTED = datetime(2013, 10, 7, 13, 31, tzinfo=timezone.utc)
SYMBOL_JSON = '"symbol":{"value":"TEST","id":"TEST 2T","permtick":"TEST"}'
GTC = '"properties":{"timeInForce":{}}'


def accepted(order: Order, order_id: int = 1, bid: str = "99.99", ask: str = "100.01", last: str = "100") -> Order:
    """The order as Lean's transaction handler leaves an accepted one: id, broker id, submission quote."""
    order.id = order_id
    order.broker_id = [str(order_id)]
    order.status = OrderStatus.SUBMITTED
    order._submission_bid, order._submission_ask, order._submission_last = Decimal(bid), Decimal(ask), Decimal(last)
    order._submission_recorded = True
    return order


def filled(order: Order, price: str, when: datetime = SUBMITTED) -> Order:
    order._price = Decimal(price)
    order._last_fill_time = when
    order.status = OrderStatus.FILLED
    return order


def symbol() -> Symbol:
    return Symbol.create("TEST")


def test_no_orders_hash_the_empty_string() -> None:
    assert order_list_hash({}) == hashlib.md5(b"").hexdigest() == EMPTY_HASH


def test_filled_market_order_is_written_field_by_field() -> None:
    order = filled(accepted(MarketOrder(symbol(), 10, SUBMITTED)), "100.01")
    assert order_json_text(order) == (
        '{"type":0,"id":1,"contingentId":0,"brokerId":["1"],' + SYMBOL_JSON + ',"price":100.01,'
        '"priceCurrency":"USD","time":"2013-10-07T13:31:00Z","createdTime":"2013-10-07T13:31:00Z",'
        '"lastFillTime":"2013-10-07T13:31:00Z","quantity":10.0,"status":3,"tag":"",' + GTC + ','
        '"securityType":1,"direction":0,"value":1000.10,'
        '"orderSubmissionData":{"bidPrice":99.99,"askPrice":100.01,"lastPrice":100.0},'
        '"isMarketable":true,"priceAdjustmentMode":1}')


def test_the_hash_is_the_md5_of_the_orders_joined_by_commas_in_id_order() -> None:
    first = accepted(MarketOrder(symbol(), 10, SUBMITTED), 1)
    second = accepted(MarketOnOpenOrder(symbol(), -5, SUBMITTED), 2)
    joined = order_json_text(first) + "," + order_json_text(second)
    assert order_list_hash({2: second, 1: first}) == hashlib.md5(joined.encode()).hexdigest()
    assert order_list_hash([second, first]) == order_list_hash({1: first, 2: second})


@pytest.mark.parametrize(("order", "head"), [
    (MarketOnOpenOrder(symbol(), 1, SUBMITTED), '{"type":4,"id":1,'),
    (MarketOnCloseOrder(symbol(), 1, SUBMITTED), '{"type":5,"id":1,'),
    (LimitOrder(symbol(), 1, Decimal("99.5"), SUBMITTED), '{"limitPrice":99.5,"type":1,"id":1,'),
    (StopMarketOrder(symbol(), -1, Decimal("98.25"), SUBMITTED), '{"stopPrice":98.25,"type":2,"id":1,'),
    (StopLimitOrder(symbol(), 1, Decimal("101"), Decimal("101.5"), SUBMITTED),
     '{"stopPrice":101.0,"stopTriggered":false,"limitPrice":101.5,"type":3,"id":1,'),
    (TrailingStopOrder(symbol(), -1, Decimal("95"), Decimal("0.05"), True, SUBMITTED),
     '{"trailingAmount":0.05,"trailingAsPercentage":true,"type":11,"stopPrice":95.0,"id":1,'),
    (LimitIfTouchedOrder(symbol(), 1, Decimal("99"), Decimal("98.5"), SUBMITTED),
     '{"type":7,"triggerPrice":99.0,"limitPrice":98.5,"triggerTouched":false,"id":1,'),
], ids=["moo", "moc", "limit", "stop-market", "stop-limit", "trailing-stop", "limit-if-touched"])
def test_each_order_type_writes_its_own_fields_first(order: Order, head: str) -> None:
    text = order_json_text(accepted(order))
    assert text.startswith(head), text
    assert text.count('"type":') == 1


def test_prices_are_smart_rounded_and_quantities_normalized() -> None:
    order = accepted(LimitOrder(symbol(), Decimal("124.0"), Decimal("143.15621234"), SUBMITTED))
    filled(order, "143.1562123")
    text = order_json_text(order)
    assert '"limitPrice":143.1562,' in text          # 7 significant digits below 1000
    assert '"price":143.1562,' in text
    assert '"quantity":124.0,' in text                # the normalized 124, written with ".0"
    assert '"value":17751.3688,' in text              # 124 x 143.1562: the scale of the normalized factors
    big = filled(accepted(MarketOrder(symbol(), 3, SUBMITTED)), "1234.567891")
    assert '"price":1234.5679,' in order_json_text(big)  # above 1000: 4 decimals
    small = filled(accepted(MarketOrder(symbol(), 3, SUBMITTED)), "0.000123456789")
    assert '"price":0.0001234568,' in order_json_text(small)


def test_submission_prices_keep_their_decimal_scale() -> None:
    order = accepted(MarketOrder(symbol(), 1, SUBMITTED), bid="144.77307790400", ask="144.78172417000",
                     last="144.77307790400")
    assert ('"orderSubmissionData":{"bidPrice":144.77307790400,"askPrice":144.78172417000,'
            '"lastPrice":144.77307790400}') in order_json_text(order)


def test_limit_order_is_marketable_when_priced_through_the_quote() -> None:
    through = accepted(LimitOrder(symbol(), 10, Decimal("100.01"), SUBMITTED), ask="100.01")
    resting = accepted(LimitOrder(symbol(), 10, Decimal("100"), SUBMITTED), ask="100.01")
    sell_through = accepted(LimitOrder(symbol(), -10, Decimal("99.99"), SUBMITTED), bid="99.99")
    assert '"isMarketable":true' in order_json_text(through)
    assert '"isMarketable":false' in order_json_text(resting)
    assert '"isMarketable":true' in order_json_text(sell_through)
    assert '"isMarketable":false' in order_json_text(accepted(StopMarketOrder(symbol(), 1, 101, SUBMITTED)))


def test_dates_trim_fractions_and_absent_times_are_left_out() -> None:
    order = accepted(MarketOrder(symbol(), 1, datetime(2013, 10, 7, 13, 31, 5, 250000, tzinfo=timezone.utc)))
    order._canceled_time = datetime(2013, 10, 7, 14, 0, tzinfo=timezone.utc)
    order.status = OrderStatus.CANCELED
    text = order_json_text(order)
    assert '"time":"2013-10-07T13:31:05.25Z","createdTime":"2013-10-07T13:31:05.25Z",' in text
    assert '"canceledTime":"2013-10-07T14:00:00Z",' in text
    assert "lastFillTime" not in text and "lastUpdateTime" not in text
    assert '"status":5,' in text


def test_an_order_refused_up_front_has_null_submission_data_and_no_broker_id() -> None:
    order = MarketOrder(symbol(), 1, SUBMITTED, tag="Algorithm warming up.")
    order.id, order.status, order.price_adjustment_mode = 3, OrderStatus.INVALID, 0
    text = order_json_text(order)
    assert '"brokerId":[],' in text
    assert '"orderSubmissionData":null,' in text
    assert '"status":7,"tag":"Algorithm warming up.",' in text
    assert text.endswith('"priceAdjustmentMode":0}')


def test_time_in_force_carries_its_dotnet_type_name_except_good_til_canceled() -> None:
    assert time_in_force_json(TimeInForce.GOOD_TIL_CANCELED) == {}
    assert time_in_force_json(TimeInForce.DAY) == {"$type": "QuantConnect.Orders.TimeInForces.DayTimeInForce"}
    order = accepted(LimitOrder(symbol(), 1, 99, SUBMITTED,
                                properties=OrderProperties(TimeInForce.good_til_date(date(2013, 10, 10)))))
    assert ('"properties":{"timeInForce":{"$type":"QuantConnect.Orders.TimeInForces.GoodTilDateTimeInForce",'
            '"Expiry":"2013-10-10T00:00:00"}}') in order_json_text(order)


def test_sell_direction_and_negative_value() -> None:
    order = filled(accepted(MarketOrder(symbol(), -10, SUBMITTED)), "99.99")
    text = order_json_text(order)
    assert '"quantity":-10.0,' in text and '"direction":1,' in text and '"value":-999.90,' in text


@pytest.mark.parametrize(("text", "written"), [
    ("plain", '"plain"'),
    ('say "hi"', '"say \\"hi\\""'),
    ("back\\slash", '"back\\\\slash"'),
    ("line\nbreak\ttab", '"line\\nbreak\\ttab"'),
    ("bell\x07", '"bell\\u0007"'),
    ("sep\u2028", '"sep\\u2028"'),
    ("café / <b>", '"café / <b>"'),
])
def test_strings_are_escaped_as_newtonsoft_does(text: str, written: str) -> None:
    assert json_string(text) == written


def test_tags_change_the_hash() -> None:
    one = accepted(MarketOrder(symbol(), 1, SUBMITTED, tag="a"))
    other = accepted(MarketOrder(symbol(), 1, SUBMITTED, tag="b"))
    assert order_list_hash([one]) != order_list_hash([other])
