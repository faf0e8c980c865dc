"""Indicator values against hand computations of Lean's formulas (Indicators/*.cs)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from pylean.data.market_data import TradeBar
from pylean.indicators import (AverageTrueRange, BollingerBands, ExponentialMovingAverage, Identity, IndicatorDataPoint,
                               IntradayVwap, Maximum, Minimum, MovingAverageConvergenceDivergence, MovingAverageType,
                               RateOfChange, RelativeStrengthIndex, SimpleMovingAverage, StandardDeviation, Sum,
                               Variance, VolumeWeightedAveragePriceIndicator, WilderMovingAverage)
from pylean.symbols import SecurityIdentifier, Symbol

T0 = datetime(2013, 10, 7, 9, 31)
SPY = Symbol(SecurityIdentifier("SPY", date(1998, 1, 2)), "SPY")


def feed(indicator, values, attribute=None):  # type: ignore[no-untyped-def]
    """Update with values one minute apart; the indicator's (or a part's) value after each."""
    out = []
    for i, value in enumerate(values):
        indicator.update(T0 + timedelta(minutes=i), value)
        part = getattr(indicator, attribute) if attribute else indicator
        out.append(part.current.value)
    return out


def bar(i: int, o: float, h: float, low: float, c: float, v: float = 100.0, ff: bool = False) -> TradeBar:
    start = T0 + timedelta(minutes=i)
    return TradeBar(start, SPY, o, h, low, c, v, end_time=start + timedelta(minutes=1), is_fill_forward=ff)


def close(values: list[float]) -> object:
    return pytest.approx(values, rel=1e-12, abs=1e-12)


def test_sum_and_sma() -> None:
    assert feed(Sum(3), [1, 2, 3, 4, 5]) == [1, 3, 6, 9, 12]
    sma = SimpleMovingAverage(3)
    assert feed(sma, [1, 2, 3, 4, 5]) == [1, 1.5, 2, 3, 4]
    assert sma.is_ready and sma.samples == 5 and sma.name == "SMA(3)" and sma.warm_up_period == 3
    # decimal arithmetic: 0.7 / 3 rounded at 28 digits, then (double)decimal
    assert feed(SimpleMovingAverage(3), [0.1, 0.2, 0.4])[-1] == float(Decimal("0.7") / 3)


def test_ema_seeds_with_the_sma_and_smooths_with_2_over_n_plus_1() -> None:
    ema = ExponentialMovingAverage(4)
    values = feed(ema, [1, 2, 3, 4, 10])
    assert values == [0, 0, 0, 2.5, 10 * 0.4 + 2.5 * 0.6]
    assert [ExponentialMovingAverage(4).is_ready, ema.is_ready] == [False, True]
    # k is the .NET decimal quotient 2.0m / 31 (28 decimals)
    assert ExponentialMovingAverage(30)._k == Decimal("0.0645161290322580645161290323")
    custom = ExponentialMovingAverage("e", 2, 0.1)
    assert feed(custom, [1, 3, 10])[-1] == pytest.approx(10 * 0.1 + 2 * 0.9)


def test_wilder_average_is_the_running_sma_until_ready() -> None:
    # the period-th value already applies Wilder's smoothing to the (period - 1)-sample SMA
    assert feed(WilderMovingAverage(3), [3, 6, 9, 12]) == close([3, 4.5, 9 / 3 + 4.5 * 2 / 3, 12 / 3 + 6 * 2 / 3])


def test_rsi_with_wilders_averages() -> None:
    rsi = RelativeStrengthIndex(3)
    values = feed(rsi, [1.0, 2.0, 1.5, 3.0, 2.0, 2.5])
    gain4, loss4 = 1.5 / 3 + 0.5 * 2 / 3, 0.25 * 2 / 3
    gain5, loss5 = gain4 * 2 / 3, 1 / 3 + loss4 * 2 / 3
    gain6, loss6 = 0.5 / 3 + gain5 * 2 / 3, loss5 * 2 / 3
    expected = [100, 100, 100 - 100 / 3, 100 - 100 / (1 + gain4 / loss4), 100 - 100 / (1 + gain5 / loss5),
                100 - 100 / (1 + gain6 / loss6)]
    assert values == close(expected)
    assert [rsi.average_gain.is_ready, rsi.is_ready, rsi.warm_up_period] == [True, True, 4]
    assert RelativeStrengthIndex("r", 3, MovingAverageType.SIMPLE).average_gain.name == "rUp"


def test_macd_signal_waits_for_both_averages() -> None:
    macd = MovingAverageConvergenceDivergence(2, 3, 2)
    fast = [0, 1.5, 1.5, 2.5, 2 * 2 / 3 + 2.5 / 3]
    fast.append(2.5 * 2 / 3 + fast[-1] / 3)
    slow = [0, 0, 1.5, 2.25, 2.125, 2.3125]
    lines = [f - s for f, s in zip(fast, slow)]
    signal = [0, 0, 0, (lines[2] + lines[3]) / 2]
    signal += [lines[4] * 2 / 3 + signal[3] / 3]
    signal += [lines[5] * 2 / 3 + signal[4] / 3]
    values = []
    for i, value in enumerate([1.0, 2.0, 1.5, 3.0, 2.0, 2.5]):
        macd.update(T0 + timedelta(minutes=i), value)
        values.append((macd.current.value, macd.signal.current.value, macd.histogram.current.value, macd.is_ready))
    assert [v[0] for v in values] == close(lines)
    assert [v[1] for v in values] == close(signal)
    assert [v[2] for v in values] == close([0, 0, 0, lines[3] - signal[3], lines[4] - signal[4], lines[5] - signal[5]])
    assert [v[3] for v in values] == [False, False, False, True, True, True]
    assert MovingAverageConvergenceDivergence(12, 26, 9).warm_up_period == 34
    with pytest.raises(ValueError):
        MovingAverageConvergenceDivergence(26, 12, 9)


def test_bollinger_bands_population_deviation() -> None:
    bb = BollingerBands(3, 2)
    inputs = [1.0, 2.0, 1.5, 3.0, 2.0, 2.5]
    rows = []
    for i, value in enumerate(inputs):
        bb.update(T0 + timedelta(minutes=i), value)
        rows.append((bb.current.value, bb.middle_band.current.value, bb.upper_band.current.value,
                     bb.lower_band.current.value, bb.percent_b.current.value, bb.band_width.current.value))
    for i in range(1, len(inputs)):
        window = inputs[max(0, i - 2):i + 1]
        mean = sum(window) / len(window)
        std = (sum(x * x for x in window) / len(window) - mean * mean) ** 0.5
        upper, lower = mean + 2 * std, mean - 2 * std
        assert rows[i][0] == inputs[i]
        assert rows[i][1:4] == pytest.approx((mean, upper, lower), rel=1e-12)
        assert rows[i][4] == pytest.approx((inputs[i] - lower) / (upper - lower), rel=1e-12)
        assert rows[i][5] == pytest.approx((upper - lower) / mean * 100, rel=1e-12)
    assert rows[0][4] == 0  # %B had a zero width: a math error leaves it untouched
    assert bb.is_ready and bb.name == "BB(3,2)" and bb.standard_deviation.name == "BB(3,2)_StandardDeviation"


def test_bollinger_bands_skip_updates_with_zero_deviation_once_ready() -> None:
    bb = BollingerBands(2, 2)
    feed(bb, [5.0, 5.0, 5.0])
    # the first (not yet ready) input is the last one the bands emitted
    assert bb.is_ready and bb.samples == 3 and (bb.current.time, bb.current.value) == (T0, 5.0)


def test_variance_and_standard_deviation_are_population() -> None:
    values = [2, 4, 4, 4, 5, 5, 7, 9]
    assert feed(Variance(8), values)[-1] == pytest.approx(4.0)
    assert feed(StandardDeviation(8), values)[-1] == 2.0
    assert feed(StandardDeviation(3), values)[-1] == pytest.approx((8 / 3) ** 0.5, rel=1e-14)
    assert feed(StandardDeviation(3), [7])[-1] == 0


def test_maximum_and_minimum_track_periods_since() -> None:
    maximum = Maximum(3)
    assert feed(maximum, [1, 3, 2, 1, 0.5, 4]) == [1, 3, 3, 3, 2, 4]
    minimum = Minimum(3)
    assert feed(minimum, [3, 1, 2, 3, 4, 0]) == [3, 1, 1, 1, 2, 0]
    maximum = Maximum(3)
    feed(maximum, [5, 1, 1])
    assert maximum.periods_since_maximum == 2 and maximum.PeriodsSinceMaximum == 2


def test_rate_of_change() -> None:
    roc = RateOfChange(2)
    assert feed(roc, [10, 11, 12, 15]) == close([0, 0.1, 0.2, 4 / 11])
    assert roc.is_ready and roc.warm_up_period == 3
    assert feed(RateOfChange(1), [0, 5]) == [0, 0]


def test_average_true_range_simple_and_wilders() -> None:
    bars = [bar(0, 10, 11, 9, 10), bar(1, 11, 12, 10, 11.5), bar(2, 10, 11, 8, 9), bar(3, 12, 13, 10, 12)]
    simple, wilders = AverageTrueRange(3, MovingAverageType.SIMPLE), AverageTrueRange(3)
    rows = []
    for b in bars:
        simple.update(b)
        wilders.update(b)
        rows.append((simple.true_range.current.value, simple.current.value, wilders.current.value))
    assert [r[0] for r in rows] == [2, 2, 3.5, 4]
    assert [r[1] for r in rows] == close([2, 2, 2.5, 9.5 / 3])
    assert [r[2] for r in rows] == close([2, 2, 3.5 / 3 + 2 * 2 / 3, 4 / 3 + 2.5 * 2 / 3])
    with pytest.raises(TypeError):
        simple.update(T0, 1.0)


def test_rolling_vwap() -> None:
    vwap = VolumeWeightedAveragePriceIndicator(2)
    values = []
    for b in [bar(0, 10, 12, 8, 10, 100), bar(1, 11, 13, 9, 11, 300), bar(2, 12, 12, 12, 12, 100)]:
        vwap.update(b)
        values.append((vwap.current.value, vwap.is_ready))
    assert values == [(10, False), (4300 / 400, True), (4500 / 400, True)]


def test_intraday_vwap_resets_daily_and_ignores_fill_forward() -> None:
    vwap = IntradayVwap("VWAP")
    vwap.update(bar(0, 10, 12, 9, 9, 100))        # typical price 10
    vwap.update(bar(1, 10, 20, 20, 20, 300))      # 20
    vwap.update(bar(2, 30, 30, 30, 30, 0, ff=True))
    assert vwap.current.value == 17.5 and vwap.samples == 3
    next_day = TradeBar(T0 + timedelta(days=1), SPY, 1, 1, 1, 1, 50, end_time=T0 + timedelta(days=1, minutes=1))
    vwap.update(next_day)
    assert vwap.current.value == 1 and vwap.is_ready


def test_identity_indicator() -> None:
    identity = Identity("id")
    assert not identity.is_ready and feed(identity, [3, 4]) == [3, 4] and identity.is_ready
    point = IndicatorDataPoint(SPY, T0, 2.5)
    assert identity.update(point) and identity.current == IndicatorDataPoint(T0, Decimal("2.5"))
