"""Sum and moving averages (Indicators/Sum.cs, SimpleMovingAverage.cs, ExponentialMovingAverage.cs,
WilderMovingAverage.cs, MovingAverageType.cs, MovingAverageTypeExtensions.cs)."""
from __future__ import annotations

from decimal import Decimal
from enum import IntEnum
from typing import Any

from collections import deque

from pylean.indicators.base import Indicator, IndicatorBase, IndicatorDataPoint, WindowIndicator, new_point
from pylean.indicators.numbers import ONE, ZERO, constant_div, constant_sub, dec
from pylean.indicators.window import RollingWindow
from pylean.naming import lean_api, lean_enum
from pylean.symbols import Symbol


def _name_and_period(first: Any, period: int | None, default: str) -> tuple[str, int]:
    """Lean's (period) / (name, period) constructor pairs."""
    if period is None:
        return default.format(int(first)), int(first)
    return str(first), int(period)


class _DeferredOutputs(RollingWindow):
    """A Sum's output window whose newest outputs may wait as (time, value) pairs: a moving average updates
    its Sum every input, and the Sum's points are rarely read. Every read of the window (its items, counts,
    removed item) builds the waiting points first, so what a reader sees is what eager adds would give."""

    __slots__ = ("_deque", "_waiting", "_pushed", "_samples_count", "_removed_item")

    def _flush(self) -> None:
        # RollingWindow.add of each waiting pair; only the last size + 1 pairs were kept, the earlier ones
        # would have left the window already (they still count as samples)
        waiting, items, size = self._waiting, self._deque, self._size
        self._samples_count += self._pushed
        self._pushed = 0
        while waiting:
            time, value = waiting.popleft()
            if len(items) == size:
                if size == 0:
                    continue
                self._removed_item = items[-1]
            items.appendleft(new_point(None, time, value))

    def push(self, time: Any, value: Decimal) -> None:
        self._waiting.append((time, value))
        self._pushed += 1

    @property  # type: ignore[override]
    def _items(self) -> deque[Any]:
        if self._waiting:
            self._flush()
        return self._deque

    @_items.setter
    def _items(self, items: deque[Any]) -> None:
        self._deque = items
        self._waiting: deque[tuple[Any, Decimal]] = deque(maxlen=(items.maxlen or 0) + 1)
        self._pushed = 0

    @property  # type: ignore[override]
    def _samples(self) -> int:
        if self._waiting:
            self._flush()
        return self._samples_count

    @_samples.setter
    def _samples(self, value: int) -> None:
        self._samples_count = value

    @property  # type: ignore[override]
    def _removed(self) -> Any:
        if self._waiting:
            self._flush()
        return self._removed_item

    @_removed.setter
    def _removed(self, value: Any) -> None:
        self._removed_item = value

    def reset(self) -> None:
        self._waiting.clear()
        self._pushed = 0
        RollingWindow.reset(self)


@lean_api
class Sum(WindowIndicator):
    """Rolling sum of the last `period` values."""

    __slots__ = ("_sum",)

    def __init__(self, name: Any, period: int | None = None) -> None:
        name, period = _name_and_period(name, period, "SUM({})")
        WindowIndicator.__init__(self, name, period)
        self._sum = ZERO
        outputs = _DeferredOutputs(self._window._size)
        for point in reversed(self._window._items):
            outputs.add(point)
        self._window = outputs

    def _compute_window(self, window: RollingWindow[IndicatorDataPoint], data: IndicatorDataPoint) -> Decimal:
        total = self._sum + data._value
        if window._samples > window._size:
            total = total - window._removed._value
        self._sum = total
        return total

    def _push(self, time: Any, value: Decimal) -> None:
        """`_update(IndicatorDataPoint(time, value))` in one call (a moving average's running sum)."""
        point = new_point(None, time, value)
        if not self._accept(point):
            return
        inputs = self._inputs
        inputs.add(point)
        total = self._sum + value
        if inputs._samples > inputs._size:
            total = total - inputs._removed._value
        self._sum = total
        self._emit(None, time, total)

    def reset(self) -> None:
        self._sum = ZERO
        WindowIndicator.reset(self)


