"""Oracle algorithm: adding and removing securities while the algorithm runs.

Minute data, 2013-10-07 (Mon) .. 2013-10-11 (Fri), $100,000, SPY from the start. At most one
action per day, taken at the day's first slice:
* while not invested (Monday): SetHoldings(SPY, 0.5);
* Tuesday: add AIG and BAC (minute);
* Wednesday: SetHoldings(AIG, 0.25) and SetHoldings(BAC, 0.25);
* Thursday: remove AIG and BAC, which liquidates both positions.
Five orders in total. Submissions and fills are reported with `debug`.
Written for pylean from the behaviour Lean's regression suite expects; not Lean's source.
"""
from AlgorithmImports import *
from datetime import datetime

TUESDAY, WEDNESDAY, THURSDAY = 1, 2, 3


class AddRemoveSecurityRegressionAlgorithm(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.add_equity("SPY")
        self._last_action: datetime | None = None

    def on_data(self, data: Slice) -> None:
        now = self.time
        if self._last_action is not None and self._last_action.date() == now.date():
            return

        if not self.portfolio.invested:
            self.set_holdings("SPY", 0.5)
            self._last_action = now

        weekday = now.weekday()
        if weekday == TUESDAY:
            self.add_equity("AIG")
            self.add_equity("BAC")
            self._last_action = now
        if weekday == WEDNESDAY:
            self.set_holdings("AIG", 0.25)
            self.set_holdings("BAC", 0.25)
            self._last_action = now
        if weekday == THURSDAY:
            self.remove_security("AIG")
            self.remove_security("BAC")
            self._last_action = now

    def on_order_event(self, order_event: OrderEvent) -> None:
        if order_event.status == OrderStatus.SUBMITTED:
            stage = "Submitted"
        elif order_event.status == OrderStatus.FILLED:
            stage = "Filled"
        else:
            return
        order = self.transactions.get_order_by_id(order_event.order_id)
        self.debug(f"{self.time}: {stage}: {order}")
