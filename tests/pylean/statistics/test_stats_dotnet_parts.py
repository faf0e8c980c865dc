"""The str()-based fast path of the decimal helpers agrees with the exact as_tuple() reading."""
from __future__ import annotations

from decimal import Decimal, localcontext

from hypothesis import given, settings
from hypothesis import strategies as st

from pylean.numbers import to_float
from pylean.statistics.dotnet import _parts, decimal_to_double, to_net

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
