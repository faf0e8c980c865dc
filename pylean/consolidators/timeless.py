"""Consolidators whose bars close on price or volume, not time (Common/Data/Consolidators/RenkoConsolidator.cs,
RangeConsolidator.cs, VolumeRenkoConsolidator.cs, BaseTimelessConsolidator.cs): nothing happens on a scan."""
from __future__ import annotations

from datetime import datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from typing import Any, Callable

from pylean.consolidators.base import TRADE, ConsolidatorBase
from pylean.data.market_data import TradeBar
from pylean.data.range_bars import RangeBar, VolumeRenkoBar
from pylean.data.renko_bar import RenkoBar, RenkoType
from pylean.indicators.numbers import dec
from pylean.naming import lean_api

ZERO = Decimal(0)
_DEFAULT_TICK = Decimal("0.01")


def closest_multiple(price: Decimal, bar_size: Decimal) -> Decimal:
    """RenkoConsolidator.GetClosestMultiple: the multiple of bar_size nearest the price (half to even)."""
    if bar_size <= 0:
        raise ValueError("BarSize must be strictly greater than zero")
    floor = (price / bar_size).to_integral_value(ROUND_FLOOR)
    modulus = price - bar_size * floor
    return bar_size * (floor + (modulus / bar_size).to_integral_value(ROUND_HALF_EVEN))


def _wicked_bar(symbol: Any, start: datetime, end: datetime, size: Decimal, o: Decimal, h: Decimal,
                low: Decimal, c: Decimal) -> RenkoBar:
    """Lean's RenkoBar(symbol, start, endTime, brickSize, open, high, low, close): a finished wicked brick."""
    bar = RenkoBar(symbol, start, size, o, 0)
    bar.type = RenkoType.WICKED
    bar.end_time = end
    bar._high, bar._low, bar._close = h, low, c
    return bar


class _Timeless(ConsolidatorBase):
    """The common surface: any input, nothing on a scan."""

    __slots__ = ()

    @property
    def input_kind(self) -> str | None:
        return None

    def scan(self, current_local_time: datetime) -> None:
        pass


@lean_api
class RenkoConsolidator(_Timeless):
    """Wicked renko bricks of `bar_size`: a brick records the wick the price made before it moved a brick on."""

    __slots__ = ("_size", "_first", "_last_wicko", "_current", "_open_on", "_close_on", "_open", "_high", "_low",
                 "_close")

    def __init__(self, bar_size: Any) -> None:
        _Timeless.__init__(self)
        self._size = dec(bar_size)
        if self._size <= 0:
            raise ValueError("Renko consolidator BarSize must be strictly greater than zero")
        self._reset_state()

    def _reset_state(self) -> None:
        self._first = True
        self._last_wicko: RenkoBar | None = None
        self._current: RenkoBar | None = None
        self._open_on = self._close_on = datetime.min
        self._open = self._high = self._low = self._close = ZERO

    type = property(lambda self: RenkoType.WICKED)
    output_type = property(lambda self: RenkoBar)

    @property
    def working_data(self) -> Any:
        return self._current.clone() if self._current is not None else None

    def update(self, data: Any) -> None:
        rate = dec(data.price)
        if self._first:
            self._first = False
            rate = closest_multiple(rate, self._size)
            self._open_on = self._close_on = data.time
            self._open = self._high = self._low = self._close = rate
            return
        self._close_on = data.time
        if rate > self._high:
            self._high = rate
        if rate < self._low:
            self._low = rate
        self._close = rate
        last = self._last_wicko
        if rate > self._open:
            if last is not None and last.direction != _RISING:
                limit = last._open + self._size
                if rate <= limit:
                    return
                # the reversal brick runs from the last brick's open, its wick down to the low
                self._emit(data.symbol, last._open, limit, self._low, limit)
                self._open = self._low = limit
            while self._close > self._open + self._size:
                limit = self._open + self._size
                self._emit(data.symbol, self._open, limit, self._low, limit)
                self._open = self._low = limit
        elif rate < self._open:
            if last is not None and last.direction != _FALLING:
                limit = last._open - self._size
                if rate >= limit:
                    return
                self._emit(data.symbol, last._open, self._high, limit, limit)
                self._open = self._high = limit
            while self._close < self._open - self._size:
                limit = self._open - self._size
                self._emit(data.symbol, self._open, self._high, limit, limit)
                self._open = self._high = limit

    def _emit(self, symbol: Any, o: Decimal, h: Decimal, low: Decimal, c: Decimal) -> None:
        bar = _wicked_bar(symbol, self._open_on, self._close_on, self._size, o, h, low, c)
        self._last_wicko = bar
        self._on_data_consolidated(bar)
        self._current = bar  # after the handlers: inside them working_data is still the previous brick
        self._open_on = self._close_on

    def reset(self) -> None:
        ConsolidatorBase.reset(self)
        self._reset_state()


WickedRenkoConsolidator = lean_api(type("WickedRenkoConsolidator", (RenkoConsolidator,), {"__slots__": ()}))


