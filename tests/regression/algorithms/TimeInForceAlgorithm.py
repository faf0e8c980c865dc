"""Oracle algorithm: time-in-force settings on limit orders.

SPY minute data, 2013-10-07 .. 2013-10-11, $100,000. At the first slice six limit buys of 10
shares are placed, two per time-in-force, switching `default_order_properties.time_in_force`
before each pair:

* GoodTilCanceled: limit 100 (never reached: stays Submitted), limit 160 (fills).
* Day:             limit 140 (not reached: expires at the close -> Canceled), limit 180 (fills).
* GoodTilDate(2013-10-10): limit 100 (expires -> Canceled), limit 160 (fills).

The end of the run asserts each order's final status.
Written for pylean from the behaviour Lean's regression suite expects; not Lean's source.
"""
from AlgorithmImports import *
from datetime import datetime


class TimeInForceAlgorithm(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self._spy = self.add_equity("SPY", Resolution.MINUTE).symbol
        self._placed = False
        # order id -> status the order must end the run with
        self._expected: dict[int, OrderStatus] = {}

    def on_data(self, data: Slice) -> None:
        if self._placed:
            return
        self._placed = True
        batches: list[tuple[TimeInForce, list[tuple[float, OrderStatus]]]] = [
            (
                TimeInForce.GOOD_TIL_CANCELED,
                [(100, OrderStatus.SUBMITTED), (160, OrderStatus.FILLED)],
            ),
            (
                TimeInForce.DAY,
                [(140, OrderStatus.CANCELED), (180, OrderStatus.FILLED)],
            ),
            (
                TimeInForce.GOOD_TIL_DATE(datetime(2013, 10, 10)),
                [(100, OrderStatus.CANCELED), (160, OrderStatus.FILLED)],
            ),
        ]
        for time_in_force, orders in batches:
            # orders pick up the algorithm-wide default properties at submission
            self.default_order_properties.time_in_force = time_in_force
            for limit_price, final_status in orders:
                ticket = self.limit_order(self._spy, 10, limit_price)
                self._expected[ticket.order_id] = final_status

    def on_order_event(self, order_event: OrderEvent) -> None:
        self.debug(f"{self.time} {order_event}")

    def on_end_of_algorithm(self) -> None:
        for order_id, expected in self._expected.items():
            actual = self.transactions.get_order_by_id(order_id).status
            if actual != expected:
                raise AssertionError(
                    f"order {order_id} ended {actual}, expected {expected}"
                )
