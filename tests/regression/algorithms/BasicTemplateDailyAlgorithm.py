"""Oracle algorithm: the buy-and-hold template on SPY daily bars.

The first slice arrives at 16:00 (daily bars end at the close), so the market order that
SetHoldings sends is turned into a market-on-open order and fills at the next day's open.
Written for pylean from the behaviour Lean's regression suite expects; not Lean's source.
"""
from AlgorithmImports import *


class BasicTemplateDailyAlgorithm(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 8)
        self.set_end_date(2013, 10, 17)
        self.set_cash(100000)
        self._spy = self.add_equity("SPY", Resolution.DAILY).symbol

    def on_data(self, data: Slice) -> None:
        if self.portfolio.invested:
            return
        # while the MOO order is still open, SetHoldings nets it out and sends nothing more
        self.set_holdings(self._spy, 1)
        self.debug("Purchased Stock")
