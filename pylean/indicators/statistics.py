"""Window statistics (Indicators/Variance.cs, StandardDeviation.cs, Maximum.cs, Minimum.cs, RateOfChange.cs)."""
from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from pylean.indicators.averages import _name_and_period
from pylean.indicators.base import IndicatorDataPoint, WindowIndicator
from pylean.indicators.numbers import ZERO, double_to_decimal, to_double
from pylean.indicators.window import RollingWindow
from pylean.naming import lean_api


@lean_api
class Variance(WindowIndicator):
    """Population variance from rolling sums (Lean drops the oldest value after using it)."""

    __slots__ = ("_rolling_sum", "_rolling_sum_of_squares")

    def __init__(self, name: Any, period: int | None = None) -> None:
        name, period = _name_and_period(name, period, self._default_name())
        WindowIndicator.__init__(self, name, period)
        self._rolling_sum = ZERO
        self._rolling_sum_of_squares = ZERO

    @staticmethod
    def _default_name() -> str:
        return "VAR({})"

    def _compute_window(self, window: RollingWindow[IndicatorDataPoint], data: IndicatorDataPoint) -> Decimal:
        value = data._value
        self._rolling_sum += value
        self._rolling_sum_of_squares += value * value
        if self._samples < 2:
            return ZERO
        period = window._size
        n = min(period, self._samples)
        mean1 = self._rolling_sum / n
        mean2 = self._rolling_sum_of_squares / n
        if n == period:
            removed = window[period - 1]._value
            self._rolling_sum -= removed
            self._rolling_sum_of_squares -= removed * removed
        return max(ZERO, mean2 - mean1 * mean1)

    def reset(self) -> None:
        self._rolling_sum = ZERO
        self._rolling_sum_of_squares = ZERO
        WindowIndicator.reset(self)


@lean_api
class StandardDeviation(Variance):
    """Population standard deviation: (decimal)Math.Sqrt((double)variance)."""

    __slots__ = ()

    @staticmethod
    def _default_name() -> str:
        return "STD({})"

    def _compute_window(self, window: RollingWindow[IndicatorDataPoint], data: IndicatorDataPoint) -> Decimal:
        variance = Variance._compute_window(self, window, data)
        return double_to_decimal(math.sqrt(to_double(variance))) if variance else ZERO


@lean_api
class Maximum(WindowIndicator):
    """Highest value of the window and how many periods ago it was seen."""

    __slots__ = ("periods_since_maximum",)

    def __init__(self, name: Any, period: int | None = None) -> None:
        name, period = _name_and_period(name, period, "MAX({})")
        WindowIndicator.__init__(self, name, period)
        self.periods_since_maximum = 0

    @property
    def is_ready(self) -> bool:
        return self._samples >= self.period

    def _compute_window(self, window: RollingWindow[IndicatorDataPoint], data: IndicatorDataPoint) -> Decimal:
        value = data._value
        if self._samples == 1 or value >= self.window[0]._value:
            self.periods_since_maximum = 0
            return value
        if self.periods_since_maximum >= window._size - 1:
            # rescan newest-first; ties keep the most recent (a stable descending sort)
            best_index, best = 0, None
            for index, point in enumerate(window):
                if best is None or point._value > best:
                    best_index, best = index, point._value
            self.periods_since_maximum = best_index
            return best  # type: ignore[return-value]
        self.periods_since_maximum += 1
        return self.window[0]._value

    def reset(self) -> None:
        self.periods_since_maximum = 0
        WindowIndicator.reset(self)


@lean_api
class Minimum(WindowIndicator):
    """Lowest value of the window and how many periods ago it was seen."""

    __slots__ = ("periods_since_minimum",)

    def __init__(self, name: Any, period: int | None = None) -> None:
        name, period = _name_and_period(name, period, "MIN({})")
        WindowIndicator.__init__(self, name, period)
        self.periods_since_minimum = 0

    @property
    def is_ready(self) -> bool:
        return self._samples >= self.period

    def _compute_window(self, window: RollingWindow[IndicatorDataPoint], data: IndicatorDataPoint) -> Decimal:
        value = data._value
        if self._samples == 1 or value <= self.window[0]._value:
            self.periods_since_minimum = 0
            return value
        if self.periods_since_minimum >= window._size - 1:
            best_index, best = 0, None
            for index, point in enumerate(window):
                if best is None or point._value < best:
                    best_index, best = index, point._value
            self.periods_since_minimum = best_index
            return best  # type: ignore[return-value]
        self.periods_since_minimum += 1
        return self.window[0]._value

    def reset(self) -> None:
        self.periods_since_minimum = 0
        WindowIndicator.reset(self)


class LaggedWindowIndicator(WindowIndicator):
    """A window indicator that reads the input `period` samples ago: ready after period + 1 samples."""

    __slots__ = ()

    @property
    def is_ready(self) -> bool:
        return self._samples > self.period

    @property
    def warm_up_period(self) -> int:
        return self.period + 1


@lean_api
class RateOfChange(LaggedWindowIndicator):
    """(value - value `period` samples ago) / that value; ready after period + 1 samples."""

    __slots__ = ()

    def __init__(self, name: Any, period: int | None = None) -> None:
        name, period = _name_and_period(name, period, "ROC({})")
        WindowIndicator.__init__(self, name, period)

    def _compute_window(self, window: RollingWindow[IndicatorDataPoint], data: IndicatorDataPoint) -> Decimal:
        denominator = window[window.count - 1] if window._samples <= window._size else window._removed
        if denominator._value == 0:
            return ZERO
        return (data._value - denominator._value) / denominator._value
