"""The brokerage's one-frame market fill (fills.quick_market_fill) hands back what EquityFillModel.market_fill
would, or None (market_fill decides): probed side by side at every market fill, and whole runs with the
default model (the quick path) against a user subclass (the general path) give the same events."""
from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import given, settings, strategies as st
from orders_support import DAY1, MiniData, OrderTestAlgorithm, algo, run

from pylean.orders.fills import EquityFillModel, quick_market_fill

_FIELDS = ("order_id", "status", "_fill_price", "_fill_quantity", "message", "_utc_time", "direction", "_quantity",
           "symbol")


class ProbeModel(EquityFillModel):
    """A user model (the brokerage asks it through the general path): at every market fill, the quick path's
    answer next to the default model's event."""

    def __init__(self, answers: list[tuple[bool, bool]]) -> None:
        self.answers = answers

    def market_fill(self, asset: Any, order: Any) -> Any:
        event = super().market_fill(asset, order)
        quick = quick_market_fill(asset, order)
        same = quick is None or all(getattr(quick, f) == getattr(event, f) for f in _FIELDS)
        self.answers.append((quick is not None, same))
        return event


class GeneralModel(EquityFillModel):
    """The default model's behaviour through the general path (a subclass is never taken the quick way)."""


def _scenario(gap: tuple[int, int] | None, orders: list[tuple[int, int]], model: type | None) -> type:
    class Trader(OrderTestAlgorithm):
        def setup(self) -> None:
            self.answers: list[tuple[bool, bool]] = []
            if model is ProbeModel:
                self.securities[self.test].set_fill_model(ProbeModel(self.answers))
            elif model is not None:
                self.securities[self.test].set_fill_model(model())
            for minute, quantity in orders:  # scheduled: an order may come while data is missing
                at = (timedelta(hours=9, minutes=31) + timedelta(minutes=minute))
                self.schedule.on(self.date_rules.every_day(), self.time_rules.at(at.seconds // 3600,
                                                                                 at.seconds // 60 % 60),
                                 lambda q=quantity: self.market_order(self.test, q))

    return Trader


def _write(data: MiniData, gap: tuple[int, int] | None) -> None:
    bars = data.day(DAY1)
    for minute, key in enumerate(sorted(bars.trade)):
        price = 100 + (minute % 7) * 0.13 - (minute % 3) * 0.05
        bars.set(f"{key.seconds // 3600:02d}:{key.seconds // 60 % 60:02d}", price, price + 0.2, price - 0.2, price,
                 bid=(price - 0.02,) * 4 if minute % 5 else None, ask=(price + 0.03,) * 4 if minute % 5 else None)
    if gap is not None:  # no data at all for a while: quotes go stale
        start, length = gap
        for key in sorted(bars.trade)[start:start + length]:
            del bars.trade[key]
    data.write(bars)


def _events(data: MiniData, gap: Any, orders: Any, model: type | None) -> Any:
    return algo(run(data, _scenario(gap, orders, model)))


def test_quick_fill_answers_as_market_fill(data: MiniData) -> None:
    _write(data, (30, 150))  # 10:00-12:30 empty: quotes go stale after 11:00
    orders = [(0, 10), (5, -30), (31, 5), (70, -5), (95, 7), (140, 3), (141, -3), (200, 1)]
    answers = _events(data, (30, 150), orders, ProbeModel).answers
    assert answers and all(same for _, same in answers)
    assert {quick for quick, _ in answers} == {True, False}  # both ways were met


@settings(max_examples=8)
@given(gap=st.one_of(st.none(), st.tuples(st.integers(0, 300), st.integers(1, 120))),
       orders=st.lists(st.tuples(st.integers(0, 380), st.integers(-50, 50).filter(bool)), min_size=1, max_size=6))
def test_runs_with_the_quick_path_match_the_general_path(lean_data: Path, gap: Any, orders: Any) -> None:
    root = Path(tempfile.mkdtemp())
    try:
        runs = []
        for model in (None, GeneralModel, ProbeModel):
            folder = root / (model.__name__ if model else "default")
            data = MiniData(folder / "data", lean_data)
            _write(data, gap)
            runs.append(_events(data, gap, orders, model))
        assert runs[0].events == runs[1].events == runs[2].events
        assert all(same for _, same in runs[2].answers)
        assert [h.quantity for h in runs[0].portfolio.values()] == [h.quantity for h in runs[1].portfolio.values()]
    finally:
        shutil.rmtree(root, ignore_errors=True)
