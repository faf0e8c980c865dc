"""Bar-range indicators (Indicators/MassIndex.cs, WilderSwingIndex.cs, WilderAccumulativeSwingIndex.cs).

Lean types them TradeBarIndicator; here they read any OHLC bar (a RenkoBar is a TradeBar in Lean)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from pylean.indicators.averages import ExponentialMovingAverage, Sum
from pylean.indicators.base import BarIndicator, IndicatorDataPoint, bar_field
from pylean.indicators.composite import IndicatorExtensions
from pylean.indicators.numbers import ZERO, dec
from pylean.naming import lean_api

_HALF, _QUARTER, _FIFTY = Decimal("0.5"), Decimal("0.25"), Decimal(50)


def safe_division(numerator: Decimal, denominator: Decimal) -> Decimal:
    """Extensions.SafeDivision: 0 instead of a division by zero."""
    return numerator / denominator if denominator else ZERO


@lean_api
class MassIndex(BarIndicator):
    """The sum over `sum_period` bars of EMA(high - low) / EMA(EMA(high - low)); `sum_period` until ready."""

    __slots__ = ("_ema1", "_ema2", "_sum", "warm_up_period")

    def __init__(self, *args: Any) -> None:
        name = args[0] if args and isinstance(args[0], str) else None
        numbers = [int(a) for a in (args[1:] if name is not None else args)]
        ema_period, sum_period = (numbers + [9, 25][len(numbers):])[:2]
        BarIndicator.__init__(self, name or f"MASS({ema_period},{sum_period})")
        self._ema1 = ExponentialMovingAverage(ema_period)
        self._ema2 = IndicatorExtensions.ema(self._ema1, ema_period)
        self._sum = Sum(sum_period)
        self.warm_up_period = 2 * (ema_period - 1) + sum_period

    @property
    def is_ready(self) -> bool:
        return self._sum.is_ready

    def _compute(self, bar: Any) -> Decimal:
        self._ema1.update(IndicatorDataPoint(bar.end_time, bar_field(bar, "high") - bar_field(bar, "low")))
        if self._ema2.is_ready:
            ratio = safe_division(self._ema1.current._value, self._ema2.current._value)
            self._sum.update(IndicatorDataPoint(bar.end_time, ratio))
        if not self._sum.is_ready:
            return Decimal(self._sum.period)
        return self._sum.current._value

    def reset(self) -> None:
        BarIndicator.reset(self)
        self._ema1.reset()
        self._ema2.reset()
        self._sum.reset()


@lean_api
class WilderSwingIndex(BarIndicator):
    """Wilder's swing index of the last two bars against the limit move T."""

    __slots__ = ("_limit", "_current_input", "_previous_input_bar")
    warm_up_period = 2

    def __init__(self, *args: Any) -> None:
        name, limit = (args[0], args[1]) if isinstance(args[0], str) else ("SI", args[0])
        BarIndicator.__init__(self, name)
        self._limit = abs(dec(limit))
        self._current_input: Any = None
        self._previous_input_bar: Any = None

    @property
    def is_ready(self) -> bool:
        return self._samples > 1

    def _compute(self, bar: Any) -> Decimal:
        if not self.is_ready:
            self._current_input = bar
            return ZERO
        self._previous_input_bar, self._current_input = self._current_input, bar
        o, h, low, c = (bar_field(bar, f) for f in ("open", "high", "low", "close"))
        previous = self._previous_input_bar
        po, pc = bar_field(previous, "open"), bar_field(previous, "close")
        n = (c - pc) + _HALF * (c - o) + _QUARTER * (pc - po)
        r = self._r_value(h, low, pc, po)
        k = max(abs(h - pc), abs(low - pc))
        if r == 0 or self._limit == 0:
            return ZERO
        return _FIFTY * (n / r) * (k / self._limit)

    @staticmethod
    def _r_value(h: Decimal, low: Decimal, pc: Decimal, po: Decimal) -> Decimal:
        candidates = [abs(h - pc), abs(low - pc), abs(h - low)]
        largest = candidates.index(max(candidates))  # the first of equal maxima, as Array.IndexOf
        if largest == 0:
            return abs(h - pc) - abs(_HALF * (low - pc)) + abs(_QUARTER * (pc - po))
        if largest == 1:
            return abs(low - pc) - abs(_HALF * (h - pc)) + abs(_QUARTER * (pc - po))
        return abs(h - low) + abs(_QUARTER * (pc - po))

    def reset(self) -> None:
        BarIndicator.reset(self)
        self._current_input = self._previous_input_bar = None


@lean_api
class WilderAccumulativeSwingIndex(BarIndicator):
    """The running total of Wilder's swing index."""

    __slots__ = ("_si",)
    warm_up_period = 2

    def __init__(self, *args: Any) -> None:
        name, limit = (args[0], args[1]) if isinstance(args[0], str) else ("ASI", args[0])
        BarIndicator.__init__(self, name)
        self._si = WilderSwingIndex(limit)

    @property
    def is_ready(self) -> bool:
        return self._samples > 1

    def _compute(self, bar: Any) -> Decimal:
        if self._si.update(bar):
            swing = self._si.current._value
            # is_ready counts this sample already: the total continues from the second output on
            return self.current._value + swing if self.is_ready else swing
        return ZERO

    def reset(self) -> None:
        self._si.reset()
        BarIndicator.reset(self)
