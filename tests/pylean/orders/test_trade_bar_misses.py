"""The brokerage's shortcut for resting limit and stop-market orders (fills.trade_bar_misses) says "misses"
exactly when EquityFillModel's own limit_fill / stop_market_fill hands back its unfilled event."""
from __future__ import annotations

from typing import Any

from orders_support import DAY1, OrderTestAlgorithm, algo, run

from pylean.orders.fills import EquityFillModel, trade_bar_misses


class ProbeModel(EquityFillModel):
    """A user model (so the brokerage asks it): at every fill test, the shortcut's answer and the unfilled-ness
    of the default model's event, side by side."""

    def __init__(self, answers: list[tuple[int, bool, bool]]) -> None:
        self.answers = answers

    def _probe(self, asset: Any, order: Any, event: Any) -> Any:
        unfilled = event.status == order.status and not event._fill_quantity
        self.answers.append((order.id, trade_bar_misses(self, asset, order), unfilled))
        return event

    def limit_fill(self, asset: Any, order: Any) -> Any:
        return self._probe(asset, order, super().limit_fill(asset, order))

    def stop_market_fill(self, asset: Any, order: Any) -> Any:
        return self._probe(asset, order, super().stop_market_fill(asset, order))


class Probe(OrderTestAlgorithm):
    """Rests limit and stop-market orders of both sides around 100."""

    def setup(self) -> None:
        self.answers: list[tuple[int, bool, bool]] = []
        self.securities[self.test].set_fill_model(ProbeModel(self.answers))

    def on_data(self, data: object) -> None:
        if self.at("09:31"):
            for offset in (-1.0, -0.5, 0.0, 0.5, 1.0):
                self.limit_order(self.test, 10, 100 + offset)
                self.limit_order(self.test, -10, 100 + offset)
                self.stop_market_order(self.test, 10, 100 + offset)
                self.stop_market_order(self.test, -10, 100 + offset)


def test_the_shortcut_answers_as_the_fill_model(data) -> None:
    bars = data.day(DAY1)
    for minute, (o, h, low, c) in enumerate([(100, 100.4, 99.6, 100), (100, 100.5, 99.5, 100.2),
                                             (99.4, 99.8, 99.2, 99.6), (100.6, 101.2, 100.5, 101),
                                             (100, 100, 100, 100), (99, 99.1, 98.9, 99)]):
        bars.set(f"09:{35 + minute:02d}", o, h, low, c)
    data.write(bars)
    answers = algo(run(data, Probe)).answers
    assert [a for a in answers if a[1] != a[2]] == []
    assert {misses for _, misses, _ in answers} == {True, False}  # both answers were met
