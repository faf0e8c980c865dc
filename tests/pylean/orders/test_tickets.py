"""Order tickets and the request queue (spec §3.7-3.8): updates and cancels wait for the next drain
(the next submission in the same step, else the next transactions pass), CancelPending is emitted
inside cancel(), and requests on closed orders fail with Lean's errors."""
from __future__ import annotations

from datetime import datetime

import pytest

from orders_support import DAY1, OrderTestAlgorithm, algo, fills, run, statuses

from pylean.enums import DataNormalizationMode, OrderStatus, OrderType, SecurityType
from pylean.orders.requests import OrderResponseErrorCode, SubmitOrderRequest
from pylean.orders.tickets import OrderField
from pylean.orders.types import LimitOrder


def test_update_is_processed_in_the_second_pass_and_can_fill_at_once(data) -> None:
    class Update(OrderTestAlgorithm):
        def on_data(self, data: object) -> None:
            if self.at("09:31"):
                self.ticket = self.limit_order(self.test, 10, 99.0)
            if self.at("09:35"):
                self.response = self.ticket.update_limit_price(99.6, "raised")
                self.status_after_update = self.ticket.status

    data.write(data.day(DAY1).set("09:34", 100, 100, 99.55, 99.8))   # seen at 09:35: below 99.6, not 99
    out = run(data, Update)
    a = algo(out)
    assert a.response.is_success and a.status_after_update == OrderStatus.SUBMITTED
    assert statuses(out, 1) == ["09:31 Submitted", "09:35 UpdateSubmitted", "09:35 Filled"]
    assert fills(out) == [("09:35", 1, 99.6, 10.0)]
    order = out.record.runtime.transactions.orders[1]
    assert order.tag == "raised" and order.last_update_time == order.last_fill_time == _utc(13, 35)
    assert a.ticket.update_requests[0].response.is_success


def test_a_submission_in_the_same_step_drains_a_queued_update(data) -> None:
    class UpdateThenSubmit(OrderTestAlgorithm):
        def on_data(self, data: object) -> None:
            if self.at("09:31"):
                self.ticket = self.limit_order(self.test, 10, 99.0)
            if self.at("09:35"):
                self.ticket.update_limit_price(99.6)
                self.market_order(self.test, 1)
                self.status_after_submit = self.ticket.status

    data.write(data.day(DAY1).set("09:34", 100, 100, 99.55, 99.8))
    out = run(data, UpdateThenSubmit)
    assert algo(out).status_after_submit == OrderStatus.FILLED
    assert [(i, str(s)) for _, i, s, *_ in algo(out).events] == [
        (1, "Submitted"), (1, "UpdateSubmitted"), (1, "Filled"), (2, "Submitted"), (2, "Filled")]


def test_cancel_is_pending_at_once_and_canceled_at_the_next_drain(data) -> None:
    class Cancel(OrderTestAlgorithm):
        def on_data(self, data: object) -> None:
            if self.at("09:31"):
                self.ticket = self.limit_order(self.test, 10, 99.0)
            if self.at("09:35"):
                self.response = self.ticket.cancel("no longer wanted")
                self.status_after_cancel = self.ticket.status
                self.open_after_cancel = len(self.transactions.get_open_orders())

    data.write(data.day(DAY1))
    out = run(data, Cancel)
    a = algo(out)
    assert a.response.is_success and a.status_after_cancel == OrderStatus.CANCEL_PENDING
    assert a.open_after_cancel == 1  # still live until the cancel request is processed
    assert statuses(out, 1) == ["09:31 Submitted", "09:35 CancelPending", "09:35 Canceled"]
    order = out.record.runtime.transactions.orders[1]
    assert order.tag == "no longer wanted" and order.canceled_time == _utc(13, 35)


def test_a_cancel_sent_from_an_order_event_does_not_stop_a_fill_in_the_same_scan(data) -> None:
    class OneCancelsOther(OrderTestAlgorithm):
        def on_data(self, data: object) -> None:
            if self.at("09:31"):
                self.first = self.limit_order(self.test, 10, 99.5)
                self.second = self.limit_order(self.test, 10, 99.4)

        def on_order_event(self, order_event: object) -> None:
            super().on_order_event(order_event)
            if order_event.order_id == 1 and order_event.status == OrderStatus.FILLED:
                self.cancel_response = self.second.cancel()
                self.cancel_was_success = self.cancel_response.is_success

    data.write(data.day(DAY1).set("09:40", 100, 100, 99.3, 99.8))
    out = run(data, OneCancelsOther)
    a = algo(out)
    assert statuses(out, 2) == ["09:31 Submitted", "09:41 CancelPending", "09:41 Filled"]
    assert a.cancel_was_success  # accepted when sent ...
    late = a.second.cancel_request.response                # ... refused when processed at 09:42
    assert late.error_code == OrderResponseErrorCode.INVALID_ORDER_STATUS
    assert late.error_message == "Unable to update order with id 2 because it already has Filled status."


