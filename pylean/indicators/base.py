"""IndicatorDataPoint, IndicatorBase and the small base indicators (Indicators/IndicatorBase.cs, Indicator.cs,
WindowIndicator.cs, Identity.cs, ConstantIndicator.cs, Common/Indicators/IndicatorDataPoint.cs).

Values are kept as Decimal (Lean computes in System.Decimal); `.value` hands Python the double pythonnet would.
"""
from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import IntEnum
from typing import Any

from pylean.data.market_data import QuoteBar, TradeBar
from pylean.indicators.numbers import ZERO, dec, number_to_decimal, to_double
from pylean.indicators.window import Event, RollingWindow, WindowBase
from pylean.naming import alias_attributes, lean_api, lean_enum

MIN_TIME = datetime.min


@lean_api
class IndicatorDataPoint:
    """A (symbol, time, value) sample; `value` is the double Python sees, `_value` the exact decimal."""

    __slots__ = ("symbol", "time", "_value", "_float")

    def __init__(self, *args: Any) -> None:
        if len(args) == 3:
            symbol, time, value = args
        elif len(args) == 2:
            symbol, (time, value) = None, args
        else:
            symbol, time, value = None, MIN_TIME, ZERO
        self.symbol = symbol
        self.time = time
        self._value = value if type(value) is Decimal else dec(value)
        self._float: float | None = None

    @property
    def value(self) -> float:
        cached = self._float
        if cached is None:
            cached = self._float = to_double(self._value)
        return cached

    @value.setter
    def value(self, value: Any) -> None:
        self._value, self._float = dec(value), None

    price = value

    @property
    def end_time(self) -> datetime:
        return self.time

    @end_time.setter
    def end_time(self, value: datetime) -> None:
        self.time = value

    def __eq__(self, other: object) -> bool:
        if isinstance(other, IndicatorDataPoint):
            return other.time == self.time and other._value == self._value
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self._value, self.time))

    def __lt__(self, other: Any) -> bool:
        return self._value < _point_value(other)

    def __le__(self, other: Any) -> bool:
        return self._value <= _point_value(other)

    def __gt__(self, other: Any) -> bool:
        return self._value > _point_value(other)

    def __ge__(self, other: Any) -> bool:
        return self._value >= _point_value(other)

    def __float__(self) -> float:
        return self.value

    def __repr__(self) -> str:
        return f"{self.time:%Y%m%d %H:%M:%S} - {self.value}" if self.time != MIN_TIME else f"{self.value}"


_new_object = object.__new__


def new_point(symbol: Any, time: datetime, value: Decimal) -> IndicatorDataPoint:
    """IndicatorDataPoint(symbol, time, value) for a value already a Decimal, without the argument parsing."""
    point = _new_object(IndicatorDataPoint)
    point.symbol = symbol
    point.time = time
    point._value = value
    point._float = None
    return point


def _point_value(other: Any) -> Decimal:
    if isinstance(other, IndicatorDataPoint):
        return other._value
    return number_to_decimal(other)


alias_attributes(IndicatorDataPoint, ["symbol", "time"])


@lean_enum
class IndicatorStatus(IntEnum):
    SUCCESS = 0
    INVALID_INPUT = 1
    MATH_ERROR = 2
    VALUE_NOT_READY = 3


@lean_api
class IndicatorResult:
    __slots__ = ("value", "status")

    def __init__(self, value: Any, status: IndicatorStatus = IndicatorStatus.SUCCESS) -> None:
        self.value = value if type(value) is Decimal else dec(value)
        self.status = status


alias_attributes(IndicatorResult, ["value", "status"])

# what an indicator accepts (Lean's generic argument T)
POINT, BAR, TRADE_BAR, ANY_DATA = "point", "bar", "trade_bar", "data"


