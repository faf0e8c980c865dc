"""Oracle algorithm: four SetHoldings calls in a row, with targets of several numeric types.

Targets 0.1 (float literal), float(0.2), numpy.float64(0.3) and 1 (int) are sent within one
`on_data`; each call orders only the delta to its target, giving four market orders. The run is
two days long, so the statistics take their "too few samples" path.
Written for pylean from the behaviour Lean's regression suite expects; not Lean's source.
"""
import numpy as np
from AlgorithmImports import *


class SetHoldingsRegressionAlgorithm(QCAlgorithm):
    # every order must carry this flag in its submit request (checked at the end)
    ASYNCHRONOUS = False

    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 8)
        self._spy = self.add_equity("SPY", Resolution.MINUTE).symbol

    def on_data(self, data: Slice) -> None:
        if self.portfolio.invested:
            return
        targets = (0.1, float(0.20), np.float64(0.30), 1)
        for target in targets:
            self.set_holdings(self._spy, target, asynchronous=self.ASYNCHRONOUS)

    def on_end_of_algorithm(self) -> None:
        for ticket in self.transactions.get_order_tickets():
            if ticket.submit_request.asynchronous != self.ASYNCHRONOUS:
                raise AssertionError(
                    f"order {ticket.order_id}: asynchronous flag is "
                    f"{ticket.submit_request.asynchronous}, expected {self.ASYNCHRONOUS}"
                )
