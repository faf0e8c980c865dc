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

from pylean.statistics.dotnet import decimal_from_double, decimal_to_double, net_div, net_sub

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


def to_double(value: Decimal) -> float:
    """(double)decimal as pythonnet returns a decimal property to Python."""
    return decimal_to_double(value)


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
