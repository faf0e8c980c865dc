"""Indicators Lean's regression algorithms construct by name, beyond the core families (Indicators/Delay.cs,
Stochastic.cs, FunctionalIndicator.cs)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from pylean.indicators.averages import Sum, _name_and_period
from pylean.indicators.base import BarIndicator, IndicatorDataPoint, WindowIndicator, bar_field
from pylean.indicators.numbers import HUNDRED, ZERO
from pylean.indicators.statistics import LaggedWindowIndicator, Maximum, Minimum
from pylean.indicators.window import RollingWindow
from pylean.naming import lean_api


@lean_api
class Delay(LaggedWindowIndicator):
    """The input seen `period` samples ago; until then the oldest input in the window."""

    __slots__ = ()

    def __init__(self, name: Any, period: int | None = None) -> None:
        name, period = _name_and_period(name, period, "DELAY({})")
        WindowIndicator.__init__(self, name, period)

    def _compute_window(self, window: RollingWindow[IndicatorDataPoint], data: IndicatorDataPoint) -> Decimal:
        if not self.is_ready:
            return window[window.count - 1]._value
        return window.most_recently_removed._value


@lean_api
class FunctionalIndicator(BarIndicator):
    """An indicator of bars whose value and readiness are functions (FunctionalIndicator<IBaseDataBar>)."""

    __slots__ = ("_compute_func", "_is_ready_func")

    def __init__(self, name: str, compute: Callable[[Any], Decimal], is_ready: Callable[[Any], bool]) -> None:
        BarIndicator.__init__(self, name)
        self._compute_func, self._is_ready_func = compute, is_ready

    @property
    def is_ready(self) -> bool:
        return bool(self._is_ready_func(self))

    def _compute(self, bar: Any) -> Decimal:
        return self._compute_func(bar)


@lean_api
class Stochastic(BarIndicator):
    """Fast %K = (close - lowest low) / (highest high - lowest low) over `period` bars (x100); %K its `k_period`
    mean, %D the `d_period` mean of %K. The value is the fast stochastic."""

    __slots__ = ("_maximum", "_minimum", "_sum_fast_k", "_sum_slow_k", "fast_stoch", "stoch_k", "stoch_d",
                 "warm_up_period")

    def __init__(self, *args: Any) -> None:
        if isinstance(args[0], str):
            name, (period, k_period, d_period) = args[0], (int(a) for a in args[1:4])
        else:
            period, k_period, d_period = (int(a) for a in args[:3])
            name = f"STO({period},{k_period},{d_period})"
        BarIndicator.__init__(self, name)
        self._maximum = Maximum(name + "_Max", period)
        self._minimum = Minimum(name + "_Min", period)
        self._sum_fast_k = Sum(name + "_SumFastK", k_period)
        self._sum_slow_k = Sum(name + "_SumD", d_period)
        k, d = Decimal(k_period), Decimal(d_period)
        self.fast_stoch = FunctionalIndicator(name + "_FastStoch", self._fast,
                                              lambda _: self._maximum.is_ready)
        self.stoch_k = FunctionalIndicator(name + "_StochK", lambda bar: self._slow_k(bar, k),
                                           lambda _: self._sum_fast_k.is_ready)
        self.stoch_d = FunctionalIndicator(name + "_StochD", lambda _: self._slow_d(d),
                                           lambda _: self._sum_slow_k.is_ready)
        self.warm_up_period = period + k_period + d_period - 2

    @property
    def is_ready(self) -> bool:
        return self.fast_stoch.is_ready and self.stoch_k.is_ready and self.stoch_d.is_ready

    def _compute(self, bar: Any) -> Decimal:
        self._maximum.update(bar.end_time, bar_field(bar, "high"))
        self._minimum.update(bar.end_time, bar_field(bar, "low"))
        self.fast_stoch._update(bar)
        self.stoch_k._update(bar)
        self.stoch_d._update(bar)
        return self.fast_stoch.current._value

    def _fast(self, bar: Any) -> Decimal:
        fast = ZERO
        if self._maximum.is_ready:
            low = self._minimum.current._value
            denominator = self._maximum.current._value - low
            if denominator == 0:
                return ZERO
            fast = (bar_field(bar, "close") - low) / denominator
            self._sum_fast_k.update(bar.end_time, fast)
        return fast * HUNDRED

    def _slow_k(self, bar: Any, k: Decimal) -> Decimal:
        slow = ZERO
        if self._sum_fast_k.is_ready:
            slow = self._sum_fast_k.current._value / k
            self._sum_slow_k.update(bar.end_time, slow)
        return slow * HUNDRED

    def _slow_d(self, d: Decimal) -> Decimal:
        return self._sum_slow_k.current._value / d * HUNDRED if self._sum_slow_k.is_ready else ZERO

    def reset(self) -> None:
        for part in (self.fast_stoch, self.stoch_k, self.stoch_d, self._maximum, self._minimum, self._sum_fast_k,
                     self._sum_slow_k):
            part.reset()
        BarIndicator.reset(self)
