"""Indicators added for Lean's regression algorithms, checked against values worked out by hand from
their definitions: MassIndex, Wilder's swing indexes, Beta, the advance/decline family (TRIN) and ARIMA."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from pylean.algorithm_imports import (AdvanceDeclineRatio, ArmsIndex, AutoRegressiveIntegratedMovingAverage, Beta,
                                      MassIndex, RenkoBar, TradeBar, WilderAccumulativeSwingIndex, WilderSwingIndex)
from pylean.symbols import Symbol

T0 = datetime(2013, 10, 7, 9, 31)
A, B = Symbol.create("AAA"), Symbol.create("BBB")


def _bar(i, o, h, low, c, symbol=A, volume=100, minutes=1):
    start = T0 + timedelta(minutes=minutes * i)
    return TradeBar(start, symbol, o, h, low, c, volume, end_time=start + timedelta(minutes=minutes))


def test_wilder_swing_index_of_two_bars() -> None:
    si = WilderSwingIndex(2.0)
    asi = WilderAccumulativeSwingIndex(2.0)
    bars = [_bar(0, 10, 11, 9, 10.5), _bar(1, 10.5, 12, 10, 11.5), _bar(2, 11.5, 11.6, 10.8, 11)]
    for bar in bars:
        si.update(bar)
        asi.update(bar)
    # second bar: N = 1 + 0.5*1 + 0.25*0.5 = 1.625; H-L = 2 is the largest: R = 2 + 0.25*0.5 = 2.125;
    # K = max(|12-10.5|, |10-10.5|) = 1.5 -> 50 * 1.625/2.125 * 1.5/2
    second = Decimal(50) * (Decimal("1.625") / Decimal("2.125")) * (Decimal("1.5") / Decimal(2))
    # third: N = -0.5 + 0.5*(-0.5) + 0.25*1 = -0.5; H-L = 0.8 is the largest: R = 0.8 + 0.25*1 = 1.05;
    # K = max(|H-Cp|, |L-Cp|) = 0.7
    third = Decimal(50) * (Decimal("-0.5") / Decimal("1.05")) * (Decimal("0.7") / Decimal(2))
    assert si.current.value == pytest.approx(float(third))
    assert asi.current.value == pytest.approx(float(second + third))
    assert si.is_ready and asi.is_ready


def test_mass_index_is_its_sum_period_until_ready_and_reads_renko_bars() -> None:
    mass = MassIndex(2, 3)
    values = []
    for i in range(8):
        bar = RenkoBar(A, T0 + timedelta(minutes=i), 1, 10 + i, 0)
        bar._high, bar._low = Decimal(11 + i), Decimal(10 + i - (i % 2))
        mass.update(bar)
        values.append(mass.current.value)
    assert values[:4] == [3.0] * 4  # EMA(EMA) ready after 2 + 1 inputs, then the sum needs 3 ratios
    assert mass.is_ready and values[-1] != 3.0
    assert mass.warm_up_period == 2 * (2 - 1) + 3


def test_beta_pairs_inputs_by_time() -> None:
    beta = Beta("b", 3, A, B)
    closes_a = [10, 11, 12.1, 12.0, 13]
    closes_b = [20, 21, 22, 21.5, 23]
    for i, (ca, cb) in enumerate(zip(closes_a, closes_b)):
        beta.update(_bar(i, ca, ca, ca, ca, A))
        beta.update(_bar(i, cb, cb, cb, cb, B))
    # the first input only fixes the resolution; returns from the pairs after it
    ra = [closes_a[i] / closes_a[i - 1] - 1 for i in range(2, 5)]
    rb = [closes_b[i] / closes_b[i - 1] - 1 for i in range(2, 5)]
    ma, mb = sum(ra) / 3, sum(rb) / 3
    covariance = sum((x - ma) * (y - mb) for x, y in zip(ra, rb)) / 2
    variance = sum((y - mb) ** 2 for y in rb) / 2
    assert beta.is_ready
    assert beta.current.value == pytest.approx(covariance / variance, rel=1e-9)


def test_arms_index_compares_each_symbol_with_its_previous_period() -> None:
    trin = ArmsIndex("TRIN")
    ratio = AdvanceDeclineRatio()
    for indicator in (trin, ratio):
        indicator.add(A)
        indicator.add(B)
    rows = [(10, 100, 20, 100), (11, 300, 19, 100), (12, 100, 18, 400)]
    for i, (ca, va, cb, vb) in enumerate(rows):
        for indicator in (trin, ratio):
            indicator.update(_bar(i, ca, ca, ca, ca, A, va))
            indicator.update(_bar(i, cb, cb, cb, cb, B, vb))
    # last period: A advances (volume 100), B declines (volume 400): (1/1) / (100/400)
    assert ratio.current.value == 1.0
    assert trin.current.value == 4.0 and trin.is_ready


def test_arima_forecasts_from_the_normal_equations() -> None:
    series = [100.0, 101.5, 100.7, 102.2, 103.0, 102.1, 104.4, 105.0, 104.2, 106.1]
    ar = AutoRegressiveIntegratedMovingAverage(1, 0, 0, 10, False)
    ari = AutoRegressiveIntegratedMovingAverage(1, 1, 0, 10, True)
    for i, value in enumerate(series):
        ar.update(T0 + timedelta(days=i), value)
        ari.update(T0 + timedelta(days=i), value)
    newest_first = series[::-1]
    # AR(1) on the window (newest first): each value regressed on the one before it in that order
    x, y = newest_first[:-1], newest_first[1:]
    phi = sum(a * b for a, b in zip(x, y)) / sum(a * a for a in x)
    assert ar.current.value == pytest.approx(phi * newest_first[0], rel=1e-12)
    diffs = [newest_first[i] - newest_first[i + 1] for i in range(len(newest_first) - 1)]
    dx, dy = diffs[:-1], diffs[1:]
    phi_d = sum(a * b for a, b in zip(dx, dy)) / sum(a * a for a in dx)
    assert ari.current.value == pytest.approx(newest_first[0] + phi_d * diffs[0], rel=1e-12)
    assert ar.is_ready and ar.warm_up_period == 10


def test_arima_rejects_bad_orders() -> None:
    with pytest.raises(ValueError):
        AutoRegressiveIntegratedMovingAverage(0, 1, 1, 10, True)
    with pytest.raises(ValueError):
        AutoRegressiveIntegratedMovingAverage(3, 1, 1, 2, True)