@lean_api
class SimpleMovingAverage(WindowIndicator):
    """Mean of the last `period` values (a rolling Sum over the window's count).

    Until its Sum is handed out (`rolling_sum`) or takes an input the SMA does not, the Sum has seen exactly
    the SMA's inputs: its input bookkeeping (samples, last input, input window) would copy the SMA's, so
    the one-frame update keeps only the Sum's total and outputs, and `_materialize_sum` fills in the rest."""

    __slots__ = ("_rolling_sum", "_sum_follows")

    def __init__(self, name: Any, period: int | None = None) -> None:
        name, period = _name_and_period(name, period, "SMA({})")
        WindowIndicator.__init__(self, name, period)
        self._rolling_sum = Sum(name + "_Sum", period)
        self._sum_follows = True  # the Sum's input bookkeeping is the SMA's (not written to the Sum)

    @property
    def rolling_sum(self) -> Sum:
        if self._sum_follows:
            self._materialize_sum()
        return self._rolling_sum

    def _materialize_sum(self) -> None:
        """Give the Sum its own input bookkeeping, a copy of the SMA's; from now on both are kept apart."""
        self._sum_follows = False
        rolling_sum, inputs = self._rolling_sum, self._inputs
        items = inputs._items
        rolling_sum._samples = self._samples
        rolling_sum._previous_input.clear()
        if items:
            rolling_sum._previous_input[None] = items[0]
        window = rolling_sum._inputs
        window._items = deque(items, maxlen=items.maxlen)
        window._samples = inputs._samples
        window._removed = inputs._removed

    @property
    def is_ready(self) -> bool:
        if self._sum_follows:  # the Sum's input window is the SMA's
            return self._inputs._samples >= self._inputs._size
        return self._rolling_sum.is_ready

    def _compute_window(self, window: RollingWindow[IndicatorDataPoint], data: IndicatorDataPoint) -> Decimal:
        rolling_sum = self.rolling_sum
        if type(rolling_sum) is Sum:
            rolling_sum._push(data.time, data._value)
        else:
            rolling_sum._update(IndicatorDataPoint(data.time, data._value))
        return rolling_sum.window[0]._value / len(window._items)

    def _update(self, data: Any) -> None:
        # The common case (a point into a plain SMA) in one frame: what `IndicatorBase._update` -> `_compute`
        # -> `_compute_window` -> `Sum._update` do, with the forward-only checks, sample counts and
        # RollingWindow.add of both written out.
        if type(data) is not IndicatorDataPoint or type(self) is not SimpleMovingAverage:
            if self._sum_follows:
                self._materialize_sum()  # before the general path adds the input to the SMA's window
            WindowIndicator._update(self, data)
            return
        symbol, time = data.symbol, data.time
        previous_input = self._previous_input
        previous = previous_input.get(symbol)
        if previous is not None and (previous is data or time < (
                previous.time if type(previous) is IndicatorDataPoint else previous.end_time)):
            return
        rolling_sum = self._rolling_sum
        inputs = self._inputs
        items = inputs._items
        if self._sum_follows and items and time < items[0].time:
            # the Sum ignores an input older than its last one (another symbol's): its inputs part from the SMA's
            self._materialize_sum()
        self._samples += 1
        previous_input[symbol] = data
        inputs._samples += 1
        full = len(items) == inputs._size  # a window indicator's size is at least 1
        if full:
            removed = inputs._removed = items[-1]
        items.appendleft(data)
        value = data._value
        if self._sum_follows:
            # rolling_sum._update(IndicatorDataPoint(time, value)) for a Sum whose inputs are the SMA's: only its
            # total and its waiting outputs (nothing can have subscribed to its `updated`: it was not handed out)
            total = rolling_sum._sum + value
            if full:
                total = total - removed._value
            rolling_sum._sum = total
            outputs = rolling_sum._window
            outputs._waiting.append((time, total))
            outputs._pushed += 1
        else:
            sum_inputs = rolling_sum._previous_input
            previous = sum_inputs.get(None)
            if previous is None or time >= (
                    previous.time if type(previous) is IndicatorDataPoint else previous.end_time):
                # the Sum keeps the SMA's input point itself (its inputs are private: only their values and
                # times are read, and those are the same)
                rolling_sum._samples += 1
                sum_inputs[None] = data
                window = rolling_sum._inputs
                sum_items = window._items
                window._samples += 1
                if len(sum_items) == window._size:
                    window._removed = sum_items[-1]
                sum_items.appendleft(data)
                total = rolling_sum._sum + value
                if window._samples > window._size:
                    total = total - window._removed._value
                rolling_sum._sum = total
                if rolling_sum.updated._handlers:
                    rolling_sum._emit(None, time, total)
                else:  # its output point is built when something reads the Sum (_DeferredOutputs.push written out)
                    outputs = rolling_sum._window
                    outputs._waiting.append((time, total))
                    outputs._pushed += 1
            else:
                total = rolling_sum._window._items[0]._value
        self._emit(symbol, time, total / len(items))

    def reset(self) -> None:
        self._rolling_sum.reset()  # a Sum that follows the SMA's inputs still does after both are reset
        WindowIndicator.reset(self)


def smoothing_factor_default(period: int) -> Decimal:
    """2.0m / (1 + period), as .NET decimal division rounds it."""
    return constant_div(Decimal("2.0"), Decimal(1 + period))


