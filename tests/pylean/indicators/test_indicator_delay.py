"""Delay (Indicators/Delay.cs): the input from `period` samples ago, the oldest input until then; ready
after period + 1 samples; composes with IndicatorExtensions.of."""
from __future__ import annotations

from datetime import datetime, timedelta

from pylean.algorithm_imports import Delay, IndicatorExtensions, SimpleMovingAverage


def _feed(indicator, values):
    start = datetime(2020, 1, 1)
    out = []
    for i, value in enumerate(values):
        indicator.update(start + timedelta(days=i), value)
        out.append((indicator.current.value, indicator.is_ready))
    return out


def test_delay_returns_the_value_period_samples_ago() -> None:
    delay = Delay(2)
    assert delay.name == "DELAY(2)" and delay.warm_up_period == 3
    assert _feed(delay, [10, 11, 12, 13, 14]) == [(10, False), (10, False), (10, True), (11, True), (12, True)]
    delay.reset()
    assert not delay.is_ready and _feed(delay, [5])[0] == (5, False)


def test_delay_of_a_moving_average_delays_the_average() -> None:
    sma = SimpleMovingAverage(2)
    delayed = IndicatorExtensions.of(Delay("late", 1), sma)
    _feed(sma, [2, 4, 6, 8])          # SMA values 3, 5, 7 once ready (the first, unready value is not forwarded)
    assert delayed.name == "late" and delayed.current.value == 5 and delayed.samples == 3
