"""MACD, RSI and Bollinger Bands (Indicators/MovingAverageConvergenceDivergence.cs, RelativeStrengthIndex.cs,
BollingerBands.cs)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from pylean.indicators.averages import MovingAverageType, as_indicator
from pylean.indicators.base import Indicator, IndicatorDataPoint, IndicatorStatus, new_point
from pylean.indicators.basic import ConstantIndicator, Identity
from pylean.indicators.composite import IndicatorExtensions as X
from pylean.indicators.numbers import HUNDRED, ONE, ZERO, dec, round10_is_zero
from pylean.indicators.statistics import StandardDeviation
from pylean.naming import lean_api


@lean_api
class MovingAverageConvergenceDivergence(Indicator):
    """fast MA - slow MA; `signal` averages it once both are ready, `histogram` = macd - signal."""

    __slots__ = ("fast", "slow", "signal", "histogram", "warm_up_period")

    def __init__(self, *args: Any) -> None:
        if isinstance(args[0], str):
            name, args = args[0], args[1:]
        else:
            name = f"MACD({args[0]},{args[1]},{args[2]})"
        fast, slow, signal = int(args[0]), int(args[1]), int(args[2])
        kind = args[3] if len(args) > 3 else MovingAverageType.EXPONENTIAL
        if fast >= slow:
            raise ValueError("MovingAverageConvergenceDivergence: fastPeriod must be less than slowPeriod")
        Indicator.__init__(self, name)
        self.fast = as_indicator(kind, name + "_Fast", fast)
        self.slow = as_indicator(kind, name + "_Slow", slow)
        self.signal = as_indicator(kind, name + "_Signal", signal)
        self.histogram = Identity(name + "_Histogram")
        self.warm_up_period = slow + signal - 1

    @property
    def is_ready(self) -> bool:
        return self.signal.is_ready

    def _compute(self, data: IndicatorDataPoint) -> Decimal:
        fast, slow, signal = self.fast, self.slow, self.signal
        fast._update(data)
        fast_ready = fast.is_ready
        slow._update(data)
        macd = fast.window[0]._value - slow.window[0]._value
        if fast_ready and slow.is_ready:
            signal._update(IndicatorDataPoint(data.time, macd))
            if signal.is_ready:
                self.histogram._update(IndicatorDataPoint(data.time, macd - signal.window[0]._value))
        return macd

    def reset(self) -> None:
        for part in (self.fast, self.slow, self.signal, self.histogram):
            part.reset()
        Indicator.reset(self)


@lean_api
class RelativeStrengthIndex(Indicator):
    """100 - 100 / (1 + average gain / average loss), averages Wilder's by default."""

    __slots__ = ("_previous", "moving_average_type", "average_gain", "average_loss", "warm_up_period")

    def __init__(self, *args: Any) -> None:
        if isinstance(args[0], str):
            name, args = args[0], args[1:]
        else:
            name = f"RSI({args[0]})"
        period = int(args[0])
        kind = MovingAverageType(int(args[1])) if len(args) > 1 else MovingAverageType.WILDERS
        Indicator.__init__(self, name)
        self._previous: IndicatorDataPoint | None = None
        self.moving_average_type = kind
        self.average_gain = as_indicator(kind, name + "Up", period)
        self.average_loss = as_indicator(kind, name + "Down", period)
        self.warm_up_period = period + 1

    @property
    def is_ready(self) -> bool:
        return self.average_gain.is_ready and self.average_loss.is_ready

    def _compute(self, data: IndicatorDataPoint) -> Decimal:
        previous, value, time = self._previous, data._value, data.time
        if previous is not None and value >= previous._value:
            self.average_gain._update(new_point(None, time, value - previous._value))
            self.average_loss._update(new_point(None, time, ZERO))
        elif previous is not None and value < previous._value:
            self.average_gain._update(new_point(None, time, ZERO))
            self.average_loss._update(new_point(None, time, previous._value - value))
        self._previous = data
        average_loss = self.average_loss.window[0]._value
        average_gain = self.average_gain.window[0]._value
        average_loss = ZERO if average_loss < 0 else average_loss
        average_gain = ZERO if average_gain < 0 else average_gain
        if round10_is_zero(average_loss):
            return HUNDRED  # all up moves
        rs = average_gain / average_loss
        return HUNDRED - HUNDRED / (ONE + rs)

    def reset(self) -> None:
        self._previous = None
        self.average_gain.reset()
        self.average_loss.reset()
        Indicator.reset(self)


@lean_api
class BollingerBands(Indicator):
    """Middle band (SMA by default) +- k population standard deviations; `current` is the input price."""

    __slots__ = ("moving_average_type", "standard_deviation", "middle_band", "upper_band", "lower_band",
                 "band_width", "percent_b", "price", "warm_up_period")

    def __init__(self, *args: Any) -> None:
        if isinstance(args[0], str):
            name, args = args[0], args[1:]
            period, k = int(args[0]), dec(args[1])
        else:
            period, k = int(args[0]), dec(args[1])
            name = f"BB({period},{k})"
        kind = MovingAverageType(int(args[2])) if len(args) > 2 else MovingAverageType.SIMPLE
        Indicator.__init__(self, name)
        self.warm_up_period = period
        self.moving_average_type = kind
        # built in Lean's order: the composites update through events in subscription order
        self.standard_deviation = StandardDeviation(name + "_StandardDeviation", period)
        self.middle_band = as_indicator(kind, name + "_MiddleBand", period)
        self.lower_band = X.minus(self.middle_band, X.times(self.standard_deviation, k), name + "_LowerBand")
        self.upper_band = X.plus(self.middle_band, X.times(self.standard_deviation, k), name + "_UpperBand")
        upper_minus_lower = X.minus(self.upper_band, self.lower_band)
        self.band_width = X.times(X.over(upper_minus_lower, self.middle_band), ConstantIndicator("ct", 100),
                                  name + "_BandWidth")
        self.price = Identity(name + "_Close")
        self.percent_b = X.over(X.minus(self.price, self.lower_band), upper_minus_lower, name + "_%B")

    @property
    def is_ready(self) -> bool:
        return (self.middle_band.is_ready and self.upper_band.is_ready and self.lower_band.is_ready
                and self.band_width.is_ready and self.percent_b.is_ready)

    def _validate_and_compute(self, data: IndicatorDataPoint) -> tuple[Decimal, IndicatorStatus]:
        self.standard_deviation._update(data)
        self.middle_band._update(data)
        self.price._update(data)
        # a zero deviation leaves %B stale, so a ready BB does not emit then
        if self.standard_deviation.window[0]._value == 0 and self.is_ready:
            return data._value, IndicatorStatus.MATH_ERROR
        return data._value, IndicatorStatus.SUCCESS

    def reset(self) -> None:
        for part in (self.standard_deviation, self.middle_band, self.upper_band, self.lower_band, self.band_width,
                     self.percent_b):
            part.reset()
        Indicator.reset(self)
