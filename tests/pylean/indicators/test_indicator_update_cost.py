"""The cheaper per-update and per-read paths of the indicators give what the general ones give, bit for bit:
`to_double` is dotnet.decimal_to_double for every shape of decimal (the scale decides the double), and the
SMA/EMA updates with their output points written out keep the output window, `updated` events and removed
item of the general `IndicatorBase._emit` path (subclasses take it)."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pylean.indicators import ExponentialMovingAverage, IndicatorDataPoint, SimpleMovingAverage
from pylean.indicators.numbers import to_double
from pylean.statistics.dotnet import decimal_to_double

T0 = datetime(2025, 10, 1, 9, 30)

# prices as Lean files give them (integers scaled by 10,000), as pythonnet's decimal of the float
lean_prices = st.integers(1, 10**9).map(lambda raw: Decimal(repr(raw / 10000)))


def _quotient(total: Decimal, count: int) -> Decimal:
    return total / count


decimal_shapes = st.one_of(
    st.builds(_quotient, lean_prices, st.integers(1, 400)),  # an SMA's value: 28 digits or an exact quotient
    st.builds(lambda a, b: -(a / b), lean_prices, st.integers(1, 400)),
    st.builds(lambda a, k: a * k, lean_prices, st.decimals(0, 1, places=28, allow_nan=False)),  # EMA-like
    st.builds(lambda m, s: Decimal(m).scaleb(-s), st.integers(-10**28 + 1, 10**28 - 1), st.integers(0, 28)),
    st.builds(lambda s: Decimal(0).scaleb(-s).copy_negate(), st.integers(0, 28)),
    st.builds(lambda m, s: Decimal(m).scaleb(s), st.integers(-10**20, 10**20), st.integers(-40, 12)),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.sampled_from([Decimal("0"), Decimal("-0"), Decimal("0E-28"), Decimal("-0E-14"), Decimal("-0E-20"), Decimal("1E+5"), Decimal("-1.000000000000000"),
                     Decimal("123456789012345.6"), Decimal("1234567890123456"), Decimal("-123456789012345"),
                     Decimal("0.0000001234567890123456789012"), Decimal("79228162514264337593543950335")]),
)


def _in_net_range(value: Decimal) -> bool:
    return abs(value) < Decimal(10) ** 28 and not (value and abs(value) < Decimal("1e-28"))


@settings(max_examples=3000, deadline=None)
@given(decimal_shapes)
def test_to_double_is_decimal_to_double_for_every_shape(value: Decimal) -> None:
    if _in_net_range(value):
        assert to_double(value) == decimal_to_double(value)
        assert str(to_double(value)) == str(decimal_to_double(value))  # the sign of zero too


def test_to_double_depends_on_the_scale() -> None:
    # the same number at two scales: .NET's conversion is not always correctly rounded, so the digits matter
    for text in ["232.436", "232.43600000000000000000000"]:
        assert to_double(Decimal(text)) == decimal_to_double(Decimal(text))


class PlainSMA(SimpleMovingAverage):
    __slots__ = ()


class PlainEMA(ExponentialMovingAverage):
    __slots__ = ()


def _run(indicator, series):  # type: ignore[no-untyped-def]
    events = []
    indicator.updated += lambda sender, point: events.append((sender is indicator, point.time, point._value,
                                                              point.symbol, indicator.current is point))
    states = []
    for offset, price, symbol in series:
        indicator._update(IndicatorDataPoint(symbol, T0 + timedelta(seconds=offset), price))
        window = indicator.window
        removed = window.most_recently_removed if window.samples > window.size else None
        states.append(([(p.time, p._value, p.symbol) for p in window], window.samples, window.count,
                       None if removed is None else (removed.time, removed._value), indicator.samples,
                       indicator.is_ready, indicator.current.value, indicator.previous.value))
    return events, states


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 300), lean_prices, st.sampled_from(["SPY", None])), min_size=1,
                max_size=80), st.integers(1, 9))
def test_written_out_outputs_match_emit(series: list, period: int) -> None:
    series = sorted(series, key=lambda item: item[0])
    assert _run(SimpleMovingAverage(period), series) == _run(PlainSMA(period), series)
    assert _run(ExponentialMovingAverage(period), series) == _run(PlainEMA(period), series)


def test_output_window_size_change_keeps_the_newest_points() -> None:
    sma = SimpleMovingAverage(2)
    sma.window.size = 3
    for i in range(6):
        sma._update(IndicatorDataPoint(T0 + timedelta(seconds=i), Decimal(i)))
    assert [p._value for p in sma.window] == [Decimal("4.5"), Decimal("3.5"), Decimal("2.5")]
    assert sma.window.most_recently_removed._value == Decimal("1.5")
