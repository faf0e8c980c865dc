"""Composite indicators and IndicatorExtensions (Indicators/CompositeIndicator.cs, ResetCompositeIndicator.cs,
IndicatorExtensions.cs): indicators chained through their `updated` events."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Callable

from pylean.algorithm_clock import timed_if_user
from pylean.indicators.averages import ExponentialMovingAverage, SimpleMovingAverage, Sum, smoothing_factor_default
from pylean.indicators.base import IndicatorBase, IndicatorDataPoint, IndicatorResult, IndicatorStatus
from pylean.indicators.basic import ConstantIndicator, WindowIdentity
from pylean.indicators.numbers import ZERO, dec
from pylean.indicators.statistics import Maximum, Minimum
from pylean.naming import lean_api

Composer = Callable[[IndicatorBase, IndicatorBase], Any]
_new_object = object.__new__


@lean_api
class CompositeIndicator(IndicatorBase):
    """Recomputed by `composer(left, right)` whenever both sides updated (or one side is a constant)."""

    __slots__ = ("left", "right", "_composer", "_new_left", "_new_right")

    def __init__(self, *args: Any) -> None:
        # (name, left, right, composer) or (left, right, composer)
        name, (left, right, composer) = (args[0], args[1:4]) if len(args) == 4 else (None, args[:3])
        IndicatorBase.__init__(self, name)
        self.left, self.right = left, right
        self._composer = timed_if_user(composer)  # a project's composer is algorithm time, when a run records
        if name is None:
            self._name = f"COMPOSE({left.name},{right.name})"
        self._new_left: IndicatorDataPoint | None = None
        self._new_right: IndicatorDataPoint | None = None
        left.updated += self._on_left
        right.updated += self._on_right

    @property
    def is_ready(self) -> bool:
        return self.left.is_ready and self.right.is_ready

    def _on_left(self, sender: Any, updated: IndicatorDataPoint) -> None:
        self._new_left = updated
        if self._new_right is not None or isinstance(self.right, ConstantIndicator):
            self._compose_on(updated)
            self._new_left = self._new_right = None

    def _on_right(self, sender: Any, updated: IndicatorDataPoint) -> None:
        self._new_right = updated
        if self._new_left is not None or isinstance(self.left, ConstantIndicator):
            self._compose_on(updated)
            self._new_left = self._new_right = None

    def _compose_on(self, updated: IndicatorDataPoint) -> None:
        """`_update` with an input that is only a time, the newest of `updated` and both sides' (the composer reads
        both sides). For this class IndicatorBase._update, `_emit` and the event written out in one frame, without
        the generic input checks (a Bollinger Bands update runs nine of these); subclasses take `_update`."""
        left, right = self.left, self.right
        items = right._window._items
        time = (items[0] if items else right.window[0]).time
        items = left._window._items
        left_time = (items[0] if items else left.window[0]).time
        if left_time > time:
            time = left_time
        if updated.time > time:
            time = updated.time
        point = _new_object(IndicatorDataPoint)  # the input: new_point(None, time, ZERO)
        point.symbol = None
        point.time = time
        point._value = ZERO
        point._float = None
        if type(self) is not CompositeIndicator:
            self._update(point)
            return
        previous_input = self._previous_input
        previous = previous_input.get(None)
        if previous is not None and time < (
                previous.time if type(previous) is IndicatorDataPoint else previous.end_time):
            return  # forward-only, as `_update`
        self._samples += 1
        previous_input[None] = point
        result = self._composer(left, right)
        if type(result) is Decimal:
            value = result
        elif isinstance(result, IndicatorResult):
            if result.status != IndicatorStatus.SUCCESS:
                return
            value = dec(result.value)
        else:
            value = dec(result)
        point = _new_object(IndicatorDataPoint)  # _emit(None, time, value)
        point.symbol = None
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
        result = self._composer(self.left, self.right)
        if isinstance(result, IndicatorResult):
            return result.value, result.status
        return dec(result), IndicatorStatus.SUCCESS

    def reset(self) -> None:
        self.left.reset()
        self.right.reset()
        IndicatorBase.reset(self)


@lean_api
class ResetCompositeIndicator(CompositeIndicator):
    """A composite whose reset also runs an extra action."""

    __slots__ = ("_extra_reset",)

    def __init__(self, left: IndicatorBase, right: IndicatorBase, composer: Composer,
                 extra_reset: Callable[[], None], name: str | None = None) -> None:
        CompositeIndicator.__init__(self, name or f"RESET_COMPOSE({left.name},{right.name})", left, right, composer)
        self._extra_reset = extra_reset

    def reset(self) -> None:
        CompositeIndicator.reset(self)
        self._extra_reset()


def _newest(indicator: IndicatorBase) -> IndicatorDataPoint:
    """indicator.window[0] (never empty: a reset puts the initial point back), without the indexer."""
    items = indicator._window._items
    return items[0] if items else indicator.window[0]


def _over(left: IndicatorBase, right: IndicatorBase) -> IndicatorResult:
    denominator = _newest(right)._value
    if denominator == 0:
        return IndicatorResult(ZERO, IndicatorStatus.MATH_ERROR)
    return IndicatorResult(_newest(left)._value / denominator)


def _plus(left: IndicatorBase, right: IndicatorBase) -> Decimal:
    return _newest(left)._value + _newest(right)._value


def _minus(left: IndicatorBase, right: IndicatorBase) -> Decimal:
    return _newest(left)._value - _newest(right)._value


def _times(left: IndicatorBase, right: IndicatorBase) -> Decimal:
    return _newest(left)._value * _newest(right)._value


def _constant(value: Any) -> ConstantIndicator:
    value = dec(value)
    return ConstantIndicator(f"{value}", value)


def _compose(left: IndicatorBase, right: Any, name: str | None, composer: Composer) -> CompositeIndicator:
    if not isinstance(right, IndicatorBase):
        right = _constant(right)
    return CompositeIndicator(name, left, right, composer) if name else CompositeIndicator(left, right, composer)


@lean_api
class IndicatorExtensions:
    """Chaining helpers: `of` feeds one indicator from another; `over`/`plus`/... compose two."""

    @staticmethod
    def update(indicator: IndicatorBase, time: datetime, value: Any) -> bool:
        return indicator.update(time, value)

    @staticmethod
    def of(second: IndicatorBase, first: IndicatorBase, wait_for_first_to_ready: bool = True) -> IndicatorBase:
        def forward(sender: Any, consolidated: IndicatorDataPoint) -> None:
            if not wait_for_first_to_ready or first.is_ready:
                second._update(consolidated)

        first.updated += forward
        return second

    @staticmethod
    def over(left: IndicatorBase, right: Any, name: str | None = None) -> CompositeIndicator:
        return _compose(left, right, name, _over)

    @staticmethod
    def plus(left: IndicatorBase, right: Any, name: str | None = None) -> CompositeIndicator:
        return _compose(left, right, name, _plus)

    @staticmethod
    def minus(left: IndicatorBase, right: Any, name: str | None = None) -> CompositeIndicator:
        return _compose(left, right, name, _minus)

    @staticmethod
    def times(left: IndicatorBase, right: Any, name: str | None = None) -> CompositeIndicator:
        return _compose(left, right, name, _times)

    @staticmethod
    def weighted_by(value: IndicatorBase, weight: IndicatorBase, period: int) -> CompositeIndicator:
        x, y = WindowIdentity(period), WindowIdentity(period)
        numerator, denominator = Sum("Sum_xy", period), Sum("Sum_y", period)

        def on_value(sender: Any, consolidated: IndicatorDataPoint) -> None:
            x._update(consolidated)
            if x._samples == y._samples:
                numerator._update(IndicatorDataPoint(consolidated.time, consolidated._value * y.window[0]._value))

        def on_weight(sender: Any, consolidated: IndicatorDataPoint) -> None:
            y._update(consolidated)
            if x._samples == y._samples:
                numerator._update(IndicatorDataPoint(consolidated.time, consolidated._value * x.window[0]._value))
            denominator._update(consolidated)

        value.updated += on_value
        weight.updated += on_weight

        def reset_windows() -> None:
            x.reset()
            y.reset()

        return ResetCompositeIndicator(numerator, denominator, _over, reset_windows)

    @staticmethod
    def ema(left: IndicatorBase, period: int, smoothing_factor: Any = None,
            wait_for_first_to_ready: bool = True) -> ExponentialMovingAverage:
        k = dec(smoothing_factor) if smoothing_factor is not None else smoothing_factor_default(period)
        average = ExponentialMovingAverage(f"EMA{period}_Of_{left.name}", period, k)
        return IndicatorExtensions.of(average, left, wait_for_first_to_ready)  # type: ignore[return-value]

    @staticmethod
    def sma(left: IndicatorBase, period: int, wait_for_first_to_ready: bool = True) -> SimpleMovingAverage:
        average = SimpleMovingAverage(f"SMA{period}_Of_{left.name}", period)
        return IndicatorExtensions.of(average, left, wait_for_first_to_ready)  # type: ignore[return-value]

    @staticmethod
    def max(left: IndicatorBase, period: int, wait_for_first_to_ready: bool = True) -> Maximum:
        maximum = Maximum(f"MAX{period}_Of_{left.name}", period)
        return IndicatorExtensions.of(maximum, left, wait_for_first_to_ready)  # type: ignore[return-value]

    @staticmethod
    def min(left: IndicatorBase, period: int, wait_for_first_to_ready: bool = True) -> Minimum:
        minimum = Minimum(f"MIN{period}_Of_{left.name}", period)
        return IndicatorExtensions.of(minimum, left, wait_for_first_to_ready)  # type: ignore[return-value]

    EMA, SMA, MAX, MIN = ema, sma, max, min

