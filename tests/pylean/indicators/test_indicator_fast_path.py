"""The one-frame updates of SMA and EMA (and the running Sum inside an SMA) give exactly what the general
IndicatorBase._update path gives (subclasses always take it): every output decimal, sample count, readiness and
the Sum's own window, for random inputs that repeat and go back in time. And the one-pass `to_double` is
dotnet.decimal_to_double for any decimal, and the list form `to_doubles` is `to_double` of each, bit for bit."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pylean.indicators import ExponentialMovingAverage, IndicatorDataPoint, SimpleMovingAverage
from pylean.indicators.numbers import dec, float_decimal, to_double, to_doubles
from pylean.statistics.dotnet import decimal_to_double

T0 = datetime(2025, 10, 1, 9, 30)


class PlainSMA(SimpleMovingAverage):
    __slots__ = ()


class PlainEMA(ExponentialMovingAverage):
    __slots__ = ()


def trace(indicator, inputs):  # type: ignore[no-untyped-def]
    out = []
    for offset, value, symbol, same_point in inputs:
        point = IndicatorDataPoint(symbol, T0 + timedelta(seconds=offset), Decimal(value))
        indicator._update(point)
        if same_point:
            indicator._update(point)  # the very same input again is not a sample
        window = list(indicator.window)
        out.append((indicator.samples, indicator.is_ready, [(p.time, p._value, p.symbol) for p in window]))
        rolling = getattr(indicator, "rolling_sum", None)
        if rolling is not None:
            out.append((rolling.samples, rolling.is_ready, [(p.time, p._value) for p in rolling.window]))
    return out


inputs = st.lists(st.tuples(st.integers(0, 400), st.decimals(-1000, 1000, places=4, allow_nan=False),
                            st.sampled_from(["SPY", "AAPL", None]), st.booleans()), min_size=1, max_size=150)


@settings(max_examples=200, deadline=None)
@given(inputs, st.integers(1, 12))
def test_sma_and_ema_fast_updates_match_the_general_path(series: list, period: int) -> None:
    series = sorted(series, key=lambda item: item[0]) if period % 3 else series  # in order, or back in time
    assert trace(SimpleMovingAverage(period), series) == trace(PlainSMA(period), series)
    assert trace(ExponentialMovingAverage(period), series) == trace(PlainEMA(period), series)


def test_the_fast_sma_is_the_mean_of_the_last_inputs() -> None:
    sma = SimpleMovingAverage(3)
    for i, value in enumerate(["1.5", "2.25", "3", "10"]):
        sma._update(IndicatorDataPoint(T0 + timedelta(seconds=i), Decimal(value)))
    assert sma.current._value == (Decimal("2.25") + 3 + 10) / 3
    assert sma.rolling_sum.current._value == Decimal("15.25")
    sma._update(IndicatorDataPoint(T0, Decimal("99")))  # older than the last input: ignored
    assert sma.samples == 4 and sma.current._value == (Decimal("2.25") + 3 + 10) / 3


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.decimals(allow_nan=False, allow_infinity=False),
                 st.builds(lambda a, b: a / b, st.decimals(-10**9, 10**9, places=6, allow_nan=False),
                           st.integers(1, 997).map(Decimal)),
                 st.floats(allow_nan=False, allow_infinity=False, width=64).map(dec)))
def test_to_double_is_decimal_to_double(value: Decimal) -> None:
    if abs(value) >= Decimal(10) ** 28 or (value and abs(value) < Decimal("1e-28")):
        return  # outside System.Decimal
    assert to_double(value) == decimal_to_double(value)


_DECIMALS = st.one_of(
    st.decimals(),  # NaN, infinities, signs, exponents
    st.builds(lambda a, b: a / b, st.decimals(-10**9, 10**9, places=6, allow_nan=False), st.integers(1, 997).map(Decimal)),
    st.builds(lambda a, b: a / b, st.decimals(0, 10**6, places=2, allow_nan=False), st.integers(1, 100).map(Decimal)),
    st.builds(lambda digits, places: Decimal(digits).scaleb(-places), st.integers(0, 10 ** 29), st.integers(0, 30)),
    st.floats(allow_nan=False, allow_infinity=False, width=64).map(dec))


def _converts(value: Decimal) -> bool:
    """Within what System.Decimal holds (to_double raises beyond)."""
    try:
        to_double(value)
    except (OverflowError, ValueError, ArithmeticError):
        return False
    return True


@settings(max_examples=300, deadline=None)
@given(st.lists(_DECIMALS, max_size=40))
def test_to_doubles_is_to_double_of_each(values: list[Decimal]) -> None:
    values = [value for value in values if _converts(value)]
    expected = [to_double(value) for value in values]
    assert [double.hex() for double in to_doubles(values)] == [double.hex() for double in expected]


@given(st.floats(allow_nan=False))
def test_float_decimal_is_dec(value: float) -> None:
    assert float_decimal(value) == dec(value) and str(float_decimal(value)) == str(dec(value))
    assert float_decimal(value) is float_decimal(value)


def _plain_texts(digits: int, dot: int, mantissas: list[int]) -> list[Decimal]:
    """Decimals whose texts are `digits` digits with the point after the first `dot` (all one width)."""
    return [Decimal(f"{m:0{digits}d}"[:dot] + "." + f"{m:0{digits}d}"[dot:]) for m in mantissas]


@settings(max_examples=300, deadline=None)
@given(st.integers(15, 28).flatmap(lambda digits: st.tuples(
    st.just(digits), st.integers(1, digits - 1),
    st.lists(st.one_of(st.integers(0, 10 ** digits - 1),  # near a multiple of 2**64: the high part's rounding
                       st.builds(lambda k, d: min(max(k * 2 ** 64 + d, 0), 10 ** digits - 1),
                                 st.integers(0, 10 ** digits // 2 ** 64), st.integers(-2 ** 12, 2 ** 12))),
             min_size=1, max_size=40))))
def test_to_doubles_of_one_width_texts_in_numpy(case: tuple[int, int, list[int]]) -> None:
    digits, dot, mantissas = case
    values = [value for value in _plain_texts(digits, dot, mantissas) if len(str(value)) == digits + 1]
    assume(values)  # tiny ones print with an exponent: numpy's path takes texts of one width
    expected = [decimal_to_double(value).hex() for value in values]
    assert [double.hex() for double in to_doubles(values)] == expected
    mixed = [Decimal("-1.5"), *values, Decimal("1E+3"), Decimal("0.25")]  # with other widths and kinds around
    assert [double.hex() for double in to_doubles(mixed)] == [to_double(value).hex() for value in mixed]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(
    st.builds(lambda m: Decimal(m).scaleb(-2), st.integers(0, 10 ** 9)),  # short plain texts: float()
    st.builds(lambda m: Decimal(m).scaleb(-25), st.integers(10 ** 27, 10 ** 28 - 1)),  # 28 digits, one width
    st.builds(lambda m: Decimal(m).scaleb(-20), st.integers(10 ** 20, 10 ** 25)),  # other long widths
    st.sampled_from([Decimal("-2.5"), Decimal("1E+3"), Decimal("-0.000"), Decimal("0E-30")])), max_size=60))
def test_to_doubles_grouped_by_width(values: list[Decimal]) -> None:
    """Several widths in one list (the SMA's day): each width's group, the short plain texts and the rest are
    placed back where they were."""
    assert [double.hex() for double in to_doubles(values)] == [to_double(value).hex() for value in values]