@lean_api
class IndicatorBase(WindowBase):
    """Update bookkeeping shared by every indicator: samples, forward-only inputs, `current`, `updated`."""

    __slots__ = ("_name", "_samples", "updated", "consolidators", "_previous_input", "__weakref__")
    INPUT = POINT

    def __init__(self, name: str | None = None) -> None:
        WindowBase.__init__(self, WindowBase.DEFAULT_WINDOW_SIZE)
        self._name = name
        self._samples = 0
        self.updated = Event()
        self.consolidators: set[Any] = set()
        self._previous_input: dict[Any, Any] = {}
        self.window.add(IndicatorDataPoint(MIN_TIME, ZERO))

    # ------------------------------------------------------------ Lean properties
    @property
    def name(self) -> str:
        return self._name if self._name is not None else type(self).__name__

    @name.setter
    def name(self, value: str) -> None:
        self._name = value

    @property
    def samples(self) -> int:
        return self._samples

    @property
    def is_ready(self) -> bool:
        raise NotImplementedError

    @property
    def current(self) -> IndicatorDataPoint:
        items = self._window._items  # never empty: a reset puts the initial point back
        return items[0] if items else self.window[0]

    @property
    def previous(self) -> IndicatorDataPoint:
        window = self.window
        return window[1] if window.count > 1 else IndicatorDataPoint(MIN_TIME, ZERO)

    # ------------------------------------------------------------ update
    def update(self, *args: Any) -> bool:
        """update(data) or update(time, value) (the latter only for indicators of plain values)."""
        if len(args) == 2:
            if self.INPUT != POINT:
                raise TypeError(f"{type(self).__name__} does not support the `Update(DateTime, decimal)` method. "
                                "Use one of the following methods instead: Update(TradeBar), Update(QuoteBar)")
            self._update(IndicatorDataPoint(args[0], args[1]))
        else:
            self._update(args[0])
        return self.is_ready

    def _update(self, data: Any) -> None:
        """Update without computing `is_ready` (composites can make that costly); `update` returns it."""
        symbol = data.symbol
        end_time = data.time if type(data) is IndicatorDataPoint else data.end_time
        previous_input = self._previous_input
        previous = previous_input.get(symbol)
        if previous is not None:
            if data is previous:
                return
            if end_time < (previous.time if type(previous) is IndicatorDataPoint else previous.end_time):
                return  # forward-only: Lean ignores (and logs once) inputs older than the last one
        self._samples += 1
        kind = self.INPUT
        if kind == POINT:
            if type(data) is not IndicatorDataPoint:
                data = new_point(symbol, end_time, data_value(data))
        elif kind == TRADE_BAR and not isinstance(data, TradeBar):
            raise TypeError(f"IndicatorBase.Update() 'input' expected to be of type TradeBar but is of type "
                            f"{type(data).__name__}")
        previous_input[symbol] = data
        value, status = self._validate_and_compute(data)
        if status == IndicatorStatus.SUCCESS:
            self._emit(symbol, end_time, value if type(value) is Decimal else dec(value))

    def _accept(self, data: IndicatorDataPoint) -> bool:
        """`_update`'s forward-only check and sample count for a point input; False when it is ignored."""
        symbol = data.symbol
        previous_input = self._previous_input
        previous = previous_input.get(symbol)
        if previous is not None:
            if data is previous:
                return False
            if data.time < (previous.time if type(previous) is IndicatorDataPoint else previous.end_time):
                return False
        self._samples += 1
        previous_input[symbol] = data
        return True

    def _emit(self, symbol: Any, time: datetime, value: Decimal) -> None:
        """The new output point: into the window (RollingWindow.add written out), then the `updated` event."""
        point = _new_object(IndicatorDataPoint)
        point.symbol = symbol
        point.time = time
        point._value = value
        point._float = None
        window = self._window
        items = window._items
        window._samples += 1
        if len(items) == window._size:
            if window._size:
                window._removed = items[-1]
                items.appendleft(point)
        else:
            items.appendleft(point)
        for handler in self.updated._handlers:  # Event.fire: the tuple is the snapshot
            handler(self, point)

    def _validate_and_compute(self, data: Any) -> tuple[Decimal, IndicatorStatus]:
        return self._compute(data), IndicatorStatus.SUCCESS

    def _compute(self, data: Any) -> Decimal:
        raise NotImplementedError

    def reset(self) -> None:
        self._samples = 0
        self._previous_input.clear()
        self.window.reset()
        self.window.add(IndicatorDataPoint(MIN_TIME, ZERO))

    # ------------------------------------------------------------ Python conveniences Lean's operators give
    def _other_value(self, other: Any) -> Any:
        if isinstance(other, IndicatorBase):
            return other.current._value
        if isinstance(other, (int, float, Decimal)):
            return number_to_decimal(other)
        return NotImplemented

    def __lt__(self, other: Any) -> Any:
        value = self._other_value(other)
        return value if value is NotImplemented else self.current._value < value

    def __le__(self, other: Any) -> Any:
        value = self._other_value(other)
        return value if value is NotImplemented else self.current._value <= value

    def __gt__(self, other: Any) -> Any:
        value = self._other_value(other)
        return value if value is NotImplemented else self.current._value > value

    def __ge__(self, other: Any) -> Any:
        value = self._other_value(other)
        return value if value is NotImplemented else self.current._value >= value

    def __eq__(self, other: object) -> Any:
        if isinstance(other, IndicatorBase):
            return self is other
        value = self._other_value(other)
        return value if value is NotImplemented else self.current._value == value

    def __ne__(self, other: object) -> Any:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = object.__hash__

    def __float__(self) -> float:
        return self.current.value

    def __str__(self) -> str:
        return _format_value(self.current._value)

    def __repr__(self) -> str:
        return f"{self.name} - {self}"

    def to_detailed_string(self) -> str:
        return f"{self.name} - {self}"


