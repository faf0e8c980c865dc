"""Fill prices and fill times of every equity order type (EquityFillModel, spec §3.9), on hand-made bars.

A bar set at "09:40" spans 09:40-09:41 and is seen at the 09:41 step; orders placed in on_data at
09:31 first try to fill at 09:32 (never in the step they were placed, except market orders).
Quotes are the trade prices -/+ 0.01 unless a test sets them.
"""
from __future__ import annotations

import pytest

from orders_support import DAY1, DAY2, OrderTestAlgorithm, fills, run, statuses

from pylean.enums import OrderStatus, Resolution
from pylean.orders.fees import ConstantSlippageModel
from pylean.orders.tickets import OrderField


class PlaceAt0931(OrderTestAlgorithm):
    """Calls place() once, in on_data at 09:31."""

    def place(self) -> None:
        raise NotImplementedError

    def on_data(self, data: object) -> None:
        if self.at("09:31"):
            self.ticket = self.place()


# ---------------------------------------------------------------- limit
class LimitBuy(PlaceAt0931):
    def place(self) -> object:
        return self.limit_order(self.test, 10, 99.5)


class LimitSell(PlaceAt0931):
    def place(self) -> object:
        return self.limit_order(self.test, -10, 100.5)


def test_limit_buy_needs_a_strict_touch_and_fills_at_the_limit(data) -> None:
    data.write(data.day(DAY1).set("09:30", 100, 100, 99.0, 99.2)     # known when placed at 09:31: ignored
               .set("09:40", 100, 100, 99.5, 99.8)                   # low == limit: no fill
               .set("09:45", 100, 100, 99.49, 99.8))                 # low < limit: fill at the limit
    out = run(data, LimitBuy)
    assert statuses(out, 1) == ["09:31 Submitted", "09:46 Filled"]
    assert fills(out) == [("09:46", 1, 99.5, 10.0)]


def test_limit_buy_fills_at_the_open_after_a_favourable_gap(data) -> None:
    data.write(data.day(DAY1).set("09:40", 99.3, 99.6, 99.2, 99.5))
    out = run(data, LimitBuy)
    assert fills(out) == [("09:41", 1, 99.3, 10.0)]
    assert "favorable gap" in out.record.algorithm.events[-1][5]


def test_limit_sell_mirrors_the_buy(data) -> None:
    data.write(data.day(DAY1).set("09:40", 100, 100.5, 100, 100.2).set("09:41", 100.7, 100.9, 100.6, 100.8))
    out = run(data, LimitSell)
    assert fills(out) == [("09:42", 1, 100.7, -10.0)]  # 09:40 bar: high == limit, no fill; then gap up


def test_limit_order_placed_in_the_step_of_the_touch_waits_for_the_next_bar(data) -> None:
    data.write(data.day(DAY1).set("09:30", 100, 100, 99.0, 99.0).set("09:31", 100, 100, 100, 100))
    out = run(data, LimitBuy)
    assert fills(out) == []  # the 09:30 bar was already known at 09:31; later bars never touch


# ---------------------------------------------------------------- stop market
class StopSell(PlaceAt0931):
    def place(self) -> object:
        return self.stop_market_order(self.test, -10, 99.5)


class StopBuy(PlaceAt0931):
    def place(self) -> object:
        return self.stop_market_order(self.test, 10, 100.5)


def test_stop_market_sell_triggers_on_an_equal_low(data) -> None:
    data.write(data.day(DAY1).set("09:40", 100, 100, 99.5, 99.8))
    out = run(data, StopSell)
    assert statuses(out, 1) == ["09:31 Submitted", "09:41 Filled"]
    assert fills(out) == [("09:41", 1, 99.5, -10.0)]


def test_stop_market_fills_at_the_open_after_an_unfavourable_gap(data) -> None:
    data.write(data.day(DAY1).set("09:40", 99.2, 99.4, 99.0, 99.3))
    out = run(data, StopSell)
    assert fills(out) == [("09:41", 1, 99.2, -10.0)]
    assert "unfavorable gap" in out.record.algorithm.events[-1][5]


def test_stop_market_buy_and_slippage(data) -> None:
    class Slipped(StopBuy):
        def setup(self) -> None:
            self.securities[self.test].set_slippage_model(ConstantSlippageModel(0.001))

    data.write(data.day(DAY1).set("09:40", 100, 100.5, 100, 100.2))
    out = run(data, Slipped)
    assert fills(out) == [("09:41", 1, 100.6002, 10.0)]  # stop + 0.001 x last trade close (100.2)


