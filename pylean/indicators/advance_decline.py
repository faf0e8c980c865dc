"""Market breadth indicators over a set of symbols (Indicators/AdvanceDeclineIndicator.cs,
AdvanceDeclineRatio.cs, AdvanceDeclineVolumeRatio.cs, ArmsIndex.cs).

Each symbol's bar of the current period is compared with its bar of the previous period; a value is given
once every symbol has a bar in the current period and a previous period exists."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Callable, Iterable

from pylean.indicators.base import IndicatorStatus, TradeBarIndicator, bar_field
from pylean.indicators.composite import IndicatorExtensions
from pylean.indicators.numbers import ZERO, dec
from pylean.naming import lean_api


def _sid(symbol: Any) -> Any:
    return getattr(symbol, "id", symbol)


class AdvanceDeclineIndicator(TradeBarIndicator):
    __slots__ = ("_previous_period", "_current_period", "_sub_value", "_main_value", "_current_period_time")
    warm_up_period = 2

    def __init__(self, name: str, sub_value: Callable[[list[Any]], Decimal],
                 main_value: Callable[[Decimal, Decimal], Decimal]) -> None:
        TradeBarIndicator.__init__(self, name)
        self._previous_period: dict[Any, Any] = {}
        self._current_period: dict[Any, Any] = {}
        self._sub_value = sub_value
        self._main_value = main_value
        self._current_period_time: datetime | None = None

    def add(self, asset: Any) -> None:
        self._current_period.setdefault(_sid(asset), None)

    add_stock = add

    def remove(self, asset: Any) -> None:
        self._current_period.pop(_sid(asset), None)

    remove_stock = remove

    @property
    def is_ready(self) -> bool:
        return bool(self._previous_period)

    def _validate_and_compute(self, bar: Any) -> tuple[Decimal, IndicatorStatus]:
        self._enqueue(bar)
        if not self._previous_period or any(value is None for value in self._current_period.values()):
            return ZERO, IndicatorStatus.VALUE_NOT_READY
        return self._compute(bar), IndicatorStatus.SUCCESS

    def _compute(self, bar: Any) -> Decimal:
        advancing, declining = [], []
        for sid, current in self._current_period.items():
            previous = self._previous_period.get(sid)
            if previous is None:
                continue
            close, previous_close = bar_field(current, "close"), bar_field(previous, "close")
            if close < previous_close:
                declining.append(current)
            elif close > previous_close:
                advancing.append(current)
        return self._main_value(self._sub_value(advancing), self._sub_value(declining))

    def _enqueue(self, bar: Any) -> None:
        period_time = self._current_period_time
        sid = _sid(bar.symbol)
        if period_time is not None and bar.end_time == period_time:
            # Lean compares the end time with the period's start here: a late bar replaces the previous one
            self._previous_period[sid] = bar
            return
        if period_time is not None and bar.time > period_time:
            self._previous_period = dict(self._current_period)
            for key in self._current_period:
                self._current_period[key] = None
            self._current_period_time = period_time = bar.time
        if sid in self._current_period and (period_time is None or bar.time == period_time):
            self._current_period[sid] = bar
            if period_time is None:
                self._current_period_time = bar.time

    def reset(self) -> None:
        self._previous_period.clear()
        for key in self._current_period:
            self._current_period[key] = None
        self._current_period_time = None
        TradeBarIndicator.reset(self)


def _ratio(advance: Decimal, decline: Decimal) -> Decimal:
    return advance if decline == 0 else advance / decline


def _count(bars: Iterable[Any]) -> Decimal:
    return Decimal(sum(1 for _ in bars))


def _volume(bars: Iterable[Any]) -> Decimal:
    return sum((dec(bar.volume) for bar in bars), ZERO)


@lean_api
class AdvanceDeclineRatio(AdvanceDeclineIndicator):
    """Advancing over declining symbols."""

    __slots__ = ()

    def __init__(self, name: str = "A/D Ratio") -> None:
        AdvanceDeclineIndicator.__init__(self, name, _count, _ratio)


@lean_api
class AdvanceDeclineVolumeRatio(AdvanceDeclineIndicator):
    """Advancing over declining symbols' volume."""

    __slots__ = ()

    def __init__(self, name: str = "A/D Volume Rate") -> None:
        AdvanceDeclineIndicator.__init__(self, name, _volume, _ratio)


@lean_api
class ArmsIndex(TradeBarIndicator):
    """TRIN: the advance/decline ratio over the advance/decline volume ratio."""

    __slots__ = ("ad_ratio", "adv_ratio", "_arms")

    def __init__(self, name: str = "TRIN") -> None:
        TradeBarIndicator.__init__(self, name)
        self.ad_ratio = AdvanceDeclineRatio(name + "_A/D Ratio")
        self.adv_ratio = AdvanceDeclineVolumeRatio(name + "_A/D Volume Ratio")
        self._arms = IndicatorExtensions.over(self.ad_ratio, self.adv_ratio, name)

    ADRatio = property(lambda self: self.ad_ratio)
    ADVRatio = property(lambda self: self.adv_ratio)

    @property
    def is_ready(self) -> bool:
        return self.ad_ratio.is_ready and self.adv_ratio.is_ready

    @property
    def warm_up_period(self) -> int:
        return max(self.ad_ratio.warm_up_period, self.adv_ratio.warm_up_period)

    def _compute(self, bar: Any) -> Decimal:
        self.ad_ratio.update(bar)
        self.adv_ratio.update(bar)
        if self.adv_ratio.current._value == 0:
            return ZERO
        return self._arms.current._value

    def add(self, asset: Any) -> None:
        self.ad_ratio.add(asset)
        self.adv_ratio.add(asset)

    add_stock = add

    def remove(self, asset: Any) -> None:
        self.ad_ratio.remove(asset)
        self.adv_ratio.remove(asset)

    remove_stock = remove

    def reset(self) -> None:
        self.ad_ratio.reset()
        self.adv_ratio.reset()
        self._arms.reset()
        TradeBarIndicator.reset(self)
