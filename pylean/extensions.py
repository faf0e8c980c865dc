"""Lean's `Extensions` static helpers that Python algorithms call by name (Common/Extensions.cs).
Numbers cross the boundary as pythonnet does: Python float -> decimal by its repr, decimal -> float."""
from __future__ import annotations

from typing import Any

from pylean.numbers import to_decimal, to_float
from pylean.statistics.dotnet import round_to_significant_digits


class Extensions:
    """Only the members regression algorithms use; both spellings."""

    @staticmethod
    def round_to_significant_digits(value: Any, digits: int) -> float:
        return to_float(round_to_significant_digits(to_decimal(value), int(digits)))

    RoundToSignificantDigits = round_to_significant_digits
