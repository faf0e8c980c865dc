"""Security.cache.get_data within a step hands back one bar (Lean's cache holds one object), a new one next step."""
from __future__ import annotations

from typing import Any

from orders_support import DAY1, OrderTestAlgorithm, algo, run

from pylean.data.market_data import TradeBar


class Reader(OrderTestAlgorithm):
    def setup(self) -> None:
        self.reads: list[tuple[Any, Any, Any]] = []

    def on_data(self, data: object) -> None:
        if self.at("09:40") or self.at("09:41"):
            cache = self.securities[self.test].cache
            self.reads.append((cache.get_data(TradeBar), cache.get_data(), self.securities[self.test].get_last_data()))


def test_one_bar_per_step_and_a_new_bar_at_the_next(data) -> None:
    data.write(data.day(DAY1).set("09:39", 100.0, 101.0, 99.0, 100.5).set("09:40", 100.5, 102.0, 100.0, 101.5))
    first, second = algo(run(data, Reader)).reads
    assert first[0] is first[1] is first[2]
    assert second[0] is second[1] is second[2] and second[0] is not first[0]
    assert (first[0].high, first[0].close, str(first[0].end_time)) == (101.0, 100.5, "2013-10-07 09:40:00")
    assert (second[0].high, second[0].close, str(second[0].end_time)) == (102.0, 101.5, "2013-10-07 09:41:00")
