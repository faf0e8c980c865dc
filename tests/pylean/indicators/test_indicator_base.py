"""IndicatorBase update rules, composition and the Python surface (Indicators/IndicatorBase.cs, CompositeIndicator.cs,
IndicatorExtensions.cs)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pylean.data.market_data import Bar, QuoteBar, TradeBar
from pylean.indicators import (CompositeIndicator, ExponentialMovingAverage, Field, Identity, IndicatorDataPoint,
                               IndicatorExtensions, IndicatorResult, IndicatorStatus, Maximum, Minimum,
                               RelativeStrengthIndex, SimpleMovingAverage, StandardDeviation)
from pylean.symbols import SecurityIdentifier, Symbol

T0 = datetime(2013, 10, 7, 9, 31)
SPY = Symbol(SecurityIdentifier("SPY", date(1998, 1, 2)), "SPY")
prices = st.lists(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("10000"), places=4), min_size=1,
                  max_size=40)


def at(i: int) -> datetime:
    return T0 + timedelta(minutes=i)


def test_initial_state_current_previous_window() -> None:
    sma = SimpleMovingAverage(2)
    assert sma.current.value == 0 and sma.current.time == datetime.min and sma.previous.value == 0
    sma.update(at(0), 4)
    sma.update(at(1), 6)
    assert sma.Current.Value == 5 and sma.previous.value == 4 and sma.window[1] is sma.previous
    assert sma.window.count == 2 and sma[0] is sma.current and str(sma) == "5.0" and sma.IsReady
    sma.reset()
    assert sma.samples == 0 and not sma.is_ready and sma.current.value == 0


def test_inputs_older_than_the_last_one_are_ignored() -> None:
    sma = SimpleMovingAverage(3)
    sma.update(at(5), 10)
    assert not sma.update(at(4), 20) and sma.samples == 1 and sma.current.value == 10
    point = IndicatorDataPoint(at(6), 30)
    sma.update(point)
    sma.update(point)  # the very same input object counts once
    assert sma.samples == 2 and sma.current.value == 20


def test_bars_feed_value_indicators_with_their_close() -> None:
    sma = SimpleMovingAverage(1)
    trade = TradeBar(at(0), SPY, 1, 2, 0.5, 1.5, 10, end_time=at(1))
    sma.update(trade)
    assert sma.current.value == 1.5 and sma.current.time == at(1) and sma.current.symbol is SPY
    quote = QuoteBar(at(1), SPY, Bar(1, 1, 1, 1.1), 1, Bar(1, 1, 1, 1.2), 1, end_time=at(2))
    sma.update(quote)
    assert sma.current.value == 1.15  # the decimal mid, not the float one


def test_updated_event_and_of() -> None:
    source = Identity("src")
    seen: list[float] = []
    source.updated += lambda sender, point: seen.append(point.value)
    average = IndicatorExtensions.of(SimpleMovingAverage(2), source)
    for i, value in enumerate([1, 2, 3]):
        source.update(at(i), value)
    assert seen == [1, 2, 3] and average.current.value == 2.5
    # waiting for the first to be ready: an SMA of a 3-period max only sees ready maxima
    maximum = Maximum(3)
    of_max = IndicatorExtensions.SMA(maximum, 2)
    for i, value in enumerate([1, 5, 2, 3]):
        maximum.update(at(i), value)
    assert of_max.samples == 2 and of_max.current.value == 5 and of_max.name == "SMA2_Of_MAX(3)"


def test_composites_update_when_both_sides_did() -> None:
    fast, slow = Identity("fast"), Identity("slow")
    ratio = IndicatorExtensions.over(fast, slow)
    spread = IndicatorExtensions.minus(fast, slow, "spread")
    scaled = IndicatorExtensions.times(fast, 2)
    fast.update(at(0), 6)
    assert ratio.samples == 0 and scaled.current.value == 12
    slow.update(at(0), 3)
    assert ratio.current.value == 2 and spread.current.value == 3 and spread.name == "spread"
    assert ratio.name == "COMPOSE(fast,slow)" and ratio.is_ready
    fast.update(at(1), 1)
    slow.update(at(1), 0)
    assert ratio.current.value == 2 and ratio.samples == 2  # division by zero: a math error, no new value
    custom = CompositeIndicator("sum", fast, slow, lambda left, right: IndicatorResult(
        left.current._value + right.current._value))
    fast.update(at(2), 1.5)
    slow.update(at(2), 2)
    assert custom.current.value == 3.5 and IndicatorExtensions.plus(fast, slow).samples == 0


def test_ema_of_an_indicator() -> None:
    rsi = RelativeStrengthIndex(2)
    smoothed = IndicatorExtensions.EMA(rsi, 2)
    for i, value in enumerate([1, 2, 1.5, 3]):
        rsi.update(at(i), value)
    assert smoothed.samples == 2 and smoothed.name == "EMA2_Of_RSI(2)" and smoothed.is_ready


def test_comparisons_follow_lean_operators() -> None:
    a, b = Identity("a"), Identity("b")
    a.update(at(0), 2)
    b.update(at(0), 3)
    assert a < b and b > a and a >= 2 and a == 2 and a != 3 and a != b and a == a and 1 < a
    assert float(a) == 2.0 and len({a, b}) == 2
    p, q = IndicatorDataPoint(at(0), 1.5), IndicatorDataPoint(at(0), 1.5)
    assert p == q and hash(p) == hash(q) and p < IndicatorDataPoint(at(0), 2) and float(p) == 1.5
    assert p.Value == 1.5 and p.EndTime == at(0) and p.Time == at(0)


def test_indicator_result_and_status_names() -> None:
    assert IndicatorStatus.MathError == IndicatorStatus.MATH_ERROR
    assert IndicatorResult(1.5).value == Decimal("1.5")


def test_field_selectors() -> None:
    trade = TradeBar(at(0), SPY, 1, 4, 0.5, 2.5, 10, end_time=at(1))
    assert (Field.HIGH(trade), Field.LOW(trade), Field.VOLUME(trade)) == (4, Decimal("0.5"), 10)
    assert Field.TYPICAL(trade) == (Decimal(4) + Decimal("0.5") + Decimal("2.5")) / 3
    quote = QuoteBar(at(0), SPY, Bar(1, 2, 0.5, 1.5), 1, Bar(1.2, 2.2, 0.7, 1.7), 1, end_time=at(1))
    assert (Field.BID_CLOSE(quote), Field.ASK_HIGH(quote), Field.CLOSE(quote)) == (
        Decimal("1.5"), Decimal("2.2"), Decimal("1.6"))


@given(prices, st.integers(min_value=1, max_value=8))
def test_sma_is_the_mean_of_the_last_period_values(values: list[Decimal], period: int) -> None:
    sma = SimpleMovingAverage(period)
    for i, value in enumerate(values):
        sma.update(at(i), value)
    window = values[-period:]
    assert sma.current._value == pytest.approx(sum(window) / len(window), rel=Decimal("1e-20"))
    assert sma.is_ready == (len(values) >= period)


@given(prices, st.integers(min_value=1, max_value=8))
def test_max_min_are_exact_window_extremes(values: list[Decimal], period: int) -> None:
    maximum, minimum = Maximum(period), Minimum(period)
    for i, value in enumerate(values):
        maximum.update(at(i), value)
        minimum.update(at(i), value)
        window = values[max(0, i - period + 1):i + 1]
        assert maximum.current._value == max(window) and minimum.current._value == min(window)


@given(prices, st.integers(min_value=2, max_value=8))
def test_ema_and_std_stay_in_range(values: list[Decimal], period: int) -> None:
    ema, std = ExponentialMovingAverage(period), StandardDeviation(period)
    for i, value in enumerate(values):
        ema.update(at(i), value)
        std.update(at(i), value)
    if ema.is_ready:
        assert min(values) - Decimal("1e-20") <= ema.current._value <= max(values) + Decimal("1e-20")
    assert std.current.value >= 0
    assert std.current.value <= float(max(values) - min(values)) / 2 * (1 + 1e-9) + 1e-9
