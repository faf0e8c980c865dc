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


to_float = decimal_to_double  # what Python reads of a Lean decimal: pythonnet's decimal.ToDouble


def optional_float(value: Decimal | None) -> float | None:
    return None if value is None else to_float(value)


def optional_decimal(value: Any) -> Decimal | None:
    return None if value is None else to_decimal(value)
