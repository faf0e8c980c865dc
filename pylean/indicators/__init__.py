"""Lean's indicators (Indicators/, Common/Indicators/) as plain Python objects computing in Decimal."""
from pylean.indicators.averages import (ExponentialMovingAverage, MovingAverageType, SimpleMovingAverage, Sum,
                                        WilderMovingAverage)
from pylean.indicators.bars import (AverageTrueRange, IntradayVwap, TrueRange,
                                    VolumeWeightedAveragePriceIndicator)
from pylean.indicators.base import (BarIndicator, Indicator, IndicatorBase, IndicatorDataPoint, IndicatorResult,
                                    IndicatorStatus, TradeBarIndicator, WindowIndicator)
from pylean.indicators.basic import ConstantIndicator, Identity, WindowIdentity
from pylean.indicators.composite import CompositeIndicator, IndicatorExtensions, ResetCompositeIndicator
from pylean.indicators.field import Field
from pylean.indicators.oscillators import BollingerBands, MovingAverageConvergenceDivergence, RelativeStrengthIndex
from pylean.indicators.statistics import Maximum, Minimum, RateOfChange, StandardDeviation, Variance
from pylean.indicators.window import Event, RollingWindow, WindowBase

__all__ = [
    "AverageTrueRange", "BarIndicator", "BollingerBands", "CompositeIndicator", "ConstantIndicator", "Event",
    "ExponentialMovingAverage", "Field", "Identity", "Indicator", "IndicatorBase", "IndicatorDataPoint",
    "IndicatorExtensions", "IndicatorResult", "IndicatorStatus", "IntradayVwap", "Maximum", "Minimum",
    "MovingAverageConvergenceDivergence", "MovingAverageType", "RateOfChange", "RelativeStrengthIndex",
    "ResetCompositeIndicator", "RollingWindow", "SimpleMovingAverage", "StandardDeviation", "Sum", "TradeBarIndicator",
    "TrueRange", "Variance", "VolumeWeightedAveragePriceIndicator", "WilderMovingAverage", "WindowBase",
    "WindowIdentity", "WindowIndicator",
]
from pylean.indicators.lean_extra import Delay, FunctionalIndicator, Stochastic  # noqa: E402
__all__ += ["Delay", "FunctionalIndicator", "Stochastic"]