def test_requests_on_a_closed_order_fail(data) -> None:
    class Closed(OrderTestAlgorithm):
        def on_data(self, data: object) -> None:
            if self.at("09:31"):
                ticket = self.market_order(self.test, 10)
                self.update = ticket.update_quantity(20)
                self.cancel = ticket.cancel()
                self.second_cancel = ticket.cancel()
                self.tag_only = ticket.update_tag("tags may change")

    data.write(data.day(DAY1))
    a = algo(run(data, Closed))
    assert a.update.is_error and a.update.error_code == OrderResponseErrorCode.INVALID_ORDER_STATUS
    assert str(a.update.error_code) == "InvalidOrderStatus"
    assert a.cancel.error_message == "Unable to update order with id 1 because it already has Filled status."
    assert a.second_cancel.error_code == OrderResponseErrorCode.INVALID_ORDER_STATUS  # the first one errored
    assert a.tag_only.is_success


def test_a_second_cancel_is_refused(data) -> None:
    class Twice(OrderTestAlgorithm):
        def on_data(self, data: object) -> None:
            if self.at("09:31"):
                ticket = self.limit_order(self.test, 10, 99.0)
                ticket.cancel()
                self.again = ticket.cancel()

    data.write(data.day(DAY1))
    a = algo(run(data, Twice))
    assert a.again.error_code == OrderResponseErrorCode.REQUEST_CANCELED
    assert a.again.error_message == "Order 1 has already received a cancellation request."


@pytest.mark.parametrize("mode, expected", [(DataNormalizationMode.RAW, (99.12, 99.44)),
                                            (DataNormalizationMode.ADJUSTED, (99.123, 99.445))])
def test_prices_are_rounded_in_raw_mode_only_banker_style(data, mode, expected) -> None:
    class Rounding(OrderTestAlgorithm):
        def setup(self) -> None:
            self.securities[self.test].set_data_normalization_mode(mode)

        def on_data(self, data: object) -> None:
            if self.at("09:31"):
                self.ticket = self.limit_order(self.test, 10, 99.123)
            if self.at("09:32"):
                self.submitted = self.ticket.get(OrderField.LIMIT_PRICE)
                self.ticket.update_limit_price(99.445)  # 9944.5 cents: to even
            if self.at("09:33"):
                self.updated = self.ticket.get(OrderField.LIMIT_PRICE)

    data.write(data.day(DAY1))
    a = algo(run(data, Rounding))
    assert (a.submitted, a.updated) == expected


def test_ticket_fields_and_transaction_queries(data) -> None:
    class Queries(OrderTestAlgorithm):
        def on_data(self, data: object) -> None:
            if not self.at("09:31"):
                return
            self.limit = self.limit_order(self.test, 10, 99.0, tag="L")
            self.stop = self.stop_market_order(self.test, -5, 98.0)
            self.market_order(self.test, 3)
            tx = self.transactions
            self.open_by_symbol = [o.id for o in tx.get_open_orders(self.test)]
            self.open_by_filter = [o.id for o in tx.get_open_orders(lambda o: o.type == OrderType.LIMIT)]
            self.open_tickets = [t.order_id for t in tx.get_open_order_tickets()]
            self.remaining = tx.get_open_orders_remaining_quantity(self.test)
            self.filled = [o.id for o in tx.get_orders(lambda o: o.status == OrderStatus.FILLED)]
            self.all_tickets = [t.order_id for t in tx.get_order_tickets()]
            snapshot = tx.get_order_by_id(1)
            snapshot.tag = "changed on the copy"
            self.snapshot_type = type(snapshot)
            self.tag_after = tx.get_order_ticket(1).tag
            self.limit_price = self.limit.get(OrderField.LIMIT_PRICE)
            with pytest.raises(ValueError):
                self.limit.get(OrderField.STOP_PRICE)
            self.canceled = [t.order_id for t in tx.cancel_open_orders()]
            self.open_after_cancel = len(tx.get_open_orders())

    data.write(data.day(DAY1))
    out = run(data, Queries)
    a = algo(out)
    assert a.open_by_symbol == [1, 2] and a.open_by_filter == [1] and a.open_tickets == [1, 2]
    assert a.remaining == 5.0 and a.filled == [3] and a.all_tickets == [1, 2, 3]
    assert a.snapshot_type is LimitOrder and a.tag_after == "L" and a.limit_price == 99.0
    assert a.canceled == [1, 2] and a.open_after_cancel == 2  # canceled at the next drain
    assert statuses(out, 2) == ["09:31 Submitted", "09:31 CancelPending", "09:31 Canceled"]
    assert out.record.runtime.transactions.orders[2].tag.startswith("Canceled by CancelOpenOrders() at ")


