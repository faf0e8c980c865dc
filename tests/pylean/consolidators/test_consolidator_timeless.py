"""Price- and volume-closed consolidators: wicked RenkoConsolidator (bricks with the wick seen before them,
a reversal needs two bricks), RangeConsolidator (high - low capped at range x tick, the next bar opening one
tick beyond the break), VolumeRenkoConsolidator (a brick of traded volume, big bars fill several) and
BaseDataConsolidator by count."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from pylean.algorithm_imports import (BaseDataConsolidator, ClassicRangeConsolidator, RangeBar, RangeConsolidator,
                                      RenkoBar, RenkoConsolidator, TradeBar, VolumeRenkoBar, VolumeRenkoConsolidator)
from pylean.consolidators.timeless import closest_multiple
from pylean.data.market_data import Bar, QuoteBar
from pylean.data.renko_bar import BarDirection, RenkoType

START = datetime(2013, 10, 7, 9, 30)


def _bars(closes, volume=100):
    return [TradeBar(START + timedelta(minutes=i), "X", c, c, c, c, volume) for i, c in enumerate(closes)]


def _collect(consolidator):
    out = []
    consolidator.data_consolidated += lambda _, bar: out.append(bar)
    return out


def test_closest_multiple_rounds_half_to_even() -> None:
    assert closest_multiple(Decimal("10.34"), Decimal("0.1")) == Decimal("10.3")
    assert closest_multiple(Decimal("10.25"), Decimal("0.5")) == Decimal("10.0")   # 0.5 of a brick: to even
    # Lean rounds the remainder's fraction of a brick (0.5 here), not the price: this one goes down too
    assert closest_multiple(Decimal("10.75"), Decimal("0.5")) == Decimal("10.5")
    assert closest_multiple(Decimal("10.8"), Decimal("0.5")) == Decimal("11.0")


def test_wicked_renko_bricks_and_reversal() -> None:
    renko = RenkoConsolidator(1.0)
    out = _collect(renko)
    for bar in _bars([10.2, 9.6, 12.5, 11.8, 9.1]):
        renko.update(bar)
    # first value rounds to 10; 12.5 makes two rising bricks, the first with the 9.6 wick
    assert [(b.open, b.high, b.low, b.close) for b in out[:2]] == [(10.0, 11.0, 9.6, 11.0), (11.0, 12.0, 11.0, 12.0)]
    # a fall must pass the last brick's open minus a brick (10.0): 9.1 does, the wick up to 12.5 recorded
    assert [(b.open, b.high, b.low, b.close) for b in out[2:]] == [(11.0, 12.5, 10.0, 10.0)]
    assert [b.direction for b in out] == [BarDirection.RISING, BarDirection.RISING, BarDirection.FALLING]
    assert all(type(b) is RenkoBar and b.type == RenkoType.WICKED for b in out)
    assert out[0].time == START and out[0].end_time == START + timedelta(minutes=2)
    assert renko.working_data.close == 10.0 and renko.type == RenkoType.WICKED


def test_renko_rejects_a_non_positive_size() -> None:
    with pytest.raises(ValueError):
        RenkoConsolidator(0)


def test_range_bars_close_at_the_range() -> None:
    bars = _collect(consolidator := RangeConsolidator(10))  # 10 ticks of 0.01 without a symbol database
    for bar in _bars([100.03, 100.08, 100.01, 100.20, 100.26]):
        consolidator.update(bar)
    # the first bar opens at the value rounded up to a range multiple (100.10); it falls to 100.01, then
    # 100.20 would widen it beyond 0.10: it closes at low + range
    first = bars[0]
    assert type(first) is RangeBar and first.range_size == 0.1
    assert (first.open, first.high, first.low, first.close) == (100.1, 100.11, 100.01, 100.11)
    # rising break: the next bar opens a tick above the high, takes 100.20 and breaks at 100.26
    assert (bars[1].open, bars[1].low, bars[1].high, bars[1].close) == (100.12, 100.12, 100.22, 100.22)
    assert consolidator.range == 10 and consolidator.working_data is not None


def test_volume_renko_fills_bricks_of_volume() -> None:
    consolidator = VolumeRenkoConsolidator(250)
    out = _collect(consolidator)
    for bar in _bars([10.0, 10.5, 11.0, 9.0], volume=100) + _bars([9.5], volume=600):
        consolidator.update(bar)
    volumes = [b.volume for b in out]
    assert volumes == [250, 250, 250, 250]  # 400 fills one brick; with the 600 bar, exactly three more
    assert all(type(b) is VolumeRenkoBar for b in out)
    assert out[0].open == 10.0 and out[0].high == 11.0 and out[0].close == 11.0
    assert out[1].open == out[0].close  # a brick opens at the previous close
    with pytest.raises(ValueError):  # quotes carry no traded volume
        consolidator.update(QuoteBar(START, "X", Bar(1, 1, 1, 1), 10, Bar(1, 1, 1, 1), 10))


def test_base_data_consolidator_by_count() -> None:
    consolidator = BaseDataConsolidator(3)
    out = _collect(consolidator)
    for bar in _bars([5.0, 7.0, 4.0, 6.0]):
        consolidator.update(bar)
    assert len(out) == 1 and type(out[0]) is TradeBar
    assert (out[0].open, out[0].high, out[0].low, out[0].close, out[0].volume) == (5.0, 7.0, 4.0, 4.0, 0.0)


def test_classic_range_bars_open_at_the_value_that_closed_the_last() -> None:
    consolidator = ClassicRangeConsolidator(10)
    bars = _collect(consolidator)
    for bar in _bars([100.03, 100.01, 100.50, 100.55, 100.70]):
        consolidator.update(bar)
    # 100.50 closes the first bar at low + range (no bars for the jump); 100.50 opens the next, unrounded
    assert [(b.open, b.high, b.low, b.close) for b in bars] == [(100.1, 100.11, 100.01, 100.11),
                                                                 (100.5, 100.6, 100.5, 100.6)]
