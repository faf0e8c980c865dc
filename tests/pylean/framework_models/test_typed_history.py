"""history[TradeBar] with a list of symbols: one TradeBars per end time, oldest first."""
from __future__ import annotations

from typing import Any

from orders_support import DAY1, MiniData, OrderTestAlgorithm, algo, run

from pylean.algorithm_imports import Resolution, TradeBar


class ListHistory(OrderTestAlgorithm):
    def setup(self) -> None:
        self.seen: list[Any] = []

    def on_data(self, data: Any) -> None:
        if self.at("10:00"):
            for bars in self.history[TradeBar]([self.test], 3, Resolution.MINUTE):
                self.seen.append([(str(symbol), bar.end_time.strftime("%H:%M"), bar.close)
                                  for symbol, bar in bars.items()])


def test_a_list_of_symbols_gives_time_ordered_trade_bars(data: MiniData) -> None:
    data.write(data.day(DAY1).set("09:57", 1, 1, 1, 101).set("09:58", 1, 1, 1, 102).set("09:59", 1, 1, 1, 103))
    seen = algo(run(data, ListHistory)).seen
    assert seen == [[("TEST", "09:58", 101)], [("TEST", "09:59", 102)], [("TEST", "10:00", 103)]]
