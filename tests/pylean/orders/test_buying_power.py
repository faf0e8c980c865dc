"""Buying power (spec §3.11, BuyingPowerModel.HasSufficientBuyingPowerForOrder): an order the margin cannot
carry turns Invalid with Lean's message, at submission and at every later scan of a resting order."""
from __future__ import annotations

from orders_support import DAY1, OrderTestAlgorithm, algo, fills, run, statuses

from pylean.enums import OrderStatus


def _message(order_id: int, value: str, margin: str, free: str) -> str:
    return (f"Order Error: ids: [{order_id}], Insufficient buying power to complete orders (Value:[{value}]), "
            f"Reason: Id: {order_id}, Initial Margin: {margin}, Free Margin: {free}.")


def test_market_order_beyond_the_margin_is_invalid_at_submission(data) -> None:
    class TooBig(OrderTestAlgorithm):
        def on_data(self, data: object) -> None:
            if self.at("09:31"):
                self.ticket = self.market_order(self.test, 2100)

    data.write(data.day(DAY1))
    out = run(data, TooBig)
    assert algo(out).ticket.status == OrderStatus.INVALID
    assert statuses(out, 1) == ["09:31 Invalid"]
    # 2100 x 100 x 0.5 margin + 10.50 fee against 100000 of free margin (leverage 2)
    assert algo(out).events[0][5] == _message(1, "210000", "105010.5", "100000")
    assert len(out.record.runtime.transactions.orders) == 1  # counted in Total Orders


def test_limit_order_value_uses_the_lower_of_limit_and_price_for_buys(data) -> None:
    class Limit(OrderTestAlgorithm):
        def on_data(self, data: object) -> None:
            if self.at("09:31"):
                self.limit_order(self.test, 2100, 90.0)

    data.write(data.day(DAY1))
    out = run(data, Limit)
    assert algo(out).events[0][5] == _message(1, "189000", "105010.5", "100000")  # margin still at the price


def test_resting_order_is_rechecked_at_every_scan(data) -> None:
    class Squeezed(OrderTestAlgorithm):
        def on_data(self, data: object) -> None:
            if self.at("09:31"):
                self.resting = self.limit_order(self.test, 1000, 99.0)   # 50005 of margin: fits
            if self.at("09:40"):
                self.market_order(self.test, 1000)                       # uses half the margin

    data.write(data.day(DAY1))
    out = run(data, Squeezed)
    assert statuses(out, 1) == ["09:31 Submitted", "09:40 Invalid"]      # the scan right after the fill
    message = [e[5] for e in algo(out).events if e[1] == 1][-1]
    assert message.startswith("Order Error: ids: [1], Insufficient buying power to complete orders (Value:[99000]), "
                              "Reason: Id: 1, Initial Margin: 50005, Free Margin: ")
    assert fills(out) == [("09:40", 2, 100.01, 1000.0)]


def test_orders_that_reduce_a_position_always_pass(data) -> None:
    class Reduce(OrderTestAlgorithm):
        def on_data(self, data: object) -> None:
            if self.at("09:31"):
                self.market_order(self.test, 1900)
                self.ticket = self.market_order(self.test, -1900)

    data.write(data.day(DAY1))
    out = run(data, Reduce)
    assert algo(out).ticket.status == OrderStatus.FILLED
