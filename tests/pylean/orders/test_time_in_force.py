"""Time in force (spec §3.9): expiry is checked in the scan before the fill attempt, never in the step
the order was placed; an expired order is Canceled with "The order has expired."."""
from __future__ import annotations

from datetime import date, datetime

from orders_support import DAY1, DAY2, OrderTestAlgorithm, algo, fills, run, statuses

from pylean.enums import OrderStatus
from pylean.orders.time_in_force import TimeInForce


class Resting(OrderTestAlgorithm):
    """A buy limit at 99 (never reached by the flat 100 bars) placed once at PLACE_AT with TIF."""

    END = DAY2
    PLACE_AT = "10:00"
    TIF: TimeInForce = TimeInForce.DAY

    def on_data(self, data: object) -> None:
        if self.time.date() == DAY1 and self.at(self.PLACE_AT):
            self.default_order_properties.time_in_force = self.TIF
            self.ticket = self.limit_order(self.test, 10, 99.0)


def expiry_message(outcome: object, order_id: int = 1) -> str:
    return [e[5] for e in algo(outcome).events if e[1] == order_id][-1]


def test_day_order_expires_at_the_close(data) -> None:
    data.write(data.day(DAY1), data.day(DAY2))
    out = run(data, Resting)
    assert statuses(out, 1) == ["10:00 Submitted", "16:00 Canceled"]
    assert expiry_message(out) == "The order has expired."
    order = out.record.runtime.transactions.orders[1]
    assert order.canceled_time == datetime(2013, 10, 7, 20, 0, tzinfo=order.canceled_time.tzinfo)


def test_day_order_cannot_fill_on_the_last_bar_of_the_session(data) -> None:
    data.write(data.day(DAY1).set("15:59", 99.5, 99.5, 98.5, 99), data.day(DAY2))
    out = run(data, Resting)
    assert statuses(out, 1) == ["10:00 Submitted", "16:00 Canceled"]  # expiry is checked before the fill


def test_day_order_placed_at_the_close_lives_until_the_next_close(data) -> None:
    class AtClose(Resting):
        PLACE_AT = "16:00"

    data.write(data.day(DAY1), data.day(DAY2))
    out = run(data, AtClose)
    assert statuses(out, 1) == ["16:00 Submitted", "d2 16:00 Canceled"]


def test_good_til_date_expires_at_the_close_of_its_date(data) -> None:
    class Gtd(Resting):
        TIF = TimeInForce.GOOD_TIL_DATE(datetime(2013, 10, 8))

    data.write(data.day(DAY1), data.day(DAY2))
    out = run(data, Gtd)
    assert statuses(out, 1) == ["10:00 Submitted", "d2 16:00 Canceled"]
    assert out.record.runtime.transactions.orders[1].properties.time_in_force.to_json() == {
        "expiry": "2013-10-08T00:00:00"}


def test_good_til_date_on_a_weekend_rolls_to_the_next_session_close(data) -> None:
    class Weekend(Resting):
        END = DAY1
        TIF = TimeInForce.GoodTilDate(date(2013, 10, 5))  # a Saturday: expires Monday 16:00

    data.write(data.day(DAY1))
    out = run(data, Weekend)
    assert statuses(out, 1) == ["10:00 Submitted", "16:00 Canceled"]


def test_good_til_canceled_stays_open_and_can_fill(data) -> None:
    class Gtc(Resting):
        TIF = TimeInForce.GOOD_TIL_CANCELED

    data.write(data.day(DAY1), data.day(DAY2).set("12:00", 99.5, 99.5, 98.5, 99))
    out = run(data, Gtc)
    assert statuses(out, 1) == ["10:00 Submitted", "d2 12:01 Filled"]
    assert fills(out) == [("d2 12:01", 1, 99.0, 10.0)]


def test_an_already_expired_order_is_not_canceled_in_its_own_step(data) -> None:
    class Late(Resting):
        END = DAY1
        TIF = TimeInForce.GoodTilDate(date(2013, 10, 4))  # the Friday before: expired from the start

    data.write(data.day(DAY1))
    out = run(data, Late)
    assert statuses(out, 1) == ["10:00 Submitted", "10:01 Canceled"]


def test_market_on_open_orders_replace_good_til_date_with_good_til_canceled(data) -> None:
    class Moo(OrderTestAlgorithm):
        def on_data(self, data: object) -> None:
            if self.at("16:00"):
                self.default_order_properties.time_in_force = TimeInForce.GoodTilDate(date(2013, 10, 7))
                self.ticket = self.market_on_open_order(self.test, 10)

    data.write(data.day(DAY1))
    out = run(data, Moo)
    order = out.record.runtime.transactions.orders[1]
    assert order.time_in_force == TimeInForce.GOOD_TIL_CANCELED
    assert algo(out).ticket.status == OrderStatus.SUBMITTED
