"""Unit tests of the .NET number rules (pylean/statistics/dotnet.py)."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal as D

import pytest
from hypothesis import given, settings, strategies as st

from pylean.statistics import dotnet as n


@pytest.mark.parametrize("x, d, expected", [
    (2.5, 0, 2.0), (3.5, 0, 4.0), (-2.5, 0, -2.0),
    (8.8543, 3, 8.854), (1.0005, 3, 1.0), (0.0125, 3, 0.012),  # 0.0125*1000 = 12.5 exactly -> even
    (1.2345e17, 3, 1.2345e17),
])
def test_math_round_double(x: float, d: int, expected: float) -> None:
    assert n.math_round_double(x, d) == expected


def test_math_round_double_is_not_python_round() -> None:
    # 2.675 is 2.67499999999999982236431605997495353221893310546875: Python rounds the exact value down,
    # .NET multiplies first (2.675 * 100 = 267.49999999999997 in double) and rounds that
    assert n.math_round_double(2.675, 2) == round(2.675 * 100) / 100
    assert n.math_round_double(1.0000000000000002, 0) == 1.0


@pytest.mark.parametrize("x, d, expected", [
    ("2.200", 3, "2.200"), ("0.0219999", 3, "0.022"), ("1.6919200", 3, "1.692"), ("100000", 2, "100000"),
    ("2.5", 0, "2"), ("3.5", 0, "4"), ("-0.0005", 3, "0.000"), ("0.12345", 4, "0.1234"), ("1.2", 4, "1.2"),
])
def test_round_decimal_bankers_keeps_scale(x: str, d: int, expected: str) -> None:
    assert n.decimal_str(n.round_decimal(D(x), d)) == expected


def test_round_decimal_away_from_zero() -> None:
    assert n.round_decimal(D("56234.5"), 0, away_from_zero=True) == D("56235")
    assert n.round_decimal(D("-0.5"), 0, away_from_zero=True) == D("-1")


@pytest.mark.parametrize("x, expected", [
    ("-1.15428436799", "-1.154284"),
    ("101691.923456", "101691.9235"),
    ("144.773077904", "144.7731"),
    ("100000.00000", "100000"),
    ("0.0000123456789", "0.00001234568"),
    ("1.0000000", "1"),
    # 7 significant digits with banker's ties: 1.2345675 -> 1.234568 (8 is even), 1.2345665 -> 1.234566
    ("1.2345675", "1.234568"),
    ("1.2345665", "1.234566"),
    ("-2.5000005", "-2.5"),
    ("999.99995", "1000"),
    ("1000.00005", "1000.0000"),  # > 1000: Math.Round(x, 4) keeps the scale (no second Normalize)
    ("1000.00015", "1000.0002"),
])
def test_smart_round(x: str, expected: str) -> None:
    assert n.decimal_str(n.smart_round(D(x))) == expected


@pytest.mark.parametrize("x, digits, expected", [
    ("56234000.00", 2, "56000000.00"),
    ("1171900000.00", 2, "1200000000.00"),
    ("2750000.00", 2, "2800000.00"),
    ("2850000.00", 2, "2800000.00"),   # banker's tie
    ("0", 2, "0"),
    ("0.00", 2, "0"),
    ("-0.0345", 2, "-0.034"),
])
def test_round_to_significant_digits(x: str, digits: int, expected: str) -> None:
    assert n.decimal_str(n.round_to_significant_digits(D(x), digits)) == expected


@pytest.mark.parametrize("x, expected", [
    (0.0075, "0.0075"), (0.1, "0.1"), (1 / 3, "0.333333333333333"), (2.7145312345678912, "2.71453123456789"),
    (1e8, "100000000"), (123456789012345678.0, "123456789012346000"), (-0.5, "-0.5"), (0.0, "0"),
    (1e-30, "0"), (8.854306, "8.854306"), (0.012345678901234567, "0.0123456789012346"),
])
def test_decimal_from_double_keeps_15_digits(x: float, expected: str) -> None:
    assert n.decimal_str(n.decimal_from_double(x)) == expected


def test_decimal_to_double() -> None:
    assert n.decimal_to_double(D("-0.0115428")) == -0.0115428
    assert n.decimal_to_double(D("100000")) == 100000.0
    q = n.net_div(D(1), D(3))
    assert abs(n.decimal_to_double(q) - 1 / 3) < 1e-16


@pytest.mark.parametrize("a, b, expected", [
    ("101691.92", "100000", "1.0169192"),
    ("1", "3", "0.3333333333333333333333333333"),
    ("10", "3", "3.3333333333333333333333333333"),  # 29 significant digits, as .NET
    ("1.000", "1", "1.000"),                       # exact: natural scale kept
    ("1250", "1.00", "1250"),                      # negative natural scale -> 0
    ("1.00", "8", "0.125"),
    ("56234000.00", "100000000", "0.56234"),
    ("-3", "4", "-0.75"),
])
def test_net_div_scale_rules(a: str, b: str, expected: str) -> None:
    assert n.decimal_str(n.net_div(D(a), D(b))) == expected


def test_net_arithmetic_scales() -> None:
    assert n.decimal_str(n.net_mul(D("1.50"), D("2.0"))) == "3.000"
    assert n.decimal_str(n.net_add(D("1.50"), D("2"))) == "3.50"
    assert n.decimal_str(n.normalize(D("1.2300"))) == "1.23"
    assert n.decimal_str(n.normalize(D("1E+3"))) == "1000"
    with pytest.raises(ZeroDivisionError):
        n.net_div(D(1), D(0))


@pytest.mark.parametrize("x, expected", [
    (8.854, "8.854"), (-19.0, "-19"), (0.02, "0.02"), (0.0, "0"), (-0.0, "0"), (1.97, "1.97"),
    (1e15, "1E+15"), (123456789012345.0, "123456789012345"), (1e-05, "1E-05"), (0.0001, "0.0001"),
    (float("nan"), "NaN"), (-14.565, "-14.565"), (1234567.0, "1234567"),
])
def test_format_double(x: float, expected: str) -> None:
    assert n.format_double(x) == expected


def test_format_double_after_round_gives_minus_zero_as_zero() -> None:
    assert n.format_double(n.math_round_double(-0.0001, 3)) == "0"


@pytest.mark.parametrize("x, expected", [
    ("3.485", "3.49"), ("3.44", "3.44"), ("0", "0.00"), ("9", "9.00"), ("28.295", "28.30"),
    ("-3.485", "-3.49"), ("-0.001", "0.00"), ("135.200", "135.20"), ("3.4849999", "3.48"),
])
def test_format_fixed_2_away(x: str, expected: str) -> None:
    assert n.format_fixed_2_away(D(x)) == expected


@pytest.mark.parametrize("x, expected", [
    ("101691.919837", "101,691.92"), ("1234.565", "1,234.57"), ("0", "0.00"), ("-1234.5", "-1,234.50"),
    ("6009425.08", "6,009,425.08"), ("-0.004", "0.00"),
])
def test_format_n2(x: str, expected: str) -> None:
    assert n.format_n2(D(x)) == expected


@pytest.mark.parametrize("x, expected", [
    ("0.0169192", "1.69 %"), ("0.0024783", "0.25 %"), ("-0.0123", "-1.23 %"), ("0", "0.00 %"), ("12.5", "1,250.00 %"),
])
def test_format_p(x: str, expected: str) -> None:
    assert n.format_p(D(x)) == expected


@pytest.mark.parametrize("x, expected", [
    ("2.200", "2.200"), ("-0.00", "0.00"), ("1E-7", "0.0000001"), ("1E+3", "1000"), ("100000", "100000"),
])
def test_decimal_str(x: str, expected: str) -> None:
    assert n.decimal_str(D(x)) == expected


def test_json_round4_and_literals() -> None:
    assert n.json_round4(D("0.01691920")) == "0.0169"
    assert n.json_round4(D("135.200")) == "135.200"
    assert n.json_round4(3) == "3"
    assert n.newtonsoft_decimal(D("688")) == "688.0"
    assert n.newtonsoft_decimal(D("144.78172417")) == "144.78172417"


@pytest.mark.parametrize("ticks, expected", [
    (0, "00:00:00"), (16_765_000_000, "00:27:56.5000000"), (2_345_000_000, "00:03:54.5000000"),
    (2 * 864_000_000_000 + 21 * 36_000_000_000 + 33 * 600_000_000 + 40 * 10_000_000, "2.21:33:40"),
    (-600_000_000, "-00:01:00"),
])
def test_format_timespan(ticks: int, expected: str) -> None:
    assert n.format_timespan(ticks) == expected


def test_format_iso_utc() -> None:
    assert n.format_iso_utc(datetime(2013, 10, 7, 13, 31, tzinfo=timezone.utc)) == "2013-10-07T13:31:00Z"
    assert n.format_iso_utc(datetime(2013, 10, 7, 13, 31, 0, 500000)) == "2013-10-07T13:31:00.5Z"


def _reference_net_div(a: D, b: D) -> D:
    """Independent integer model of VarDecDiv: exact -> natural scale (>= 0); inexact -> half-even at the
    largest scale <= 28 whose mantissa fits 96 bits, trailing zeros stripped."""
    def parts(x: D) -> tuple[int, int, int]:
        sign, digits, exp = x.as_tuple()
        m = int("".join(map(str, digits)))
        return (sign, m * 10 ** exp, 0) if exp > 0 else (sign, m, -exp)
    sa, ma, ea = parts(a)
    sb, mb, eb = parts(b)
    natural = ea - eb
    t0 = max(natural, 0)
    num = ma * 10 ** (t0 - natural)
    sign = "-" if (sa ^ sb) and ma else ""
    if num % mb == 0:
        if num // mb >= 2 ** 96:
            raise OverflowError
        return D(f"{sign}{num // mb}e{-t0}")
    t = 28
    while True:
        if t < 0:
            raise OverflowError
        q, r = divmod(ma * 10 ** (t - natural), mb)
        if 2 * r > mb or (2 * r == mb and q & 1):
            q += 1
        if q < 2 ** 96:
            break
        t -= 1
    while t > 0 and q % 10 == 0:
        q, t = q // 10, t - 1
    return D(f"{sign}{q}e{-t}")


def test_net_div_matches_an_integer_model() -> None:
    import random
    rng = random.Random(7)
    for _ in range(3000):
        a = D(rng.randint(-10 ** rng.randint(1, 28), 10 ** rng.randint(1, 28))).scaleb(-rng.randint(0, 28))
        b = D(rng.choice([1, -1]) * rng.randint(1, 10 ** rng.randint(1, 20))).scaleb(-rng.randint(0, 12))
        try:
            expected = _reference_net_div(a, b)
        except OverflowError:
            with pytest.raises(OverflowError):
                n.net_div(a, b)
            continue
        got = n.net_div(a, b)
        assert got == expected and got.as_tuple().exponent == expected.as_tuple().exponent, (a, b)



@settings(max_examples=2000, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=D("-1E+12"), max_value=D("1E+4"), places=None)
       | st.sampled_from([D("999.99995"), D("1000"), D("0.099999995"), D("-9999999.5"), D("1E-20"),
                          D("144.773077904"), D("-0.00000000000000000000000000015")]))
def test_smart_round_equals_rounding_to_7_significant_digits_digit_for_digit(x):
    """smart_round's one-quantize path gives RoundToSignificantDigits' digits exactly (and the same scale)."""
    x = n.to_net(x)
    v = n.normalize(x)
    expected = n.round_decimal(v, 4) if v > 1000 else n.normalize(n.round_to_significant_digits(v, 7))
    assert str(n.smart_round(x)) == str(expected)
