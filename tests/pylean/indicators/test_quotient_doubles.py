"""The doubles of an SMA's quotients from integers (numbers.quotient_doubles, batched._SmaSeries.doubles) are
to_double of the Decimal quotients, bit for bit: random totals, divisors and scales, quotients next to rounding
ties, exact quotients with many decimals, and whole SMA series over random prices
(some with more than six decimals, zero or negative) after random starting states."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pylean.consolidators.batched import DayBars, _SmaSeries
from pylean.indicators import IndicatorDataPoint, SimpleMovingAverage
from pylean.indicators.numbers import _quotient_halves, float_decimal, quotient_doubles, to_double

EXACT = 2 ** 53
T0 = datetime(2025, 10, 1, 9, 30)


def _check(totals: list[int], divisors: list[int], quotients: list[Decimal]) -> np.ndarray:
    doubles, ok = quotient_doubles(np.array(totals, dtype=np.int64), np.array(divisors, dtype=np.int64), 6)
    for double, holds, quotient in zip(doubles.tolist(), ok.tolist(), quotients):
        if holds:
            assert double.hex() == to_double(quotient).hex(), quotient
    return ok


def _near_tie(divisor: int, whole: int, shift: int) -> int:
    """A total whose quotient's digits end next to a half (remainder about divisor / 2 after the 28th digit)."""
    return whole * divisor + divisor // 2 + shift


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 2000), st.integers(0, 6),
                          st.one_of(st.integers(0, 10 ** 13), st.integers(0, 10 ** 8),
                                    st.sampled_from([0, 1, 9, 10, 99, 100, 999999, 1000000, 999999999]))),
                min_size=1, max_size=30))
def test_sma_quotients(cases: list[tuple[int, int, int]]) -> None:
    """total (at `scale` decimals, as the Decimal sum keeps them) / count, in millionths / count * 10**6."""
    totals, divisors, quotients = [], [], []
    for count, scale, digits in cases:
        total = digits * 10 ** (6 - scale)
        if total >= EXACT:
            continue
        totals.append(total)
        divisors.append(count * 10 ** 6)
        quotients.append(Decimal(digits).scaleb(-scale) / Decimal(count))
    if totals:
        ok = _check(totals, divisors, quotients)
        for holds, quotient in zip(ok.tolist(), quotients):  # a usual price average always takes the fast path
            if Decimal(1) <= quotient < Decimal(10 ** 9) and len(quotient.as_tuple().digits) == 28:
                assert holds, quotient


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.integers(1, EXACT - 1), st.integers(1, 10 ** 9),
                                    st.builds(lambda a, b: 2 ** a * 5 ** b, st.integers(0, 50), st.integers(0, 22))),
                          st.integers(0, 10 ** 9), st.integers(-3, 3), st.integers(0, EXACT - 1)),
                min_size=1, max_size=30))
def test_any_quotients(cases: list[tuple[int, int, int, int]]) -> None:
    """Any divisor (powers of 2 and 5: exact quotients of many decimals, ties), totals next to halves and at
    random; the dividend has no decimals (ideal scale 0)."""
    totals, divisors, quotients = [], [], []
    for divisor, whole, shift, other in cases:
        if divisor >= EXACT:
            continue
        for total in (_near_tie(divisor, whole, shift), other, whole * divisor, (10 ** (whole % 10)) * divisor - 1):
            if 0 < total < EXACT:
                totals.append(total)
                divisors.append(divisor)
                quotients.append(Decimal(total) / Decimal(divisor))
    if totals:
        doubles, ok = quotient_doubles(np.array(totals, dtype=np.int64), np.array(divisors, dtype=np.int64), 0)
        for double, holds, quotient in zip(doubles.tolist(), ok.tolist(), quotients):
            if holds:
                assert double.hex() == to_double(quotient).hex(), quotient


@settings(max_examples=300, deadline=None)
@given(st.integers(20, 28), st.sampled_from([2, 5]), st.integers(0, EXACT))
def test_ties(decimals: int, base: int, seed: int) -> None:
    """total / base**decimals has exactly `decimals` decimals when total is not a multiple of base: with 29 - decimals
    (at most 9) integer digits its 29th digit is a 5, a tie that half-even rounding sends to the even neighbour."""
    divisor = base ** decimals
    digits = 29 - decimals
    low, high = 10 ** (digits - 1) * divisor, min(10 ** digits * divisor, EXACT)
    if divisor >= EXACT or low >= high:
        return
    total = low + seed % (high - low)
    total += (total % base == 0)
    if total >= EXACT:
        return
    quotient = Decimal(total) / Decimal(divisor)
    assert total * 10 ** decimals % divisor == 0 and total % base  # exactly `decimals` decimals: a tie
    doubles, ok = quotient_doubles(np.array([total]), np.array([divisor]), 0)
    assert ok[0] and doubles[0].hex() == to_double(quotient).hex()
    whole, remainder = divmod(total, divisor)
    high, low, _ = _quotient_halves(np.array([whole]), np.array([remainder]), np.array([divisor]), digits, 9)
    assert int(high[0]) * 10 ** 14 + int(low[0]) == int(quotient.scaleb(decimals - 1))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 9), st.integers(0, EXACT), st.one_of(
    st.integers(1, 10 ** 9), st.builds(lambda a, b: 2 ** a * 5 ** b, st.integers(0, 28), st.integers(0, 12)))),
    min_size=1, max_size=30))
