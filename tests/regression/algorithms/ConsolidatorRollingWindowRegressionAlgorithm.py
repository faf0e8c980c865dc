"""Oracle algorithm: a consolidator's built-in rolling window; no trading at all.

SPY minute data, 2013-10-07 .. 2013-10-11 (default cash). A 10-minute TradeBarConsolidator is
registered with `subscription_manager.add_consolidator`; on every consolidated bar the handler
checks that `consolidator[0]` / `.current` is the bar just emitted (same time, value == close)
and, once two bars exist, that `consolidator[1]` / `.previous` is an earlier bar with a
positive value. The end of the run requires at least one consolidation and a full window of 2.
Written for pylean from the behaviour Lean's regression suite expects; not Lean's source.
"""
from AlgorithmImports import *
from datetime import timedelta


class ConsolidatorRollingWindowRegressionAlgorithm(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.add_equity("SPY", Resolution.MINUTE)

        self._bars_seen = 0
        self._ten_minute = TradeBarConsolidator(timedelta(minutes=10))
        self._ten_minute.data_consolidated += self._on_ten_minute_bar
        self.subscription_manager.add_consolidator("SPY", self._ten_minute)

    def _on_ten_minute_bar(self, sender: object, bar: TradeBar) -> None:
        self._bars_seen += 1
        consolidator = self._ten_minute

        newest = consolidator[0]
        if consolidator.current != newest:
            raise AssertionError("consolidator.current is not consolidator[0]")
        if newest.time != bar.time:
            raise AssertionError(f"consolidator[0].time is {newest.time}, the emitted bar's is {bar.time}")
        if newest.value != bar.close:
            raise AssertionError(f"consolidator[0].value is {newest.value}, the emitted close is {bar.close}")

        if consolidator.window.count < 2:
            return
        older = consolidator[1]
        if consolidator.previous != older:
            raise AssertionError("consolidator.previous is not consolidator[1]")
        if older.time >= bar.time:
            raise AssertionError(f"consolidator[1].time {older.time} is not before {bar.time}")
        if older.value <= 0:
            raise AssertionError(f"consolidator[1].value is {older.value}, expected > 0")

    def on_data(self, data: Slice) -> None:
        pass

    def on_end_of_algorithm(self) -> None:
        if self._bars_seen == 0:
            raise AssertionError("the consolidator never emitted a bar")
        # the window keeps the last two consolidated bars by default
        if self._ten_minute.window.count != 2:
            raise AssertionError(f"window holds {self._ten_minute.window.count} bars, expected 2")