def _selectors(selector: Any, volume_selector: Any) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    def default_volume(data: Any) -> Any:
        return data.volume if isinstance(data, TradeBar) else getattr(data, "quantity", 0)
    return selector or (lambda data: data.value), volume_selector or default_volume


@lean_api
class RangeConsolidator(_Timeless):
    """Range bars of `range` minimum price variations: a bar closes when its high and low would be further apart."""

    __slots__ = ("range", "range_size", "_tick", "_first", "_selector", "_volume_selector", "_current",
                 "_properties")

    def __init__(self, range: int, selector: Any = None, volume_selector: Any = None) -> None:
        _Timeless.__init__(self)
        self.range = int(range)
        self._selector, self._volume_selector = _selectors(selector, volume_selector)
        self._properties: Any = None
        self._reset_state()

    def _reset_state(self) -> None:
        self._first = True
        self._tick = ZERO
        self.range_size = ZERO
        self._current: RangeBar | None = None

    output_type = property(lambda self: RangeBar)

    @property
    def working_data(self) -> Any:
        return self._current.clone() if self._current is not None else None

    def _bind_symbol_properties(self, database: Any) -> None:
        """The run's symbol-properties database (set when the consolidator is registered)."""
        self._properties = database

    def update(self, data: Any) -> None:
        value, volume = dec(self._selector(data)), dec(self._volume_selector(data))
        if self._current is not None:
            self._update_bar(data.time, value, volume)
        if self._current is None:
            self._create_bar(data, value, volume)

    def _update_bar(self, time: datetime, value: Decimal, volume: Decimal) -> None:
        bar = self._current
        assert bar is not None
        rising = value > bar._h
        bar.update(time, value, volume)
        while bar.is_closed:
            self._on_data_consolidated(bar)
            # the next bar opens one tick beyond the side that broke; intermediate bars carry no volume
            opening = bar._h + self._tick if rising else bar._l - self._tick
            bar = self._current = RangeBar(bar.symbol, bar.end_time, self.range_size, opening)
            bar.update(time, value, ZERO if abs(bar._l - value) > self.range_size else volume)

    def _create_bar(self, data: Any, value: Decimal, volume: Decimal) -> None:
        opening = value
        if self._first:
            self._tick = self._minimum_price_variation(data.symbol)
            self.range_size = self._tick * self.range
            opening = (opening / self.range_size).to_integral_value(ROUND_CEILING) * self.range_size
            self._first = False
        self._current = RangeBar(data.symbol, data.time, self.range_size, opening, volume=volume)

    def _minimum_price_variation(self, symbol: Any) -> Decimal:
        if self._properties is None:
            return _DEFAULT_TICK
        sid = symbol.id
        kind = str(getattr(sid.security_type, "name", sid.security_type)).lower()
        return self._properties.get(sid.market, symbol.value, kind).minimum_price_variation

    def reset(self) -> None:
        ConsolidatorBase.reset(self)
        self._reset_state()


@lean_api
class ClassicRangeConsolidator(RangeConsolidator):
    """Range bars without the intermediate bars of a jump: the value that closes a bar opens the next one."""

    __slots__ = ()

    def _update_bar(self, time: datetime, value: Decimal, volume: Decimal) -> None:
        bar = self._current
        assert bar is not None
        bar.update(time, value, volume)
        if bar.is_closed:
            self._on_data_consolidated(bar)
            self._current = None


@lean_api
class VolumeRenkoConsolidator(_Timeless):
    """Bars of `bar_size` traded volume from TradeBars (or trade ticks); a big bar fills several bricks."""

    __slots__ = ("_size", "_current")

    def __init__(self, bar_size: Any) -> None:
        _Timeless.__init__(self)
        self._size = dec(bar_size)
        self._current: VolumeRenkoBar | None = None

    @property
    def input_kind(self) -> str | None:
        return TRADE

    output_type = property(lambda self: VolumeRenkoBar)

    @property
    def working_data(self) -> Any:
        return self._current

    def update(self, data: Any) -> None:
        close = dec(data.price)
        if type(data) is TradeBar:
            volume, o, h, low = dec(data.volume), dec(data.open), dec(data.high), dec(data.low)
        elif type(data).__name__ == "Tick":
            if int(getattr(data, "tick_type", 0)) != 0:
                return  # quotes carry no traded volume
            volume, o, h, low = dec(data.quantity), close, close, close
        else:
            raise ValueError(f"{type(self).__name__} must be used with TradeBar or Tick data.")
        volume = self.adjust_volume(volume, close)
        if self._current is None:
            self._current = VolumeRenkoBar(data.symbol, data.time, data.end_time, self._size, o, h, low, close, ZERO)
        left = self._current.update(data.end_time, h, low, close, volume)
        while left >= 0:
            self._on_data_consolidated(self._current)
            self._current = self._current.rollover()
            left = self._current.update(data.end_time, h, low, close, left)

    def adjust_volume(self, volume: Decimal, price: Decimal) -> Decimal:
        return volume

    def reset(self) -> None:
        ConsolidatorBase.reset(self)
        self._current = None


_RISING, _FALLING = 0, 2  # BarDirection.RISING / FALLING
