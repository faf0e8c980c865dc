"""How numbers cross between Python and Lean (pythonnet's Converter): one place for both directions."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from pylean.statistics.dotnet import decimal_to_double


def to_decimal(value: Any) -> Decimal:
    """A Python number handed to Lean becomes a decimal through its shortest repr (pythonnet)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) or (hasattr(value, "__index__") and not isinstance(value, float)):
        return Decimal(int(value))
    return Decimal(repr(float(value)))


def to_float(value: Decimal) -> float:
    """What Python reads of a Lean decimal: pythonnet's `decimal.ToDouble`, which is not always correctly
    rounded (Decimal('232.43599999999998') reads as 232.436). Up to 15 digits and a scale of at most 22
    the mantissa and the power of ten are exact doubles, so the one division is float()'s correct rounding."""
    text = str(value)  # ~6x cheaper than as_tuple(); this runs on every decimal property read
    if "E" not in text:
        whole, _, frac = text.partition(".")
        # digits counted with any leading zeros: an over-count only takes the exact path below
        if len(frac) <= 22 and len(whole) + len(frac) <= (16 if text[0] == "-" else 15):
            return float(text)
    return decimal_to_double(value)


def optional_float(value: Decimal | None) -> float | None:
    return None if value is None else to_float(value)


def optional_decimal(value: Any) -> Decimal | None:
    return None if value is None else to_decimal(value)