def test_quotient_digits(cases: list[tuple[int, int, int]]) -> None:
    """The 28 digits themselves (a rounding slip seldom moves a double): Decimal's coefficient of the quotient."""
    for nd, seed, divisor in cases:
        low, high = 10 ** (nd - 1) * divisor, min(10 ** nd * divisor, EXACT)
        if low >= high:
            continue
        total = low + seed % (high - low)
        whole, remainder = divmod(total, divisor)
        step = len(str((2 ** 63 - 1) // divisor)) - 1
        found_high, found_low, exact = _quotient_halves(np.array([whole]), np.array([remainder]), np.array([divisor]),
                                                        nd, step)
        quotient = Decimal(total) / Decimal(divisor)
        digits = int(quotient.scaleb(28 - nd))
        if digits >= 10 ** 27:  # not 10**28 - 1 rounded up to 10**27 at the next power
            assert int(found_high[0]) * 10 ** 14 + int(found_low[0]) == digits
        assert bool(exact[0]) == (total * 10 ** (28 - nd) % divisor == 0)


@settings(max_examples=200, deadline=None)
@given(st.integers(10 ** 12, 10 ** 13 - 1), st.integers(0, 69))
def test_rounding_carries_into_the_high_half(seed: int, shift: int) -> None:
    """Q * 10**27 = K * 10**14 - 10**14 / d (one digit, d in (2e14, 9e14)): the low half is fourteen 9s rounded
    up, carrying into the high half. total = (K * d - 1) / 10**13 needs K * d = 1 modulo 10**13."""
    key = 10 * seed + 1 if seed % 5 else 10 * seed + 3  # coprime to 10, of 14 digits
    divisor = pow(key, -1, 10 ** 13) + (shift + 21) * 10 ** 13
    total = (key * divisor - 1) // 10 ** 13
    if not 2 * 10 ** 14 < divisor < 9 * 10 ** 14 or not 10 ** 13 * divisor <= key * divisor < 10 ** 14 * divisor \
            or total >= EXACT:
        return
    high, low, exact = _quotient_halves(np.array([total // divisor]), np.array([total % divisor]),
                                        np.array([divisor]), 1, 3)
    assert low[0] == 0 and high[0] == key and not exact[0]
    assert int(high[0]) * 10 ** 14 + int(low[0]) == int((Decimal(total) / Decimal(divisor)).scaleb(27))


_PRICES = st.one_of(
    st.integers(1, 10 ** 9).map(lambda cents: cents / 100),  # usual prices
    st.integers(1, 10 ** 12).map(lambda micros: micros / 10 ** 6),
    st.floats(1e-3, 1e7, allow_nan=False),  # any digits: the day falls back
    st.sampled_from([0.0, -1.5, 1e-7, 1.5e-5, 1099511.627775, 1099511.627776, 123456789.5]))


def _bars(prices: list[float]) -> DayBars:
    """A DayBars over `prices` (every step has a bar; some through fill-forward codes)."""
    codes = [k if k % 3 else -2 - k for k in range(len(prices))]
    bars = object.__new__(DayBars)
    bars.codes, bars.closes, bars.step_array, bars.scaled = codes, prices, np.arange(len(prices)), False
    bars.rows = None
    bars.steps = bars.step_array.tolist()
    return bars


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 70), st.lists(_PRICES, max_size=80), st.lists(_PRICES, min_size=1, max_size=200),
       st.booleans())
def test_sma_series_doubles(period: int, before: list[float], prices: list[float], usual: bool) -> None:
    if usual:  # mostly prices of few decimals
        prices = [round(abs(price), 2) or 0.01 for price in prices]
        before = [round(abs(price), 4) for price in before]
    sma = SimpleMovingAverage(period)
    for k, price in enumerate(before):
        sma._update(IndicatorDataPoint(None, T0 + timedelta(seconds=k), float_decimal(price)))
    series = _SmaSeries(sma)
    values = [float_decimal(price) for price in prices]
    bars = _bars(prices)
    series.extend(values, len(values) // 2)
    first = series.doubles(0, bars)
    series.extend(values, len(values))
    rest = series.doubles(len(first), bars)
    assert [double.hex() for double in first + rest] == [to_double(value).hex() for value in series.outputs]
    if usual and 1 <= min(prices) and max(prices) < 10 ** 6 and not before:  # averages of 1 or more
        assert len(series.day_doubles) and not series.day_misses, "the integer path was not taken"


def test_millionths_checks_each_close() -> None:
    assert DayBars.millionths(_bars([255.45, 0.000001, 1099511.627775])).tolist() == [255450000, 1, 1099511627775]
    assert DayBars.millionths(_bars([255.45, 1e-7])) is None  # seven decimals
    assert DayBars.millionths(_bars([255.45, 0.0])) is None
    assert DayBars.millionths(_bars([1099511.627776])) is None  # 2**40 millionths
    assert DayBars.millionths(SimpleNamespace(scaled=None)) is None


def test_only_int64_arrays_are_taken() -> None:
    """Float arrays would lose the remainders' low digits: nothing holds for them."""
    doubles, ok = quotient_doubles(np.array([15300000001.0]), np.array([60000000.0]), 6)
    assert not ok.any()
    doubles, ok = quotient_doubles(np.array([15300000001]), np.array([60000000]), 6)
    assert ok.all() and doubles[0] == to_double(Decimal("15300.000001") / Decimal(60))


def test_series_sums_are_int64_from_an_empty_start() -> None:
    series = _SmaSeries(SimpleMovingAverage(3))
    prices = [255.45, 255.46, 255.5, 255.51]
    series.extend([float_decimal(price) for price in prices], 4)
    assert series.doubles(0, _bars(prices)) == [to_double(value) for value in series.outputs]
    assert not series.day_misses and len(series.day_doubles) == 4
