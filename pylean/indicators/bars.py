"""Indicators of bars (Indicators/TrueRange.cs, AverageTrueRange.cs, VolumeWeightedAveragePriceIndicator.cs,
IntradayVwap.cs)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pylean.data.market_data import TradeBar
from pylean.indicators.averages import MovingAverageType, as_indicator
from pylean.indicators.base import (ANY_DATA, BarIndicator, IndicatorBase, IndicatorDataPoint, IndicatorStatus,
                                    TradeBarIndicator, bar_field, data_value)
from pylean.indicators.basic import Identity
from pylean.indicators.composite import IndicatorExtensions
from pylean.indicators.numbers import ZERO, dec
from pylean.naming import lean_api

_FOUR, _THREE = Decimal(4), Decimal(3)


@lean_api
class TrueRange(BarIndicator):
    """max(high - low, |previous close - high|, |previous close - low|); high - low for the first bar."""

    __slots__ = ("_previous_bar",)
    warm_up_period = 2

    def __init__(self, name: str = "TR") -> None:
        BarIndicator.__init__(self, name)
        self._previous_bar: Any = None

    @property
    def is_ready(self) -> bool:
        return self._samples > 1

    def _compute(self, bar: Any) -> Decimal:
        high, low = bar_field(bar, "high"), bar_field(bar, "low")
        greatest = high - low
        if self._samples <= 1:
            self._previous_bar = bar
            return greatest
        previous_close = bar_field(self._previous_bar, "close")
        greatest = max(greatest, abs(previous_close - high), abs(previous_close - low))
        self._previous_bar = bar
        return greatest


@lean_api
class AverageTrueRange(BarIndicator):
    """The true range smoothed by a moving average (Wilder's by default here; the `atr` helper uses Simple)."""

    __slots__ = ("true_range", "_smoother", "warm_up_period")

    def __init__(self, *args: Any) -> None:
        if isinstance(args[0], str):
            name, args = args[0], args[1:]
        else:
            name = f"ATR({args[0]})"
        period = int(args[0])
        kind = MovingAverageType(int(args[1])) if len(args) > 1 else MovingAverageType.WILDERS
        BarIndicator.__init__(self, name)
        self.warm_up_period = period
        self.true_range = TrueRange(name)
        self._smoother = IndicatorExtensions.of(as_indicator(kind, f"{name}_{kind}", period), self.true_range, False)

    @property
    def is_ready(self) -> bool:
        return self._smoother.is_ready

    def _compute(self, bar: Any) -> Decimal:
        self.true_range._update(bar)
        return self._smoother.window[0]._value

    def reset(self) -> None:
        self._smoother.reset()
        self.true_range.reset()
        BarIndicator.reset(self)


@lean_api
class VolumeWeightedAveragePriceIndicator(TradeBarIndicator):
    """Rolling VWAP of (open + high + low + close) / 4 weighted by volume over `period` bars."""

    __slots__ = ("_period", "_price", "_volume", "_vwap")

    def __init__(self, name: Any, period: int | None = None) -> None:
        if period is None:
            name, period = f"VWAP({name})", int(name)
        TradeBarIndicator.__init__(self, name)
        self._period = int(period)
        self._price = Identity("Price")
        self._volume = Identity("Volume")
        self._vwap = IndicatorExtensions.weighted_by(self._price, self._volume, self._period)

    @property
    def warm_up_period(self) -> int:
        return self._period

    @property
    def is_ready(self) -> bool:
        return self._vwap.is_ready

    def _compute(self, bar: TradeBar) -> Decimal:
        average = (dec(bar.open) + dec(bar.high) + dec(bar.low) + dec(bar.close)) / _FOUR
        self._price._update(IndicatorDataPoint(bar.end_time, average))
        self._volume._update(IndicatorDataPoint(bar.end_time, dec(bar.volume)))
        return self._vwap.window[0]._value

    def reset(self) -> None:
        self._price.reset()
        self._volume.reset()
        self._vwap.reset()
        TradeBarIndicator.reset(self)


@lean_api
class IntradayVwap(IndicatorBase):
    """VWAP of (high + low + close) / 3 since the start of the day; fill-forward bars are invalid input."""

    __slots__ = ("_last_date", "_sum_of_volume", "_sum_of_price_times_volume")
    INPUT = ANY_DATA

    def __init__(self, name: str = "VWAP") -> None:
        IndicatorBase.__init__(self, name)
        self._last_date: date | None = None
        self._sum_of_volume = ZERO
        self._sum_of_price_times_volume = ZERO

    @property
    def is_ready(self) -> bool:
        return self._sum_of_volume > 0

    def _validate_and_compute(self, data: Any) -> tuple[Decimal, IndicatorStatus]:
        if not isinstance(data, TradeBar) or data.is_fill_forward:
            return ZERO, IndicatorStatus.INVALID_INPUT
        volume = dec(data.volume)
        average = (dec(data.high) + dec(data.low) + dec(data.close)) / _THREE
        day = data.end_time.date()  # type: ignore[union-attr]
        if self._last_date != day:
            self._sum_of_volume = ZERO
            self._sum_of_price_times_volume = ZERO
            self._last_date = day
        self._sum_of_volume += volume
        self._sum_of_price_times_volume += average * volume
        if self._sum_of_volume == 0:
            return data_value(data), IndicatorStatus.SUCCESS
        return self._sum_of_price_times_volume / self._sum_of_volume, IndicatorStatus.SUCCESS

    def reset(self) -> None:
        self._last_date = None
        self._sum_of_volume = ZERO
        self._sum_of_price_times_volume = ZERO
        IndicatorBase.reset(self)
