"""A moving average's Sum keeps its output points waiting until read: every read must see what a Sum
updated directly (eager outputs) shows."""
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from pylean.indicators.averages import SimpleMovingAverage, Sum
from pylean.indicators.base import IndicatorDataPoint

START = datetime(2025, 10, 1, 9, 30)


def _points(count):
    return [IndicatorDataPoint(START + timedelta(seconds=i), Decimal(600) + Decimal(i % 7) / 4) for i in range(count)]


def _state(indicator):
    window = indicator.window
    removed = window.most_recently_removed if window.samples > window.size else None
    return ([(p.time, p._value) for p in window], window.samples, window.count, window.size,
            None if removed is None else (removed.time, removed._value), indicator.current.value,
            indicator.previous.value, indicator.samples, indicator.is_ready)


@pytest.mark.parametrize("reads_every", [1, 2, 3, 5, 1000])
def test_sma_sum_reads_match_an_eager_sum(reads_every):
    sma, eager = SimpleMovingAverage(4), Sum("eager", 4)
    for i, point in enumerate(_points(40)):
        sma.update(point)
        eager.update(IndicatorDataPoint(point.time, point._value))
        if i % reads_every == 0:
            assert _state(sma.rolling_sum) == _state(eager)
    assert _state(sma.rolling_sum) == _state(eager)


def test_sum_window_grown_by_an_index_read_and_reset():
    sma, eager = SimpleMovingAverage(3), Sum("eager", 3)
    for point in _points(10):
        sma.update(point)
        eager.update(IndicatorDataPoint(point.time, point._value))
    assert sma.rolling_sum[4] is None and eager[4] is None  # the index read grows the window to 5
    for point in _points(20)[10:]:
        sma.update(point)
        eager.update(IndicatorDataPoint(point.time, point._value))
    assert _state(sma.rolling_sum) == _state(eager)
    assert sma.rolling_sum.window.size == 5
    sma.reset()
    eager.reset()
    assert _state(sma.rolling_sum) == _state(eager)


def test_a_handler_on_the_sum_sees_every_output():
    sma = SimpleMovingAverage(3)
    seen = []
    sma.rolling_sum.updated += lambda sender, point: seen.append(point._value)
    for point in _points(6):
        sma.update(point)
    assert seen == [Decimal(600), Decimal("1200.25"), Decimal("1800.75"), Decimal("1801.5"), Decimal("1802.25"),
                    Decimal("1803")]
