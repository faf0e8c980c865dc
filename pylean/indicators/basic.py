"""Identity, WindowIdentity and ConstantIndicator (Indicators/Identity.cs, WindowIdentity.cs, ConstantIndicator.cs)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from pylean.indicators.base import (ANY_DATA, MIN_TIME, Indicator, IndicatorBase, IndicatorDataPoint,
                                    WindowIndicator)
from pylean.indicators.numbers import dec
from pylean.indicators.window import RollingWindow
from pylean.naming import lean_api


@lean_api
class Identity(Indicator):
    """Passes its input through; ready after one sample."""

    __slots__ = ()

    def __init__(self, name: str = "") -> None:
        Indicator.__init__(self, name)

    @property
    def is_ready(self) -> bool:
        return self._samples > 0

    warm_up_period = 1

    def _compute(self, data: IndicatorDataPoint) -> Decimal:
        return data._value


@lean_api
class WindowIdentity(WindowIndicator):
    """The last input, ready once `period` inputs were seen."""

    __slots__ = ()

    def __init__(self, name: Any, period: int | None = None) -> None:
        if period is None:
            name, period = f"WIN-ID{name}", int(name)
        WindowIndicator.__init__(self, name, period)

    @property
    def is_ready(self) -> bool:
        return self._samples >= self.period

    def _compute_window(self, window: RollingWindow[IndicatorDataPoint], data: IndicatorDataPoint) -> Decimal:
        return data._value


@lean_api
class ConstantIndicator(IndicatorBase):
    """Always `value`; composites treat it as always updated."""

    __slots__ = ("_constant",)
    INPUT = ANY_DATA

    def __class_getitem__(cls, data_type: Any) -> type:
        """ConstantIndicator[IndicatorDataPoint]: Lean's generic ConstantIndicator<T>; the type changes nothing."""
        return cls

    def __init__(self, name: str, value: Any) -> None:
        IndicatorBase.__init__(self, name)
        self._constant = dec(value)
        self.window.add(IndicatorDataPoint(MIN_TIME, self._constant))

    @property
    def is_ready(self) -> bool:
        return True

    def _compute(self, data: Any) -> Decimal:
        return self._constant

    def reset(self) -> None:
        IndicatorBase.reset(self)
        self.window.add(IndicatorDataPoint(MIN_TIME, self._constant))
