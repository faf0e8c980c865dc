"""What user code reads from orders, order events, tickets and requests: Python floats (pythonnet turns Lean's
decimals into floats with decimal.ToDouble, and Python numbers into decimals through str), ints for ids,
enums for enums and naive UTC datetimes for times, while pylean keeps its accounting in exact decimals."""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from orders_support import DAY1, TICKER, OrderTestAlgorithm, algo, fills, run

from pylean.enums import OrderDirection, OrderStatus
from pylean.orders.fills import FillModel
from pylean.orders.requests import SubmitOrderRequest, UpdateOrderFields
from pylean.orders.tickets import OrderField
from pylean.orders.types import LimitOrder, OrderEvent, OrderFee, StopMarketOrder, to_float
from pylean.symbols import Symbol

T = datetime(2013, 10, 7, 13, 31)
SYMBOL = Symbol.create(TICKER)


class TouchFillModel(FillModel):
    """A user model in the style of a "precise" fill: the last bar's float prices compared with the order's."""

    def __init__(self, algorithm: Any) -> None:
        super().__init__()
        self.algorithm = algorithm

    def _fill(self, order: Any, price: float) -> OrderEvent:
        event = OrderEvent(order, self.algorithm.utc_time, OrderFee.ZERO)
        event.status = OrderStatus.FILLED
        event.fill_price = price
        event.fill_quantity = order.quantity
        return event

    def limit_fill(self, asset: Any, order: Any) -> OrderEvent:
        bar = asset.cache.get_data()
        sell = order.direction == OrderDirection.SELL
        if bar is not None and (bar.high >= order.limit_price if sell else bar.low <= order.limit_price):
            return self._fill(order, order.limit_price)
        return OrderEvent(order, self.algorithm.utc_time, OrderFee.ZERO)

    def stop_market_fill(self, asset: Any, order: Any) -> OrderEvent:
        bar = asset.cache.get_data()
        sell = order.direction == OrderDirection.SELL
        if bar is not None and (bar.low <= order.stop_price if sell else bar.high >= order.stop_price):
            return self._fill(order, order.stop_price)
        return OrderEvent(order, self.algorithm.utc_time, OrderFee.ZERO)

    def market_fill(self, asset: Any, order: Any) -> OrderEvent:
        return self._fill(order, asset.price)


class Touching(OrderTestAlgorithm):
    """Limit and stop prices equal, as floats, to a later bar's high: a float comparison touches them."""

    LIMIT, STOP = 300.15, 300.15

    def setup(self) -> None:
        self.securities[self.test].set_fill_model(TouchFillModel(self))

    def on_data(self, data: object) -> None:
        if self.at("09:31"):
            self.market_order(self.test, 100)
            self.limit_order(self.test, -50, self.LIMIT)       # sell: fills when high >= limit
            self.stop_market_order(self.test, 50, self.STOP)   # buy: fills when high >= stop


def test_a_user_fill_model_touching_at_exact_float_equality_fills(data) -> None:
    # 300.15 as a float is below the decimal 300.15: compared with a Decimal it would never touch
    data.write(data.day(DAY1, price=300.0).set("09:40", 300.0, 300.15, 299.9, 300.1))
    out = run(data, Touching)
    assert fills(out) == [("09:31", 1, 300.0, 100.0), ("09:41", 2, 300.15, -50.0), ("09:41", 3, 300.15, 50.0)]
    orders = out.record.runtime.transactions.orders
    assert orders[2]._price == Decimal("300.15") and orders[3]._price == Decimal("300.15")  # decimals inside


def test_the_comparison_itself_is_between_floats() -> None:
    order = LimitOrder(SYMBOL, Decimal(-50), Decimal("300.15"), T)
    assert type(order.limit_price) is float and 300.15 >= order.limit_price
    stop = StopMarketOrder(SYMBOL, Decimal(50), Decimal("300.15"), T)
    assert type(stop.stop_price) is float and 300.15 >= stop.StopPrice


class Reader(OrderTestAlgorithm):
    """Reads every number it can from events, order snapshots, tickets and requests."""

    def on_data(self, data: object) -> None:
        if self.at("09:31"):
            self.market_order(self.test, 10)
            self.limit_ticket = self.limit_order(self.test, 5, 99.0)
            self.stop_ticket = self.stop_market_order(self.test, -5, 90)
            self.limit_ticket.update_limit_price(99.5)
        if self.at("09:33"):
            self.order_ages = [self.utc_time - o.time for o in self.transactions.get_open_orders()]
            self.limit_order_snapshot = self.transactions.get_order_by_id(2)
            fields = UpdateOrderFields()
            fields.limit_price = 98
            self.fields_limit = fields.limit_price
            self.limit_ticket.update(fields)
            self.tickets = [self.limit_ticket, self.stop_ticket]

    def on_order_event(self, order_event: Any) -> None:
        super().on_order_event(order_event)
        if order_event.status == OrderStatus.FILLED and order_event.order_id == 1:
            order = self.transactions.get_order_by_id(1)
            ticket = self.transactions.get_order_ticket(1)
            self.event_values = [order_event.fill_price, order_event.fill_quantity, order_event.quantity,
                                 order_event.absolute_fill_quantity, order_event.FillPrice, order_event.Quantity]
            self.order_values = [order.quantity, order.price, order.quantity_filled, order.absolute_quantity,
                                 order.value, order.Quantity, order.Price]
            self.ticket_values = [ticket.quantity, ticket.quantity_filled, ticket.average_fill_price,
                                  ticket.quantity_remaining, ticket.submit_request.quantity,
                                  ticket.submit_request.limit_price, ticket.SubmitRequest.Quantity]
            self.ids = [order_event.order_id, order_event.id, order.id, ticket.order_id]
            self.direction = (order.direction, order_event.direction)
            self.times = (order_event.utc_time, order.time, order.created_time, order.last_fill_time, ticket.time,
                          self.utc_time)
        if order_event.order_id == 2:
            self.limit_event_prices = (order_event.limit_price, order_event.stop_price, order_event.LimitPrice)