alias_attributes(IndicatorBase, ["updated", "consolidators"])


_FIVE_DECIMALS, _HUGE = Decimal("0.00001"), Decimal("1e20")


def _format_value(value: Decimal) -> str:
    """C# "#######0.0####": at least one and at most five decimals."""
    text = f"{value.quantize(_FIVE_DECIMALS, rounding=ROUND_HALF_UP):f}" if abs(value) < _HUGE else f"{value:f}"
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0") or "0"
    return f"{whole}.{frac}"


def data_value(data: Any) -> Decimal:
    """BaseData.Value as Lean's decimal: a QuoteBar's mid is recomputed from its sides (exact)."""
    if type(data) is TradeBar:
        return dec(data.close)
    if type(data) is IndicatorDataPoint:
        return data._value
    if type(data) is QuoteBar:
        return quote_close(data)
    value = getattr(data, "_value", None)
    return value if isinstance(value, Decimal) else dec(data.value)


def quote_close(bar: QuoteBar) -> Decimal:
    """QuoteBar.Close: the mid when both sides have a close, else the side present."""
    return quote_field(bar, "close")


def quote_field(bar: QuoteBar, field: str) -> Decimal:
    """A QuoteBar's OHLC field in decimals: the mid of the sides that are non-zero (QuoteBar.Open/High/...)."""
    bid = dec(getattr(bar.bid, field)) if bar.bid is not None else ZERO
    ask = dec(getattr(bar.ask, field)) if bar.ask is not None else ZERO
    if bid and ask:
        return (bid + ask) / 2
    return bid or ask


def bar_field(bar: Any, field: str) -> Decimal:
    """open/high/low/close of any bar as Lean's decimal."""
    if type(bar) is QuoteBar:
        return quote_field(bar, field)
    return dec(getattr(bar, field))


@lean_api
class Indicator(IndicatorBase):
    """An indicator of plain values (IndicatorBase<IndicatorDataPoint>)."""

    __slots__ = ()


@lean_api
class BarIndicator(IndicatorBase):
    """An indicator of OHLC bars (IndicatorBase<IBaseDataBar>)."""

    __slots__ = ()
    INPUT = BAR


@lean_api
class TradeBarIndicator(IndicatorBase):
    """An indicator of TradeBars (IndicatorBase<TradeBar>)."""

    __slots__ = ()
    INPUT = TRADE_BAR


@lean_api
class WindowIndicator(Indicator):
    """An indicator over the last `period` inputs (WindowIndicator<IndicatorDataPoint>)."""

    __slots__ = ("_inputs",)

    def __init__(self, name: str, period: int) -> None:
        if period < 1:
            raise ValueError("RollingWindow must have size of at least 1.")
        Indicator.__init__(self, name)
        self._inputs: RollingWindow[IndicatorDataPoint] = RollingWindow(period)

    @property
    def period(self) -> int:
        return self._inputs.size

    @property
    def warm_up_period(self) -> int:
        return self._inputs.size

    @property
    def is_ready(self) -> bool:
        return self._inputs.is_ready

    def _compute(self, data: IndicatorDataPoint) -> Decimal:
        self._inputs.add(data)
        return self._compute_window(self._inputs, data)

    def _compute_window(self, window: RollingWindow[IndicatorDataPoint], data: IndicatorDataPoint) -> Decimal:
        raise NotImplementedError

    def reset(self) -> None:
        Indicator.reset(self)
        self._inputs.reset()