@lean_api
class ExponentialMovingAverage(Indicator):
    """EMA seeded with the SMA of the first `period` values; 0 until then."""

    __slots__ = ("_k", "_one_minus_k", "_period", "_initial_sma")

    def __init__(self, *args: Any) -> None:
        if isinstance(args[0], (str, Symbol)):  # a Symbol names it as its string, as C#'s implicit conversion
            name, period = str(args[0]), int(args[1])
            k = dec(args[2]) if len(args) > 2 else smoothing_factor_default(period)
        else:
            period = int(args[0])
            if len(args) > 1:
                k = dec(args[1])
                name = f"EMA({period},{k})"
            else:
                k, name = smoothing_factor_default(period), f"EMA({period})"
        Indicator.__init__(self, name)
        self._period = period
        self._k = k
        self._one_minus_k = constant_sub(ONE, k)
        self._initial_sma = SimpleMovingAverage(period)

    smoothing_factor_default = staticmethod(smoothing_factor_default)

    @property
    def warm_up_period(self) -> int:
        return self._period

    @property
    def is_ready(self) -> bool:
        return self._samples >= self._period

    def _compute(self, data: IndicatorDataPoint) -> Decimal:
        samples, period = self._samples, self._period
        if samples <= period:
            self._initial_sma._update(data)
        if samples < period:
            return ZERO
        if samples == period:
            return self._initial_sma.window[0]._value
        return data._value * self._k + self._window._items[0]._value * self._one_minus_k

    def _update(self, data: Any) -> None:
        # a point into a plain EMA in one frame (IndicatorBase._update with `_compute`)
        if type(data) is not IndicatorDataPoint or type(self) is not ExponentialMovingAverage:
            Indicator._update(self, data)
            return
        symbol, time = data.symbol, data.time
        previous_input = self._previous_input
        previous = previous_input.get(symbol)  # `_accept` written out
        if previous is not None and (previous is data or time < (
                previous.time if type(previous) is IndicatorDataPoint else previous.end_time)):
            return
        self._samples += 1
        previous_input[symbol] = data
        if self._samples > self._period:
            value = data._value * self._k + self._window._items[0]._value * self._one_minus_k
        else:
            value = self._compute(data)
        self._emit(symbol, time, value)

    def reset(self) -> None:
        Indicator.reset(self)
        self._initial_sma.reset()


@lean_api
class WilderMovingAverage(Indicator):
    """Wilder's smoothing (k = 1/period); the running SMA until `period` samples."""

    __slots__ = ("_k", "_one_minus_k", "_period", "_sma")

    def __init__(self, name: Any, period: int | None = None) -> None:
        name, period = _name_and_period(name, period, "WWMA{}")
        Indicator.__init__(self, name)
        self._period = period
        self._k = constant_div(ONE, Decimal(period))
        self._one_minus_k = constant_sub(ONE, self._k)
        self._sma = SimpleMovingAverage(name + "_SMA", period)

    @property
    def warm_up_period(self) -> int:
        return self._period

    @property
    def is_ready(self) -> bool:
        return self._samples >= self._period

    def _compute(self, data: IndicatorDataPoint) -> Decimal:
        if self._samples < self._period:
            self._sma._update(data)
            return self._sma.window[0]._value
        return data._value * self._k + self.window[0]._value * self._one_minus_k

    def reset(self) -> None:
        self._sma.reset()
        Indicator.reset(self)


@lean_enum
class MovingAverageType(IntEnum):
    SIMPLE = 0
    EXPONENTIAL = 1
    WILDERS = 2
    LINEAR_WEIGHTED_MOVING_AVERAGE = 3
    DOUBLE_EXPONENTIAL = 4
    TRIPLE_EXPONENTIAL = 5
    TRIANGULAR = 6
    T3 = 7
    KAMA = 8
    HULL = 9
    ALMA = 10
    ZLEMA = 11
    MGD = 12

    def __str__(self) -> str:  # C# enum ToString (used in indicator names)
        return _ENUM_NAMES.get(self, self.name.title().replace("_", ""))


_ENUM_NAMES = {MovingAverageType.LINEAR_WEIGHTED_MOVING_AVERAGE: "LinearWeightedMovingAverage",
               MovingAverageType.DOUBLE_EXPONENTIAL: "DoubleExponential",
               MovingAverageType.TRIPLE_EXPONENTIAL: "TripleExponential", MovingAverageType.MGD: "MGD"}
type.__setattr__(MovingAverageType, "MGD", MovingAverageType.MGD)

_AVERAGES = {MovingAverageType.SIMPLE: SimpleMovingAverage, MovingAverageType.EXPONENTIAL: ExponentialMovingAverage,
             MovingAverageType.WILDERS: WilderMovingAverage}


def as_indicator(kind: Any, name: str, period: int) -> IndicatorBase:
    """MovingAverageTypeExtensions.AsIndicator(type, name, period) for the averages pylean implements."""
    cls = _AVERAGES.get(MovingAverageType(int(kind)))
    if cls is None:
        raise NotImplementedError(f"pylean does not implement the {MovingAverageType(int(kind))!s} moving average")
    return cls(name, period)