# ---------------------------------------------------------------- stop limit (quote bars)
class StopLimitBuy(PlaceAt0931):
    def place(self) -> object:
        return self.stop_limit_order(self.test, 10, 100.5, 100.6)

    def on_data(self, data: object) -> None:
        super().on_data(data)
        if self.at("09:42"):
            self.triggered_at_0942 = self.transactions.get_order_by_id(1).stop_triggered


def test_stop_limit_uses_the_ask_bar_with_a_strict_trigger_that_persists(data) -> None:
    day = data.day(DAY1)
    day.set("09:40", 100, 100, 100, 100, ask=(100.4, 100.5, 100.3, 100.45))   # ask high == stop: no trigger
    day.set("09:41", 100, 100, 100, 100, ask=(100.5, 100.7, 100.5, 100.65))   # triggered, ask close >= limit
    data.write(day)                                                           # then asks of 100.01 fill
    out = run(data, StopLimitBuy)
    assert statuses(out, 1) == ["09:31 Submitted", "09:43 Filled"]            # no event for the trigger
    assert fills(out) == [("09:43", 1, 100.01, 10.0)]                        # min(ask high, limit)
    assert out.record.algorithm.triggered_at_0942 is True


def test_stop_limit_ignores_trade_prices_when_quotes_are_subscribed(data) -> None:
    data.write(data.day(DAY1).set("09:40", 100, 101, 100, 100, ask=(100.01, 100.01, 100.01, 100.01)))
    out = run(data, StopLimitBuy)
    assert fills(out) == []


# ---------------------------------------------------------------- trailing stop
class TrailingSellAmount(PlaceAt0931):
    def place(self) -> object:
        return self.trailing_stop_order(self.test, -10, 99.0, trailing_amount=1.0, trailing_as_percentage=False)

    def on_data(self, data: object) -> None:
        super().on_data(data)
        if self.at("09:42"):
            self.stop_at_0942 = self.ticket.get(OrderField.STOP_PRICE)


def test_trailing_stop_ratchets_from_the_bid_high_then_fills(data) -> None:
    day = data.day(DAY1)
    day.fill("09:40", "09:45", 101)               # bid high 100.99: the stop moves up to 99.99
    day.set("09:45", 100, 100, 99.5, 99.8)        # bid low 99.49 <= 99.99: fill at min(stop, bid close)
    data.write(day)
    out = run(data, TrailingSellAmount)
    assert out.record.algorithm.stop_at_0942 == pytest.approx(99.99)
    assert fills(out) == [("09:46", 1, 99.79, -10.0)]
    assert statuses(out, 1) == ["09:31 Submitted", "09:46 Filled"]


def test_trailing_stop_percentage_without_stop_price_starts_from_the_price(data) -> None:
    class Pct(PlaceAt0931):
        def place(self) -> object:
            return self.trailing_stop_order(self.test, -10, trailing_amount=0.01, trailing_as_percentage=True)

    data.write(data.day(DAY1).set("09:40", 99.2, 99.2, 98.9, 99.1))
    out = run(data, Pct)
    ticket = out.record.algorithm.ticket
    assert ticket.get(OrderField.TRAILING_AMOUNT) == 0.01 and ticket.get(OrderField.TRAILING_AS_PERCENTAGE) is True
    assert fills(out) == [("09:41", 1, 99.0, -10.0)]  # stop 100 x 0.99; bid close 99.09 is above it
    assert out.record.runtime.transactions.orders[1].tag == "Trailing Amount: 1.00%"


# ---------------------------------------------------------------- limit if touched
class LimitIfTouchedBuy(PlaceAt0931):
    def place(self) -> object:
        return self.limit_if_touched_order(self.test, 10, 99.5, 99.6)


def test_limit_if_touched_triggers_on_the_trade_low_then_fills_at_the_ask(data) -> None:
    day = data.day(DAY1)
    day.set("09:40", 99.8, 99.8, 99.5, 99.7)      # touched; ask close 99.71 > limit
    day.set("09:41", 99.6, 99.6, 99.55, 99.55)    # still touched; ask 99.56 <= limit
    data.write(day)
    out = run(data, LimitIfTouchedBuy)
    assert fills(out) == [("09:42", 1, 99.56, 10.0)]


