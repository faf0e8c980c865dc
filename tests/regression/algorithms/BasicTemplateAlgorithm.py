"""Oracle algorithm: go all-in on SPY (minute data) at the first slice and hold to the end.

Exercises: minute trade+quote subscription, SetHoldings sizing (free-portfolio buffer, fee
iteration), a synchronous market order filled at the ask, and `debug`.
Written for pylean from the behaviour Lean's regression suite expects; not Lean's source.
"""
import numpy as np
from AlgorithmImports import *


class BasicTemplateAlgorithm(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self._spy = self.add_equity("SPY", Resolution.MINUTE).symbol
        # a third-party import used from inside the algorithm (Lean ships numpy)
        self.debug(f"numpy available, pi = {np.pi}")

    def on_data(self, data: Slice) -> None:
        # only the first slice trades: afterwards the portfolio is invested
        if self.portfolio.invested:
            return
        self.set_holdings(self._spy, 1)
