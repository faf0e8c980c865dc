"""Oracle algorithm: stop-limit orders on daily bars, driven by an EMA(30)/EMA(60) trend.

SPY daily data, 2013-01-01 .. 2017-01-01, $100,000. Once both EMAs are ready: on an uptrend
(fast > slow * 1.001) buy 100 with a stop-limit (stop = last high * 1.10, limit = last high *
1.11); after that buy has filled, on a downtrend (fast < slow * 1.001) sell 100 with a
stop-limit (stop = last low * 0.99, limit = last low * 0.98). Each fill must have its stop
triggered and a price no worse than its limit.
Written for pylean from the behaviour Lean's regression suite expects; not Lean's source.
"""
from AlgorithmImports import *


class StopLimitOrderRegressionAlgorithm(QCAlgorithm):
    TOLERANCE = 0.001
    FAST_PERIOD = 30
    SLOW_PERIOD = 60
    ASYNCHRONOUS = False

    def initialize(self) -> None:
        self.set_start_date(2013, 1, 1)
        self.set_end_date(2017, 1, 1)
        self.set_cash(100000)
        self._spy = self.add_equity("SPY", Resolution.DAILY).symbol
        self._fast = self.ema(self._spy, self.FAST_PERIOD, Resolution.DAILY)
        self._slow = self.ema(self._spy, self.SLOW_PERIOD, Resolution.DAILY)
        self._entry: OrderTicket | None = None
        self._exit: OrderTicket | None = None

    def _ready(self) -> bool:
        return self._fast.is_ready and self._slow.is_ready

    def _uptrend(self) -> bool:
        return bool(self._fast.current.value > self._slow.current.value * (1 + self.TOLERANCE))

    def _downtrend(self) -> bool:
        return bool(self._fast.current.value < self._slow.current.value * (1 + self.TOLERANCE))

    def on_data(self, data: Slice) -> None:
        if not self._ready():
            return
        security = self.securities[self._spy]
        if self._entry is None:
            if not self._uptrend():
                # Lean's version has no branch for this case and fails on the missing ticket
                raise RuntimeError("no entry order yet and no uptrend at a ready bar")
            self._entry = self.stop_limit_order(
                self._spy,
                100,
                stop_price=security.high * 1.10,
                limit_price=security.high * 1.11,
                asynchronous=self.ASYNCHRONOUS,
            )
            return
        if self._entry.status == OrderStatus.FILLED and self._exit is None and self._downtrend():
            self._exit = self.stop_limit_order(
                self._spy,
                -100,
                stop_price=security.low * 0.99,
                limit_price=security.low * 0.98,
                asynchronous=self.ASYNCHRONOUS,
            )

    def on_order_event(self, order_event: OrderEvent) -> None:
        if order_event.status != OrderStatus.FILLED:
            return
        order = self.transactions.get_order_by_id(order_event.order_id)
        if not isinstance(order, StopLimitOrder):
            raise AssertionError(f"order {order.id} is a {type(order).__name__}, not a StopLimitOrder")
        if not order.stop_triggered:
            raise AssertionError(f"stop-limit order {order.id} filled without its stop triggered")
        if order_event.direction == OrderDirection.BUY:
            assert self._entry is not None
            limit = self._entry.get(OrderField.LIMIT_PRICE)
            if order_event.fill_price > limit:
                raise AssertionError(
                    f"buy stop-limit filled at {order_event.fill_price}, above its limit {limit}"
                )
        else:
            assert self._exit is not None
            limit = self._exit.get(OrderField.LIMIT_PRICE)
            if order_event.fill_price < limit:
                raise AssertionError(
                    f"sell stop-limit filled at {order_event.fill_price}, below its limit {limit}"
                )

    def on_end_of_algorithm(self) -> None:
        for ticket in self.transactions.get_order_tickets():
            if ticket.submit_request.asynchronous != self.ASYNCHRONOUS:
                raise AssertionError(
                    f"order {ticket.order_id}: asynchronous flag is {ticket.submit_request.asynchronous}"
                )
