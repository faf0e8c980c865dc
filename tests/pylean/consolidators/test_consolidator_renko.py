"""ClassicRenkoConsolidator (ClassicRenkoConsolidator.cs): even bars open the first brick at the value rounded
up to a brick multiple, later bricks at the previous close; a brick closes when the value moves a brick away,
its close capped at open +/- brick."""
from __future__ import annotations

from datetime import datetime, timedelta

from pylean.algorithm_imports import BarDirection, ClassicRenkoConsolidator, RenkoBar, TradeBar


def _bars(closes):
    start = datetime(2013, 10, 7, 9, 30)
    return [TradeBar(start + timedelta(minutes=i), "X", c, c, c, c, 100) for i, c in enumerate(closes)]


def test_classic_renko_bricks() -> None:
    renko = ClassicRenkoConsolidator(1.0)
    out: list[RenkoBar] = []
    renko.data_consolidated += lambda _, bar: out.append(bar)
    for bar in _bars([10.3, 11.5, 12.4, 11.6, 10.9, 9.7]):
        renko.update(bar)
    assert [(b.open, b.close, b.high, b.low, b.direction) for b in out] == [
        (11.0, 12.0, 12.0, 11.0, BarDirection.RISING),     # opened at ceil(10.3); 12.4 >= 12 closes it, capped
        (12.0, 11.0, 12.0, 11.0, BarDirection.FALLING),    # opened at the previous close; 10.9 <= 11 closes it
        (11.0, 10.0, 11.0, 10.0, BarDirection.FALLING),    # the closing input only opens the next brick; 9.7
    ]
    assert out[0].volume == 300 and out[0].time == datetime(2013, 10, 7, 9, 30)
    assert out[0].end_time == datetime(2013, 10, 7, 9, 32)
    working = renko.working_data
    assert working.open == working.close == 10.0 and not working.is_closed


def test_selector_and_uneven_first_brick() -> None:
    renko = ClassicRenkoConsolidator(0.5, lambda bar: bar.close * 2, None, False)
    out: list[RenkoBar] = []
    renko.data_consolidated += lambda _, bar: out.append(bar)
    for bar in _bars([5.05, 5.3, 5.4]):
        renko.update(bar)
    assert [(b.open, b.close) for b in out] == [(10.1, 10.6)]