# ---------------------------------------------------------------- market, MOO, MOC
def test_market_orders_fill_synchronously_at_the_ask_or_bid(data) -> None:
    class Market(OrderTestAlgorithm):
        def on_data(self, data: object) -> None:
            if self.at("09:31"):
                self.buy_status = self.market_order(self.test, 10).status
                self.sell_status = self.market_order(self.test, -10, asynchronous=True).status

    data.write(data.day(DAY1).set("09:30", 100, 100, 100, 100.2))
    out = run(data, Market)
    assert (out.record.algorithm.buy_status, out.record.algorithm.sell_status) == (OrderStatus.FILLED,) * 2
    assert fills(out) == [("09:31", 1, 100.21, 10.0), ("09:31", 2, 100.19, -10.0)]


def test_market_order_at_the_close_becomes_market_on_open(data) -> None:
    class AtClose(OrderTestAlgorithm):
        END = DAY2

        def on_data(self, data: object) -> None:
            if self.time.date() == DAY1 and self.at("16:00"):
                self.ticket = self.market_order(self.test, 10)

    data.write(data.day(DAY1), data.day(DAY2).set("09:30", 101, 101.5, 100.9, 101.2))
    out = run(data, AtClose)
    assert out.record.algorithm.ticket.order_type.name == "MARKET_ON_OPEN"
    assert statuses(out, 1) == ["16:00 Submitted", "d2 09:31 Filled"]
    assert fills(out) == [("d2 09:31", 1, 101.0, 10.0)]  # the open of the first regular bar


def test_market_on_close_fills_at_the_last_bar_close(data) -> None:
    class Moc(OrderTestAlgorithm):
        def on_data(self, data: object) -> None:
            if self.at("12:00"):
                self.market_on_close_order(self.test, 10)

    data.write(data.day(DAY1).set("15:59", 100, 100.8, 100, 100.7))
    out = run(data, Moc)
    assert statuses(out, 1) == ["12:00 Submitted", "16:00 Filled"]
    assert fills(out) == [("16:00", 1, 100.7, 10.0)]


# ---------------------------------------------------------------- second resolution
def test_second_bars_limit_fill(data) -> None:
    class Seconds(OrderTestAlgorithm):
        RESOLUTION = Resolution.SECOND

        def on_data(self, data: object) -> None:
            if self.at("09:30:05"):
                self.limit_order(self.test, 10, 99.5)
                self.stop_market_order(self.test, -10, 99.6)
            if self.at("09:31"):
                self.quit()

    day = data.day(DAY1, Resolution.SECOND)
    day.set("09:30:04", 99, 99, 99, 99)            # known at 09:30:05: never used
    day.set("09:30:10", 99.7, 99.7, 99.45, 99.6)   # delivered at 09:30:11
    data.write(day)
    out = run(data, Seconds)
    assert statuses(out, 1) == ["09:30:05 Submitted", "09:30:11 Filled"]
    assert fills(out) == [("09:30:11", 1, 99.5, 10.0), ("09:30:11", 2, 99.6, -10.0)]


# ---------------------------------------------------------------- stale data and session boundaries
def test_market_order_at_the_open_waits_for_the_first_bar(data) -> None:
    class AtOpen(OrderTestAlgorithm):
        END = DAY2

        def setup(self) -> None:
            self.schedule.on(self.date_rules.on(2013, 10, 8), self.time_rules.at(9, 30), self.buy)

        def buy(self) -> None:
            self.ticket = self.market_order(self.test, 10)
            self.status_on_return = self.ticket.status

    data.write(data.day(DAY1).set("15:59", 99, 99, 99, 99), data.day(DAY2).set("09:30", 101, 101, 101, 101.3))
    out = run(data, AtOpen)
    assert out.record.algorithm.status_on_return == OrderStatus.SUBMITTED  # yesterday's quote is stale
    assert statuses(out, 1) == ["d2 09:30 Submitted", "d2 09:31 Filled"]
    assert fills(out) == [("d2 09:31", 1, 101.31, 10.0)]                  # the 09:30 bar's ask


def test_market_on_close_sent_after_the_close_waits_for_the_next_close(data) -> None:
    class AfterClose(OrderTestAlgorithm):
        END = DAY2

        def on_data(self, data: object) -> None:
            if self.time.date() == DAY1 and self.at("16:00"):
                self.market_on_close_order(self.test, 10)

    data.write(data.day(DAY1).set("15:59", 99, 99, 99, 99), data.day(DAY2).set("15:59", 101, 101, 101, 101.5))
    out = run(data, AfterClose)
    assert statuses(out, 1) == ["16:00 Submitted", "d2 16:00 Filled"]
    assert fills(out) == [("d2 16:00", 1, 101.5, 10.0)]
