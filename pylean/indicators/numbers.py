"""Lean's indicator arithmetic is System.Decimal; these are the conversions at its edges (pythonnet's Converter.cs).

Python -> decimal: pythonnet parses `str(value)`, so a float becomes the decimal of its shortest repr.
Decimal -> Python: `decimal.ToDouble` (dotnet.decimal_to_double), which is not always correctly rounded.
Inside the indicators the arithmetic is Python's default Decimal context (28 digits, half-even), which
agrees with .NET decimal far below a double's resolution.
"""
from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import numpy as np

from pylean.statistics.dotnet import decimal_from_double, decimal_to_double, net_div, net_sub

_TEN28 = 10 ** 28
_LOW64 = (1 << 64) - 1
_TWO64 = 1.8446744073709552e19  # 2**64
_DOUBLE_POW10 = [float(f"1e{i}") for i in range(29)]

ZERO = Decimal(0)
ONE = Decimal(1)
TWO = Decimal(2)
HUNDRED = Decimal(100)
_HALF_TEN_DECIMALS = Decimal("5E-11")


def dec(value: Any) -> Decimal:
    """A number handed to Lean from Python, as the decimal pythonnet builds (str -> Decimal.TryParse)."""
    kind = type(value)
    if kind is Decimal:
        return value
    if kind is float:
        return Decimal(repr(value))
    if kind is int:
        return Decimal(value)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):  # bool and int subclasses too
        return Decimal(int(value))
    return Decimal(repr(float(value)))


_float_decimals: dict[float, Decimal] = {}
_FLOAT_DECIMALS_KEPT = 16384
_POSITIVE_ZERO, _NEGATIVE_ZERO = Decimal("0.0"), Decimal("-0.0")


def float_decimal(value: float) -> Decimal:
    """dec(value) for a float, remembered by value: the indicators of one bar convert the same close, and a
    day's prices keep coming back. Zero is not a key: 0.0 and -0.0 are one key but two decimals."""
    result = _float_decimals.get(value)
    if result is None:
        if not value:
            return _NEGATIVE_ZERO if math.copysign(1.0, value) < 0 else _POSITIVE_ZERO
        result = Decimal(repr(value))
        if len(_float_decimals) >= _FLOAT_DECIMALS_KEPT:
            _float_decimals.clear()  # bounded: a long run's distinct prices do not pile up
        _float_decimals[value] = result
    return result


def to_double(value: Decimal) -> float:
    """(double)decimal as pythonnet returns a decimal property to Python: dotnet.decimal_to_double, with the
    plain-notation cases computed here by the same formula (an indicator's 28-digit quotients: one str()
    and one int() of its digits)."""
    text = str(value)
    if len(text) < 16:  # at most 15 characters: mantissa and power of ten are exact doubles
        if "E" not in text and text[-1].isdigit():  # not NaN / Infinity
            return float(text)
        return decimal_to_double(value)
    whole, _, frac = text.partition(".")
    try:
        mantissa = int(whole + frac)
    except ValueError:  # scientific notation
        return decimal_to_double(value)
    scale = len(frac)
    if text[0] == "-":  # the sign from the text: -0.000... is a negative zero
        mantissa = -mantissa
        if mantissa < _TEN28 and scale <= 28:
            return -((float(mantissa & _LOW64) + float(mantissa >> 64) * _TWO64) / _DOUBLE_POW10[scale])
    elif mantissa < _TEN28 and scale <= 28:
        return (float(mantissa & _LOW64) + float(mantissa >> 64) * _TWO64) / _DOUBLE_POW10[scale]
    return decimal_to_double(value)


def to_doubles(values: list[Decimal]) -> list[float]:
    """[to_double(v) for v in values] (a day's outputs of a moving average): the short plain texts by float(),
    the long ones of one width (28-digit quotients) together by _plain_doubles, anything else by to_double."""
    texts = list(map(str, values))
    widths = set(map(len, texts))
    if len(widths) == 1 and (width := widths.pop()) > 15:  # the usual chunk: 28-digit quotients, one width
        found = _plain_doubles(texts, width)
        return found if found is not None else [to_double(value) for value in values]
    doubles: list[float] = []
    append = doubles.append
    long_at: dict[int, list[int]] = {}  # text width -> where
    for i, text in enumerate(texts):
        if len(text) > 15:
            at = long_at.get(len(text))
            if at is None:
                long_at[len(text)] = [i]
            else:
                at.append(i)
            append(0.0)
        elif "E" not in text and text[0].isdigit():
            append(float(text))
        else:
            append(to_double(values[i]))
    for width, at in long_at.items():
        found = _plain_doubles([texts[i] for i in at], width)
        if found is None:
            found = [to_double(values[i]) for i in at]
        for i, double in zip(at, found):
            doubles[i] = double
    return doubles


_DOT = ord(".")
_POW10_14 = 10 ** np.arange(13, -1, -1, dtype=np.int64)  # 10**13 ... 1


def _plain_doubles(texts: list[str], width: int) -> list[float] | None:
    """to_double of texts `width` long, all digits with the point at one place (None otherwise), in numpy: the
    mantissa's digits as a high and a low 14-digit integer, from which its low 64 bits (exact, wrapping uint64)
    and its high part (an integer below 2**30, rounded from a float estimate off by far less than 1/2)."""
    dot = texts[0].find(".")
    if not 16 <= width <= 29 or dot < 1:  # 15 to 28 digits
        return None
    raw = np.frombuffer("".join(texts).encode("ascii"), np.uint8).reshape(-1, width)
    if not (raw[:, dot] == _DOT).all():
        return None
    digits = np.delete(raw, dot, axis=1) - 48  # a non-digit wraps above 9
    if (digits > 9).any():
        return None
    high = digits[:, :-14] @ _POW10_14[29 - width:]
    low = digits[:, -14:] @ _POW10_14
    return _halves_doubles(high, low, width - 1 - dot).tolist()