def test_add_order_skips_the_checks_and_conversions(data) -> None:
    class Raw(OrderTestAlgorithm):
        def on_data(self, data: object) -> None:
            if self.at("16:00"):
                self.converted = self.market_order(self.test, 1).order_type
                request = SubmitOrderRequest(OrderType.MARKET, SecurityType.EQUITY, self.test, 10, 0, 0,
                                             self.utc_time, "raw")
                self.raw = self.transactions.add_order(request)

    data.write(data.day(DAY1).set("15:59", 100, 100, 100, 100.4))
    out = run(data, Raw)
    a = algo(out)
    assert a.converted == OrderType.MARKET_ON_OPEN
    assert a.raw.order_type == OrderType.MARKET and a.raw.status == OrderStatus.FILLED
    assert fills(out) == [("16:00", 2, 100.41, 10.0)]  # the 15:59 bar's ask, at once


def test_pre_order_checks_refuse_without_creating_an_order(data) -> None:
    class Refused(OrderTestAlgorithm):
        def on_data(self, data: object) -> None:
            if self.at("09:31"):
                self.zero = self.market_order(self.test, 0)
                self.lot = self.limit_order(self.test, 0.5, 99.0)
                self.moo = self.market_on_open_order(self.test, 10)
            if self.at("15:50"):
                self.moc = self.market_on_close_order(self.test, 10)

    data.write(data.day(DAY1))
    out = run(data, Refused)
    a = algo(out)
    assert out.record.runtime.transactions.orders == {}
    assert a.zero.status == OrderStatus.INVALID and a.zero.order_id == -10
    assert a.zero.submit_request.response.error_message == "Unable to submit order with id -10 that has zero quantity."
    assert a.lot.submit_request.response.error_code == OrderResponseErrorCode.ORDER_QUANTITY_LESS_THAN_LOT_SIZE
    assert a.moo.submit_request.response.error_message == "Cannot submit a MarketOnOpen order while the market is open."
    assert a.moc.submit_request.response.error_code == OrderResponseErrorCode.MARKET_ON_CLOSE_ORDER_TOO_LATE


def test_asynchronous_market_order_is_filled_on_return(data) -> None:
    class Async(OrderTestAlgorithm):
        def on_data(self, data: object) -> None:
            if self.at("09:31"):
                ticket = self.market_order(self.test, 10, asynchronous=True)
                self.status = ticket.status
                self.cancel = ticket.cancel()
                self.filled = (ticket.quantity_filled, ticket.average_fill_price, ticket.submit_request.asynchronous)

    data.write(data.day(DAY1))
    a = algo(run(data, Async))
    assert a.status == OrderStatus.FILLED and a.cancel.is_error
    assert a.filled == (10.0, 100.01, True)


def _utc(hour: int, minute: int) -> datetime:
    """Order times read as naive UTC, like algorithm.utc_time and ticket.time."""
    return datetime(DAY1.year, DAY1.month, DAY1.day, hour, minute)


def test_liquidate_cancels_resting_orders_and_closes_the_position(data) -> None:
    class Liquidate(OrderTestAlgorithm):
        def on_data(self, data: object) -> None:
            if self.at("09:31"):
                self.market_order(self.test, 10)
                self.limit_order(self.test, 5, 99.0)
                self.tickets = self.liquidate()

    data.write(data.day(DAY1))
    out = run(data, Liquidate)
    a = algo(out)
    assert [t.order_id for t in a.tickets] == [3]
    assert statuses(out, 2) == ["09:31 Submitted", "09:31 CancelPending", "09:31 Canceled"]
    assert fills(out) == [("09:31", 1, 100.01, 10.0), ("09:31", 3, 99.99, -10.0)]
    assert out.record.runtime.transactions.orders[3].tag == "Liquidated"
    assert out.record.runtime.portfolio[a.test].quantity == 0