def _all_float(values: list[Any]) -> bool:
    return all(type(v) is float for v in values)


def test_numbers_read_by_an_algorithm_are_floats_and_ids_ints(data) -> None:
    data.write(data.day(DAY1))
    a = algo(run(data, Reader))
    assert _all_float(a.event_values) and a.event_values == [100.01, 10.0, 10.0, 10.0, 100.01, 10.0]
    assert _all_float(a.order_values) and a.order_values == [10.0, 100.01, 10.0, 10.0, 1000.1, 10.0, 100.01]
    assert _all_float(a.ticket_values) and a.ticket_values == [10.0, 10.0, 100.01, 0.0, 10.0, 0.0, 10.0]
    assert all(type(i) is int for i in a.ids) and a.ids == [1, 2, 1, 1]
    assert a.direction == (OrderDirection.BUY, OrderDirection.BUY)
    # times are naive UTC throughout, so they mix with algorithm.utc_time
    assert all(t.tzinfo is None for t in a.times) and len(set(a.times)) == 1
    assert a.order_ages == [timedelta(minutes=2), timedelta(minutes=2)]
    snapshot = a.limit_order_snapshot
    assert _all_float([snapshot.limit_price, snapshot.quantity, snapshot.LimitPrice, snapshot.absolute_quantity])
    assert snapshot.limit_price == 99.5 and snapshot.quantity == 5.0
    assert type(a.fields_limit) is float and a.fields_limit == 98.0
    limit, stop = a.tickets
    assert limit.get(OrderField.LIMIT_PRICE) == 98.0 and type(limit.get(OrderField.LIMIT_PRICE)) is float
    assert stop.get(OrderField.STOP_PRICE) == 90.0 and type(stop.get(OrderField.STOP_PRICE)) is float
    assert [type(r.limit_price) for r in limit.update_requests] == [float, float]
    assert [r.quantity for r in limit.update_requests] == [None, None]
    assert a.limit_event_prices[1] is None and _all_float([a.limit_event_prices[0], a.limit_event_prices[2]])
    assert limit.update_requests[-1]._limit_price == Decimal(98)


def test_set_from_python_numbers_kept_as_the_decimals_of_their_repr() -> None:
    order = StopMarketOrder(SYMBOL, Decimal(10), Decimal(100), T)
    order.stop_price = 0.1 + 0.2
    assert order._stop_price == Decimal("0.30000000000000004") and order.stop_price == 0.30000000000000004
    order.Quantity = 7
    assert order._quantity == Decimal(7) and order.quantity == 7.0 and type(order.quantity) is float
    request = SubmitOrderRequest(0, None, SYMBOL, 12, 0, 101.25, T, "")
    assert request._quantity == Decimal(12) and request._limit_price == Decimal("101.25")
    assert (request.quantity, request.limit_price, request.stop_price) == (12.0, 101.25, 0.0)


def test_decimals_read_as_pythonnet_reads_them() -> None:
    # decimal.ToDouble rounds a 17-digit mantissa to a double before dividing by the power of ten
    assert to_float(Decimal("232.43599999999998")) == 232.436 != float(Decimal("232.43599999999998"))
    assert to_float(Decimal("299.40763840313247")) == 299.40763840313247
    assert to_float(Decimal("300.15")) == 300.15 and to_float(Decimal("-1290")) == -1290.0
    assert to_float(Decimal("1E+2")) == 100.0 and to_float(Decimal("0.1234567890123456789")) == 0.12345678901234568


class NoisyStop(OrderTestAlgorithm):
    """A stop computed in floats (232.92 x (1 - x/100)) and filled by a model that reads the stop back."""

    def setup(self) -> None:
        self.securities[self.test].set_fill_model(TouchFillModel(self))

    def on_data(self, data: object) -> None:
        if self.at("09:31"):
            self.stop_market_order(self.test, -10, 232.43599999999998)


def test_a_float_noise_stop_fills_at_the_price_pythonnet_hands_back(data) -> None:
    data.write(data.day(DAY1, price=232.9).set("09:40", 232.9, 232.9, 232.4, 232.5))
    out = run(data, NoisyStop)
    # the event file writes the decimals: the stop as parsed from the float's repr, the fill price Lean wrote
    filled = [e for e in _events(data) if e["status"] == "filled"]
    assert [(e["fillPrice"], e["stopPrice"]) for e in filled] == [(232.436, 232.43599999999998)]
    order = out.record.runtime.transactions.orders[1]
    assert order._stop_price == Decimal("232.43599999999998") and order._price == Decimal("232.436")


def _events(data: Any) -> list[dict[str, Any]]:
    out_folder = data.root.parent / "out"
    return json.loads(next(out_folder.glob("*-order-events.json")).read_text())
