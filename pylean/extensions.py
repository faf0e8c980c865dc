"""Lean's `Extensions` static helpers that Python algorithms call by name (Common/Extensions.cs).
Numbers cross the boundary as pythonnet does: Python float -> decimal by its repr, decimal -> float."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from pylean.numbers import to_decimal, to_float
from pylean.statistics.dotnet import round_to_significant_digits


class Extensions:
    """Only the members regression algorithms use; both spellings."""

    @staticmethod
    def round_to_significant_digits(value: Any, digits: int) -> float:
        return to_float(round_to_significant_digits(to_decimal(value), int(digits)))

    @staticmethod
    def convert_from_utc(time: datetime, time_zone: Any) -> datetime:
        """A (naive) UTC time in the zone, naive, as Lean's DateTime."""
        utc = time.replace(tzinfo=timezone.utc) if time.tzinfo is None else time
        return utc.astimezone(_zone(time_zone)).replace(tzinfo=None)

    @staticmethod
    def convert_to_utc(time: datetime, time_zone: Any) -> datetime:
        """A (naive) local time of the zone in UTC, naive."""
        local = time.replace(tzinfo=_zone(time_zone)) if time.tzinfo is None else time
        return local.astimezone(timezone.utc).replace(tzinfo=None)

    @staticmethod
    def to_time_span(resolution: Any) -> Any:
        """Resolution.ToTimeSpan(): a tick is zero, the others their bar length."""
        from pylean.consolidators.period import resolution_span

        return resolution_span(resolution)

    @staticmethod
    def normalize_to_str(value: Any) -> str:
        """The decimal without trailing zeros, never in exponent form ("0.05", "1", "100")."""
        text = format(to_decimal(value).normalize(), "f")
        return "0" if text in ("-0", "") else text

    RoundToSignificantDigits = round_to_significant_digits
    NormalizeToStr = normalize_to_str
    ToTimeSpan = to_time_span
    ConvertFromUtc, ConvertToUtc = convert_from_utc, convert_to_utc


def _zone(time_zone: Any) -> ZoneInfo:
    return time_zone if isinstance(time_zone, ZoneInfo) else ZoneInfo(str(getattr(time_zone, "id", time_zone)))
