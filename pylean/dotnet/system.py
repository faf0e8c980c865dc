"""The `System` namespace as Lean projects use it (`from System import *`, which Lean's AlgorithmImports also does).

pythonnet hands Python native values for .NET's primitives (System.String -> str, System.Double -> float,
System.DateTime -> datetime, System.TimeSpan -> timedelta), so each .NET type here is the Python type its
values arrive as, or a factory that builds that value. System.Exception and the other names that would
shadow Python builtins are left out: Lean's AlgorithmImports restores `Exception` after its star imports.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pylean.scheduling_rules import DayOfWeek

String = str
Double = Single = Decimal = float  # pythonnet converts System.Decimal to float on the way to Python
Int16 = Int32 = Int64 = UInt16 = UInt32 = UInt64 = Byte = int
Boolean = bool
Object = object
DateTime = datetime


class _Generic:
    """`Action[T](fn)` / `Func[T, R](fn)`: pythonnet's delegate wrappers; pylean calls the Python callable directly."""

    def __class_getitem__(cls, item: Any) -> type:
        return cls

    def __new__(cls, function: Any) -> Any:  # type: ignore[misc]
        return function


class Action(_Generic):
    pass


class Func(_Generic):
    pass


class Array:
    """`Array[T]([...])`: a .NET array arrives in Python as a list."""

    def __class_getitem__(cls, item: Any) -> type:
        return cls

    def __new__(cls, items: Any = ()) -> Any:  # type: ignore[misc]
        return list(items)


class TimeSpan:
    """System.TimeSpan, whose values reach Python as timedelta: `TimeSpan(h, m, s)`, `TimeSpan.from_days(1)`."""

    def __new__(cls, *parts: int) -> timedelta:  # type: ignore[misc]
        if len(parts) == 1:  # ticks, 100 ns each
            return timedelta(microseconds=parts[0] / 10)
        if len(parts) == 3:
            return timedelta(hours=parts[0], minutes=parts[1], seconds=parts[2])
        if len(parts) in (4, 5):
            days, hours, minutes, seconds, *ms = parts
            return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds, milliseconds=ms[0] if ms else 0)
        raise TypeError(f"TimeSpan takes 1, 3, 4 or 5 arguments ({len(parts)} given)")

    @staticmethod
    def from_days(value: float) -> timedelta:
        return timedelta(days=value)

    @staticmethod
    def from_hours(value: float) -> timedelta:
        return timedelta(hours=value)

    @staticmethod
    def from_minutes(value: float) -> timedelta:
        return timedelta(minutes=value)

    @staticmethod
    def from_seconds(value: float) -> timedelta:
        return timedelta(seconds=value)

    @staticmethod
    def from_milliseconds(value: float) -> timedelta:
        return timedelta(milliseconds=value)

    FromDays, FromHours, FromMinutes, FromSeconds, FromMilliseconds = (
        from_days, from_hours, from_minutes, from_seconds, from_milliseconds)
    zero = Zero = timedelta(0)
    max_value = MaxValue = timedelta.max
    min_value = MinValue = timedelta.min


__all__ = ["Action", "Array", "Boolean", "Byte", "DateTime", "DayOfWeek", "Decimal", "Double", "Func", "Int16",
           "Int32", "Int64", "Object", "Single", "String", "TimeSpan", "UInt16", "UInt32", "UInt64"]
