"""RangeBar and VolumeRenkoBar (Common/Data/Market/RangeBar.cs, VolumeRenkoBar.cs): TradeBars whose prices
move by Lean's decimal rules. The decimals are kept beside the TradeBar's float fields, which are rewritten
after every change, so indicators and user code read ordinary bars."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pylean.data.market_data import TradeBar
from pylean.data.renko_bar import RenkoType
from pylean.naming import lean_api

ZERO = Decimal(0)


class _DecimalBar(TradeBar):
    __slots__ = ("_o", "_h", "_l", "_c", "_v")

    def _set(self, o: Decimal, h: Decimal, low: Decimal, c: Decimal, v: Decimal) -> None:
        self._o, self._h, self._l, self._c, self._v = o, h, low, c, v
        self._publish()

    def _publish(self) -> None:
        self.open, self.high, self.low, self.close = float(self._o), float(self._h), float(self._l), float(self._c)
        self.volume = float(self._v)


@lean_api
class RangeBar(_DecimalBar):
    """A bar whose high and low are at most `range_size` apart; it closes when a value would widen it more."""

    __slots__ = ("_range", "is_closed")

    def __init__(self, symbol: Any = None, end_time: datetime | None = None, range_size: Any = ZERO,
                 open: Any = ZERO, high: Any = None, low: Any = None, close: Any = None, volume: Any = ZERO) -> None:
        TradeBar.__init__(self, end_time, symbol, end_time=end_time)
        self._range = Decimal(range_size)
        self.is_closed = False
        o = Decimal(open)
        self._set(o, o if high is None else Decimal(high), o if low is None else Decimal(low),
                  o if close is None else Decimal(close), Decimal(volume))

    range_size = property(lambda self: float(self._range))

    def update(self, time: datetime, value: Decimal, volume: Decimal) -> None:
        self.end_time = time
        if value < self._l:
            if self._h - value > self._range:
                self.is_closed = True
                self._l = self._c = self._h - self._range
                self._publish()
                return
            self._l = value
        elif value > self._h:
            if value - self._l > self._range:
                self.is_closed = True
                self._h = self._c = self._l + self._range
                self._publish()
                return
            self._h = value
        # Lean leaves the close at the open until the bar closes
        self._v += volume
        self._publish()

    def clone(self) -> "RangeBar":
        other = RangeBar(self.symbol, self.end_time, self._range, self._o, self._h, self._l, self._c, self._v)
        other.time, other.is_closed = self.time, self.is_closed
        return other


@lean_api
class VolumeRenkoBar(_DecimalBar):
    """A bar that closes once `brick_size` of volume has traded through it."""

    __slots__ = ("_brick", "type")

    def __init__(self, symbol: Any = None, start: datetime | None = None, end_time: datetime | None = None,
                 brick_size: Any = ZERO, open: Any = ZERO, high: Any = ZERO, low: Any = ZERO, close: Any = ZERO,
                 volume: Any = ZERO) -> None:
        TradeBar.__init__(self, start, symbol, end_time=end_time)
        self.type = RenkoType.CLASSIC
        self._brick = Decimal(brick_size)
        self._set(Decimal(open), Decimal(high), Decimal(low), Decimal(close), Decimal(volume))

    brick_size = property(lambda self: float(self._brick))
    start = property(lambda self: self.time)

    @property
    def is_closed(self) -> bool:
        return self._v >= self._brick

    def update(self, time: datetime, high: Decimal, low: Decimal, close: Decimal, volume: Decimal) -> Decimal:
        """Add volume up to the brick; returns the volume beyond it (negative while the brick is not full)."""
        if self.is_closed:
            return ZERO
        self.end_time = time
        excess = self._v + volume - self._brick
        self._v = self._brick if excess > 0 else self._v + volume
        self._c = close
        if high > self._h:
            self._h = high
        if low < self._l:
            self._l = low
        self._publish()
        return excess

    def rollover(self) -> "VolumeRenkoBar":
        """The next brick: opens at this close, starting where this one ended."""
        c = self._c
        return VolumeRenkoBar(self.symbol, self.end_time, self.end_time, self._brick, c, c, c, c, ZERO)
