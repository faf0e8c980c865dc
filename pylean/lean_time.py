"""The members of Lean's static `Time` class (Common/Time.cs) that framework modules call from Python, and
System.Math's (`Math.abs`, ... from Lean's `from System import *`). Both spellings."""
from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

_TICK = timedelta(microseconds=1)  # Python's finest step stands in for .NET's 100 ns tick


class Time:
    ONE_SECOND = timedelta(seconds=1)
    ONE_MINUTE = timedelta(minutes=1)
    ONE_HOUR = timedelta(hours=1)
    ONE_DAY = timedelta(days=1)
    ONE_YEAR = timedelta(days=365)
    END_OF_TIME = datetime(2050, 12, 31)
    BEGINNING_OF_TIME = datetime(1998, 1, 2)

    @staticmethod
    def multiply(interval: timedelta, multiplier: float) -> timedelta:
        """TimeSpan.FromTicks((long)(ticks * multiplier)): truncated towards zero to a whole tick."""
        return _TICK * int(interval / _TICK * float(multiplier))

    @staticmethod
    def max(one: Any, other: Any) -> Any:
        return one if one >= other else other

    @staticmethod
    def min(one: Any, other: Any) -> Any:
        return one if one <= other else other

    Multiply, Max, Min = multiply, max, min
    OneSecond, OneMinute, OneHour, OneDay, OneYear = ONE_SECOND, ONE_MINUTE, ONE_HOUR, ONE_DAY, ONE_YEAR
    EndOfTime, BeginningOfTime = END_OF_TIME, BEGINNING_OF_TIME


def _sign(value: Any) -> int:
    if value != value:
        raise ArithmeticError("Function does not accept floating point Not-a-Number values.")
    return (value > 0) - (value < 0)


def _round(value: Any, digits: int = 0) -> Any:
    return round(value, int(digits))  # banker's rounding, as .NET's default MidpointRounding.ToEven


class Math:
    PI, E = math.pi, math.e
    abs = staticmethod(abs)
    max = staticmethod(max)
    min = staticmethod(min)
    sqrt = staticmethod(math.sqrt)
    pow = staticmethod(math.pow)
    exp = staticmethod(math.exp)
    log10 = staticmethod(math.log10)
    floor = staticmethod(math.floor)
    ceiling = staticmethod(math.ceil)
    truncate = staticmethod(math.trunc)
    sign = staticmethod(_sign)
    round = staticmethod(_round)

    @staticmethod
    def log(value: float, base: float | None = None) -> float:
        return math.log(value) if base is None else math.log(value, base)

    Abs, Max, Min, Sqrt, Pow, Exp, Log, Log10 = abs, max, min, sqrt, pow, exp, log, log10
    Floor, Ceiling, Truncate, Sign, Round = floor, ceiling, truncate, sign, round
