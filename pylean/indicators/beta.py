"""Indicators of two symbols' bars (Indicators/MultiSymbolIndicator.cs, DualSymbolIndicator.cs, Beta.cs).

Inputs of the symbols are paired when their end times, in UTC and truncated to the resolution seen in the
first input, agree; each pair is pushed into the symbols' windows and the value recomputed."""
from __future__ import annotations

import math
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from pylean.enums import Resolution
from pylean.indicators.base import BarIndicator, bar_field
from pylean.indicators.numbers import ZERO, double_to_decimal, to_double
from pylean.indicators.window import RollingWindow
from pylean.naming import lean_api
from pylean.symbols import Symbol
from pylean.timeutil import local_to_utc


def _resolution_of(span: timedelta) -> Resolution:
    """MultiSymbolIndicator.SetResolution: Daily beyond an hour, else the span's nearest lower resolution."""
    if span.total_seconds() / 3600 > 1 or span >= timedelta(days=1):
        return Resolution.DAILY
    if span >= timedelta(hours=1):
        return Resolution.HOUR
    if span >= timedelta(minutes=1):
        return Resolution.MINUTE
    return Resolution.SECOND if span >= timedelta(seconds=1) else Resolution.TICK


def _truncate(time: datetime, resolution: Resolution | None) -> datetime:
    if resolution == Resolution.DAILY:
        return time.replace(hour=0, minute=0, second=0, microsecond=0)
    if resolution == Resolution.HOUR:
        return time.replace(minute=0, second=0, microsecond=0)
    if resolution == Resolution.MINUTE:
        return time.replace(second=0, microsecond=0)
    return time


class _SymbolData:
    __slots__ = ("key", "data_points", "current_input", "current_end_utc")

    def __init__(self, key: Any, period: int) -> None:
        self.key = key
        self.data_points: RollingWindow[Any] = RollingWindow(period)
        self.current_input: Any = None
        self.current_end_utc: datetime | None = None

    def matches(self, symbol: Any) -> bool:
        key = self.key
        if isinstance(key, Symbol) or not isinstance(key, str):
            return bool(key == symbol)
        return str(getattr(symbol, "value", symbol)).upper() == key.upper()

    def set_input(self, data: Any, resolution: Resolution | None) -> None:
        self.current_input = data
        self.current_end_utc = None if data is None else _truncate(local_to_utc(data.end_time), resolution)

    def reset(self) -> None:
        self.data_points.reset()
        self.set_input(None, None)


class MultiSymbolIndicator(BarIndicator):
    __slots__ = ("_symbol_data", "_indicator_value", "_resolution", "warm_up_period")

    def __init__(self, name: str, symbols: list[Any], period: int) -> None:
        BarIndicator.__init__(self, name)
        self._symbol_data = [_SymbolData(symbol, period) for symbol in symbols]
        self._indicator_value = ZERO
        self._resolution: Resolution | None = None
        self.warm_up_period = period  # one exchange time zone for US equities

    @property
    def is_ready(self) -> bool:
        return all(data.data_points.is_ready for data in self._symbol_data)

    def _compute(self, bar: Any) -> Decimal:
        data = next((d for d in self._symbol_data if d.matches(bar.symbol)), None)
        if data is None:
            names = ", ".join(str(d.key) for d in self._symbol_data)
            raise ValueError(f"Input symbol {bar.symbol} does not correspond to any of the symbols this indicator "
                             f"works on ({names})")
        if self._samples == 1:
            self._resolution = _resolution_of(bar.end_time - bar.time)
            data.set_input(bar, self._resolution)
            return ZERO
        data.set_input(bar, self._resolution)
        if len({d.current_end_utc for d in self._symbol_data}) == 1:
            for each in self._symbol_data:
                each.data_points.add(each.current_input)
            self._indicator_value = self._compute_indicator()
        return self._indicator_value

    def _compute_indicator(self) -> Decimal:
        raise NotImplementedError

    def reset(self) -> None:
        self._indicator_value = ZERO
        for data in self._symbol_data:
            data.reset()
        BarIndicator.reset(self)


def _sample_variance(values: list[float]) -> float:
    if len(values) < 2:
        return math.nan
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values) / (len(values) - 1)


def _sample_covariance(a: list[float], b: list[float]) -> float:
    if len(a) < 2 or len(a) != len(b):
        return math.nan
    mean_a, mean_b = sum(a) / len(a), sum(b) / len(b)
    return sum((x - mean_a) * (y - mean_b) for x, y in zip(a, b)) / (len(a) - 1)


@lean_api
class Beta(MultiSymbolIndicator):
    """Covariance of the target's returns with the reference's over their variance, on `period` returns."""

    __slots__ = ("_target_returns", "_reference_returns")

    def __init__(self, *args: Any) -> None:
        if isinstance(args[0], str) and len(args) == 4:
            if isinstance(args[1], int):
                name, period, target, reference = args            # (name, period, target, reference)
            else:
                name, target, reference, period = args            # (name, target, reference, period)
        else:
            target, reference, period = args
            name = f"B({period})"
        period = int(period)
        if period < 2:
            raise ValueError(f"Period parameter for Beta indicator must be greater than 2 but was {period}.")
        MultiSymbolIndicator.__init__(self, name, [target, reference], 2)
        self._target_returns: RollingWindow[float] = RollingWindow(period)
        self._reference_returns: RollingWindow[float] = RollingWindow(period)
        self.warm_up_period += period - 2 + 1

    @property
    def is_ready(self) -> bool:
        return self._target_returns.is_ready and self._reference_returns.is_ready

    @staticmethod
    def _new_return(window: RollingWindow[Any]) -> float:
        last, before = bar_field(window[0], "close"), bar_field(window[1], "close")
        return to_double((last / before if before else ZERO) - 1)

    def _compute_indicator(self) -> Decimal:
        target, reference = self._symbol_data
        if target.data_points.is_ready:
            self._target_returns.add(self._new_return(target.data_points))
        if reference.data_points.is_ready:
            self._reference_returns.add(self._new_return(reference.data_points))
        variance = _sample_variance(list(self._reference_returns))
        covariance = _sample_covariance(list(self._target_returns), list(self._reference_returns))
        variance = variance if variance and not math.isnan(variance) else 1.0
        covariance = covariance if covariance and not math.isnan(covariance) else 0.0
        return double_to_decimal(covariance / variance)

    def reset(self) -> None:
        self._target_returns.reset()
        self._reference_returns.reset()
        MultiSymbolIndicator.reset(self)
