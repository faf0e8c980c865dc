"""The str()-based fast path of the decimal helpers agrees with the exact as_tuple() reading."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

from hypothesis import given, settings
from hypothesis import strategies as st

from pylean.numbers import to_float
from pylean.statistics.dotnet import _parts, decimal_to_double, iso_seconds, to_net

_TWO64 = float(2 ** 64)


def reference_parts(x: Decimal) -> tuple[int, int, int]:
    sign, digits, exponent = x.as_tuple()
    mantissa = int("".join(map(str, digits))) if digits else 0
    if exponent > 0:  # type: ignore[operator]
        return sign, mantissa * 10 ** exponent, 0  # type: ignore[operator]
    return sign, mantissa, -exponent  # type: ignore[operator]


def reference_to_double(x: Decimal) -> float:
    """VarR8FromDec from its definition: (lo64 + hi32 * 2^64) / 10^scale in doubles."""
    sign, m, scale = reference_parts(to_net(x))
    value = (float(m & (2 ** 64 - 1)) + float(m >> 64) * _TWO64) / float(f"1e{scale}")
    return -value if sign else value


decimals = st.one_of(
    st.builds(lambda m, e: Decimal(m).scaleb(e), st.integers(-10 ** 30, 10 ** 30), st.integers(-40, 12)),
    st.builds(lambda a, b: a / b, st.decimals(-1e9, 1e9, allow_nan=False, allow_infinity=False, places=6),
              st.integers(1, 997).map(Decimal)),
    st.floats(-1e12, 1e12, allow_nan=False).map(lambda f: Decimal(repr(f))),
)


@settings(max_examples=3000, deadline=None)
@given(decimals)
def test_parts_and_double_match_the_exact_reading(x: Decimal) -> None:
    with localcontext() as context:
        context.prec = 60  # room for every generated value; the helpers use their own contexts
        assert _parts(x) == reference_parts(x)
        try:
            expected = reference_to_double(x)
        except OverflowError:
            return  # outside .NET decimal's range: both raise (covered by to_net's own tests)
        got = decimal_to_double(x)
        assert got == expected and str(got) == str(expected)  # same value and same sign of zero
        read = to_float(x)  # the engine's shortcut for what Python reads of a decimal property
        assert read == expected and str(read) == str(expected)
        net = to_net(x)
        assert net == x or len(x.as_tuple().digits) > 28 or x.as_tuple().exponent < -28  # type: ignore[operator]


def test_negative_zero_and_exponent_forms() -> None:
    assert _parts(Decimal("-0.00")) == (1, 0, 2)
    assert _parts(Decimal("1E+3")) == (0, 1000, 0)
    assert _parts(Decimal("1E-7")) == (0, 1, 7)
    assert str(decimal_to_double(Decimal("-0.0"))) == "-0.0"
    kept = to_net(Decimal("12.3400"))  # already a .NET decimal: value and scale kept
    assert kept == Decimal("12.3400") and kept.as_tuple().exponent == -4


def reference_to_net(x: Decimal) -> str:
    """to_net from the exact reading: the fewest decimals dropped (half-even) for scale <= 28 and a 96-bit
    mantissa, as text (the scale counts)."""
    sign, m, scale = reference_parts(x)
    if x.as_tuple().exponent <= 0 and scale <= 28 and m <= 2 ** 96 - 1:  # type: ignore[operator]
        return str(x)  # already a .NET decimal: kept as it is (-0.0 too); a positive exponent is rebuilt
    drop = max(scale - 28, 0)
    while True:
        with localcontext() as context:
            context.prec = 100
            kept = (Decimal(m).scaleb(-drop)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
        if kept <= 2 ** 96 - 1:
            break
        drop += 1
    if drop > scale:
        return "OverflowError"
    return str(Decimal(f"{'-' if sign and kept else ''}{kept}e{drop - scale}"))


@settings(max_examples=3000, deadline=None)
@given(decimals)
def test_to_net_reads_the_mantissa_it_rounds_exactly(x: Decimal) -> None:
    try:
        got = str(to_net(x))
    except OverflowError:
        got = "OverflowError"
    assert got == reference_to_net(x)


@settings(max_examples=500, deadline=None)
@given(st.integers(0, 315537897599))
def test_iso_seconds_is_strftimes_text(seconds: int) -> None:
    when = datetime(1, 1, 1) + timedelta(seconds=seconds, microseconds=seconds % 7)
    assert iso_seconds(when) == when.strftime("%Y-%m-%dT%H:%M:%S")
