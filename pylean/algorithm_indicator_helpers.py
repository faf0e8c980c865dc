"""QCAlgorithm indicator helpers added for Lean's regression algorithms: multi-symbol breadth indicators
(Algorithm/QCAlgorithm.Indicators.cs TRIN, ADR, ADVR) and ARIMA."""
from __future__ import annotations

from typing import Any

from pylean.enums import Resolution
from pylean.indicators.advance_decline import AdvanceDeclineRatio, AdvanceDeclineVolumeRatio, ArmsIndex
from pylean.indicators.arima import AutoRegressiveIntegratedMovingAverage
from pylean.algorithm_state import symbol_for
from pylean.algorithm_indicators import initialize_indicator, subscription_for


def _register_for_symbols(algorithm: Any, indicator: Any, symbols: list[Any], resolution: Any, selector: Any) -> Any:
    """Lean's InitializeIndicator for several symbols: each symbol's data updates the one indicator."""
    symbols = [symbol_for(algorithm, s) for s in symbols]
    for symbol in symbols:
        indicator.add(symbol)
    for symbol in symbols:
        algorithm.register_indicator(symbol, indicator, resolution, selector)
    if getattr(algorithm.settings, "automatic_indicator_warm_up", False):
        for symbol in symbols:
            algorithm.warm_up_indicator(symbol, indicator, resolution, selector)
    return indicator


def _name(algorithm: Any, kind: str, symbols: list[Any], resolution: Any) -> str:
    if resolution is None:
        resolution = subscription_for(algorithm, symbol_for(algorithm, symbols[0])).resolution
    return algorithm.create_indicator_name(None, kind, Resolution(resolution))


class IndicatorHelpersMixin:
    """Helpers that create an indicator, register it for the symbols' data and return it (no private
    members: a user's attribute of any name must not hide them)."""

    __slots__ = ()

    def trin(self, symbols: Any, resolution: Any = None, selector: Any = None) -> ArmsIndex:
        symbols = list(symbols)
        indicator = ArmsIndex(_name(self, "TRIN", symbols, resolution))
        return _register_for_symbols(self, indicator, symbols, resolution, selector)

    def adr(self, symbols: Any, resolution: Any = None, selector: Any = None) -> AdvanceDeclineRatio:
        symbols = list(symbols)
        indicator = AdvanceDeclineRatio(_name(self, "A/D Ratio", symbols, resolution))
        return _register_for_symbols(self, indicator, symbols, resolution, selector)

    def advr(self, symbols: Any, resolution: Any = None, selector: Any = None) -> AdvanceDeclineVolumeRatio:
        symbols = list(symbols)
        indicator = AdvanceDeclineVolumeRatio(_name(self, "A/D Volume Rate", symbols, resolution))
        return _register_for_symbols(self, indicator, symbols, resolution, selector)

    def arima(self, symbol: Any, ar_order: int, diff_order: int, ma_order: int, period: int, *args: Any,
              **kwargs: Any) -> AutoRegressiveIntegratedMovingAverage:
        """ARIMA(symbol, p, d, q, period[, intercept], resolution=None, selector=None)."""
        rest = list(args)
        intercept = kwargs.get("intercept", True)
        if rest and isinstance(rest[0], bool):
            intercept = rest.pop(0)
        resolution = kwargs.get("resolution", rest.pop(0) if rest else None)
        selector = kwargs.get("selector", rest.pop(0) if rest else None)
        kind = f"ARIMA({ar_order},{diff_order},{ma_order},{period})"
        name = self.create_indicator_name(symbol_for(self, symbol), kind,
                                          resolution if isinstance(resolution, Resolution) else None)
        indicator = AutoRegressiveIntegratedMovingAverage(name, ar_order, diff_order, ma_order, period, intercept)
        return initialize_indicator(self, symbol, indicator, resolution, selector)

    TRIN, ADR, ADVR, ARIMA = trin, adr, advr, arima
