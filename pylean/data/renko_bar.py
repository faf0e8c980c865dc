"""RenkoBar (Common/Data/Market/RenkoBar.cs, BaseRenkoBar.cs): a brick of fixed size; a classic bar opens at a
price and closes once the value moves a brick away. Prices are kept as Lean's decimals, read as floats."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import IntEnum
from typing import Any

from pylean.enums import _add_pascal_aliases, _LeanIntEnum
from pylean.naming import lean_api
from pylean.numbers import to_float


class RenkoType(_LeanIntEnum):
    CLASSIC = 0
    WICKED = 1


class BarDirection(_LeanIntEnum):
    RISING = 0
    NO_DELTA = 1
    FALLING = 2


for _enum in (RenkoType, BarDirection):
    _add_pascal_aliases(_enum)
del IntEnum


@lean_api
class RenkoBar:
    def __init__(self, symbol: Any = None, time: datetime | None = None, brick_size: Any = 0, open: Any = 0,
                 volume: Any = 0) -> None:
        self.type = RenkoType.CLASSIC
        self.symbol = symbol
        self.time = self.end_time = time
        self._brick, self._open = Decimal(brick_size), Decimal(open)
        self._close = self._high = self._low = self._open
        self._volume = Decimal(volume)
        self.is_closed = False

    brick_size = property(lambda self: to_float(self._brick))
    open = property(lambda self: to_float(self._open))
    high = property(lambda self: to_float(self._high))
    low = property(lambda self: to_float(self._low))
    close = value = price = property(lambda self: to_float(self._close))
    volume = property(lambda self: to_float(self._volume))
    start = property(lambda self: self.time)

    @property
    def direction(self) -> BarDirection:
        if self._open < self._close:
            return BarDirection.RISING
        return BarDirection.FALLING if self._open > self._close else BarDirection.NO_DELTA

    @property
    def spread(self) -> float:
        return to_float(abs(self._close - self._open))

    def update(self, time: datetime, value: Decimal, volume: Decimal) -> bool:
        """Move the close toward `value`, capped one brick from the open; closed once a brick is reached."""
        if self.is_closed:
            return True
        self.end_time = time
        low_close, high_close = self._open - self._brick, self._open + self._brick
        self._close = min(high_close, max(low_close, value))
        self._volume += volume
        if value <= low_close or value >= high_close:
            self.is_closed = True
        self._high = max(self._high, self._close)
        self._low = min(self._low, self._close)
        return self.is_closed

    def clone(self) -> "RenkoBar":
        other = RenkoBar(self.symbol, self.time, self._brick, self._open, self._volume)
        other._close, other._high, other._low = self._close, self._high, self._low
        other.end_time, other.is_closed = self.end_time, self.is_closed
        return other

    def __repr__(self) -> str:
        return f"{self.symbol}: O: {self.open} H: {self.high} L: {self.low} C: {self.close} ({self.time} -> {self.end_time})"