def _halves_doubles(high: np.ndarray, low: np.ndarray, scale: int) -> np.ndarray:
    """to_double's formula for mantissas high * 10**14 + low (int64 halves below 10**14) at one scale: the low 64
    bits exact (wrapping uint64), the high part an integer below 2**30 rounded from a float estimate off by far
    less than 1/2."""
    low64 = (high.astype(np.uint64) * np.uint64(10 ** 14) + low.astype(np.uint64)).astype(np.float64)
    high64 = np.rint((high * 1e14 + low) / _TWO64 - low64 / _TWO64)
    return (low64 + high64 * _TWO64) / _DOUBLE_POW10[scale]


_TEN14 = 10 ** 14
_INT64_MAX = 2 ** 63 - 1
_POW10_INT = np.array([10 ** i for i in range(19)], dtype=np.int64)


def quotient_doubles(totals: np.ndarray, divisors: np.ndarray, ideal_scale: int) -> tuple[np.ndarray, np.ndarray]:
    """to_double of the 28-digit Decimal quotients q = totals / divisors (int64 arrays, 0 < both < 2**53) without
    making them: their digits by long division in int64, rounded half-even as Decimal divides, then to_double's
    formula. `ideal_scale` (at most 6) bounds the decimals an exact quotient keeps (the dividend's). Returns the
    doubles and where they hold; elsewhere (q below 1 or of 10 or more integer digits, or exact with many
    decimals) the caller converts the Decimal itself.

    An inexact quotient with nd integer digits has the 29-character text of its 28 digits, scale 28 - nd: the
    formula on its halves. An exact one keeps at most max(ideal_scale, its own) <= 15 - nd decimals when its
    digits past the 15 - nd-th are zero, so its mantissa is below 2**53 and to_double is correctly rounded:
    the float division totals / divisors."""
    doubles = np.zeros(len(totals))
    ok = np.zeros(len(totals), dtype=bool)
    if not len(totals) or ideal_scale > 6 or totals.dtype != np.int64 or divisors.dtype != np.int64:
        return doubles, ok
    largest = int(divisors.max())
    step = len(str(_INT64_MAX // largest)) - 1  # digits a remainder can be shifted by in int64
    if step < 1:
        return doubles, ok
    whole, rest = np.divmod(totals, divisors)
    digits = np.searchsorted(_POW10_INT[1:10], whole, side="right") + 1  # of the integer part
    covered = (whole >= 1) & (whole < 10 ** 9)
    for nd in np.flatnonzero(np.bincount(digits[covered])).tolist():  # the widths present (np.unique imports numpy.ma)
        same = covered & (digits == nd)
        at: Any = slice(None) if same.all() else np.flatnonzero(same)  # usually one width: no gathering
        divisor = divisors[at]
        high, low, exact = _quotient_halves(whole[at], rest[at], divisor, nd, step)
        doubles[at] = _halves_doubles(high, low, 28 - nd)
        ok[at] = True
        if exact.any():
            exact_at = np.flatnonzero(same)[exact]
            doubles[exact_at] = totals[exact_at] / divisors[exact_at]
            ok[exact_at] = low[exact] % 10 ** 13 == 0
    return doubles, ok


def _quotient_halves(whole: np.ndarray, remainder: np.ndarray, divisor: np.ndarray, nd: int,
                     step: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The 28 digits of whole + remainder / divisor (whole of nd digits) rounded half even, as halves high * 10**14
    + low, and whether the quotient was exact. Rounding never carries into a 29th digit: a quotient of integers
    below 2**53 is at least 2**-53 below a power of ten, more than half a unit of its 28th digit."""
    high, remainder = _next_digits(whole, remainder, divisor, 14 - nd, step)
    low, remainder = _next_digits(np.zeros_like(high), remainder, divisor, 14, step)
    twice = remainder * 2
    low = low + ((twice > divisor) | ((twice == divisor) & (low & 1 == 1)))
    carry = low == _TEN14
    low[carry] = 0
    return high + carry, low, remainder == 0


def _next_digits(head: np.ndarray, remainder: np.ndarray, divisor: np.ndarray, count: int,
                 step: int) -> tuple[np.ndarray, np.ndarray]:
    """head followed by the next `count` decimals of remainder / divisor (long division, `step` at a time)."""
    while count > 0:
        take = min(count, step)
        quotient, remainder = np.divmod(remainder * _POW10_INT[take], divisor)
        head = head * _POW10_INT[take] + quotient
        count -= take
    return head, remainder


def double_to_decimal(value: float) -> Decimal:
    """C# `(decimal)double`: 15 significant digits (used where Lean casts, e.g. Math.Sqrt results)."""
    return decimal_from_double(value)


def number_to_decimal(value: Any) -> Decimal:
    """A C# operator overload's numeric argument: (decimal)double for floats, exact for integers."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return decimal_from_double(value) if math.isfinite(value) else Decimal(value)
    return Decimal(int(value))


def constant_div(a: Decimal, b: Decimal) -> Decimal:
    """An exact .NET decimal quotient for constants computed once (smoothing factors)."""
    return net_div(a, b)


def constant_sub(a: Decimal, b: Decimal) -> Decimal:
    return net_sub(a, b)


def round10_is_zero(value: Decimal) -> bool:
    """Math.Round(value, 10) == 0m: banker's rounding sends exactly 5e-11 to zero too."""
    return abs(value) <= _HALF_TEN_DECIMALS
