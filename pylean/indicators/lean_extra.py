"""Indicators Lean's regression algorithms construct by name, beyond the core families (Indicators/Delay.cs)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from pylean.indicators.averages import _name_and_period
from pylean.indicators.base import IndicatorDataPoint, WindowIndicator
from pylean.indicators.window import RollingWindow
from pylean.naming import lean_api


@lean_api
class Delay(WindowIndicator):
    """The input seen `period` samples ago; until then the oldest input in the window."""

    __slots__ = ()

    def __init__(self, name: Any, period: int | None = None) -> None:
        name, period = _name_and_period(name, period, "DELAY({})")
        WindowIndicator.__init__(self, name, period)

    @property
    def is_ready(self) -> bool:
        return self._samples > self.period

    @property
    def warm_up_period(self) -> int:
        return 1 + self.period

    def _compute_window(self, window: RollingWindow[IndicatorDataPoint], data: IndicatorDataPoint) -> Decimal:
        if not self.is_ready:
            return window[window.count - 1]._value
        return window.most_recently_removed._value
