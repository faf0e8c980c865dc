"""to_net, round_decimal and scale_of (decimal quantize shortcuts) agree with an integer model of .NET's
decimal: a 96-bit mantissa and a scale 0..28, rounded half-even when a value does not fit."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pylean.statistics.dotnet import round_decimal, scale_of, to_net

_MAX = 2 ** 96 - 1


def _parts(x: Decimal) -> tuple[int, int, int]:
    sign, digits, exponent = x.as_tuple()
    mantissa = int("".join(map(str, digits)) or "0")
    if exponent > 0:  # type: ignore[operator]
        return sign, mantissa * 10 ** exponent, 0  # type: ignore[operator]
    return sign, mantissa, -exponent  # type: ignore[operator]


def _half_even(n: int, d: int) -> int:
    q, r = divmod(n, d)
    return q + 1 if 2 * r > d or (2 * r == d and q & 1) else q


def model_to_net(x: Decimal) -> tuple[int, int, int]:
    """(sign, mantissa, scale) .NET keeps: the fewest digits dropped (half-even) that fit 96 bits and 28
    decimals; a value that needs its integer digits dropped overflows. Zero is never signed."""
    sign, m, scale = _parts(x)
    dropped = max(scale - 28, 0)
    while _half_even(m, 10 ** dropped) > _MAX:
        dropped += 1
    if dropped > scale:
        raise OverflowError
    m = _half_even(m, 10 ** dropped)
    return (sign if m else 0), m, scale - dropped


decimals = st.one_of(
    st.builds(lambda m, e: Decimal(m).scaleb(e), st.integers(-10 ** 40, 10 ** 40), st.integers(-45, 15)),
    st.builds(lambda m, e: Decimal(m).scaleb(e), st.integers(-10 ** 6, 10 ** 6), st.integers(-35, 5)),
    st.builds(lambda m, e: Decimal(m).scaleb(e),
              st.sampled_from([_MAX, _MAX + 1, -_MAX, _MAX + 5, 10 ** 29 - 1, 10 ** 28, 0, 5, 15, 25]),
              st.integers(-40, 3)),
    st.builds(lambda a, b: a / b, st.decimals(-1e9, 1e9, allow_nan=False, allow_infinity=False, places=6),
              st.integers(1, 997).map(Decimal)),
)


@settings(max_examples=3000, deadline=None)
@given(decimals)
def test_to_net_and_scale_match_the_integer_model(x: Decimal) -> None:
    assert scale_of(x) == _parts(x)[2]
    try:
        expected = model_to_net(x)
    except OverflowError:
        with pytest.raises(OverflowError):
            to_net(x)
        return
    assert _parts(to_net(x)) == expected


@settings(max_examples=2000, deadline=None)
@given(decimals, st.integers(0, 8), st.booleans())
def test_round_decimal_matches_the_integer_model(x: Decimal, decimals_kept: int, away: bool) -> None:
    try:
        sign, m, scale = model_to_net(x)
    except OverflowError:
        return
    if scale > decimals_kept:
        d = 10 ** (scale - decimals_kept)
        q, r = divmod(m, d)
        m = q + 1 if 2 * r > d or (2 * r == d and (away or q & 1)) else q
        scale = decimals_kept
    got = round_decimal(x, decimals_kept, away_from_zero=away)
    assert (got.copy_abs(), _parts(got)[2]) == (Decimal(m).scaleb(-scale), scale)
    assert got.is_signed() == bool(sign) or not m


def test_mantissas_around_two_to_the_96() -> None:
    assert str(to_net(Decimal("7922816251426433759354395034.0"))) == "7922816251426433759354395034"
    assert str(to_net(Decimal("7.9228162514264337593543950335"))) == "7.9228162514264337593543950335"
    assert str(to_net(Decimal("7.9228162514264337593543950336"))) == "7.922816251426433759354395034"
    assert str(to_net(Decimal("-0.00000000000000000000000000001"))) == "0E-28"
    with pytest.raises(OverflowError):
        to_net(Decimal("7.922816251426433759354395034E+28"))
