"""QCAlgorithm indicator helpers added for Lean's regression algorithms: multi-symbol breadth indicators
(Algorithm/QCAlgorithm.Indicators.cs TRIN, ADR, ADVR) and ARIMA."""
from __future__ import annotations

from typing import Any

from pylean.enums import Resolution
from pylean.indicators.advance_decline import AdvanceDeclineRatio, AdvanceDeclineVolumeRatio, ArmsIndex


class BreadthIndicatorsMixin:
    """Helpers that create an indicator, register it for the symbols' data and return it."""

    __slots__ = ()

    def _breadth(self, indicator: Any, symbols: Any, resolution: Any, selector: Any) -> Any:
        symbols = [self._to_symbol(s) for s in symbols]  # type: ignore[attr-defined]
        for symbol in symbols:
            indicator.add(symbol)
        for symbol in symbols:
            self.register_indicator(symbol, indicator, resolution, selector)  # type: ignore[attr-defined]
        if getattr(self.settings, "automatic_indicator_warm_up", False):  # type: ignore[attr-defined]
            for symbol in symbols:
                self.warm_up_indicator(symbol, indicator, resolution, selector)  # type: ignore[attr-defined]
        return indicator

    def _breadth_name(self, kind: str, symbols: Any, resolution: Any) -> str:
        if resolution is None:
            resolution = self._subscription(self._to_symbol(list(symbols)[0])).resolution  # type: ignore[attr-defined]
        return self.create_indicator_name(None, kind, Resolution(resolution))  # type: ignore[attr-defined]

    def trin(self, symbols: Any, resolution: Any = None, selector: Any = None) -> ArmsIndex:
        symbols = list(symbols)
        return self._breadth(ArmsIndex(self._breadth_name("TRIN", symbols, resolution)), symbols, resolution,
                             selector)

    def adr(self, symbols: Any, resolution: Any = None, selector: Any = None) -> AdvanceDeclineRatio:
        symbols = list(symbols)
        return self._breadth(AdvanceDeclineRatio(self._breadth_name("A/D Ratio", symbols, resolution)), symbols,
                             resolution, selector)

    def advr(self, symbols: Any, resolution: Any = None, selector: Any = None) -> AdvanceDeclineVolumeRatio:
        symbols = list(symbols)
        return self._breadth(AdvanceDeclineVolumeRatio(self._breadth_name("A/D Volume Rate", symbols, resolution)),
                             symbols, resolution, selector)

    TRIN, ADR, ADVR = trin, adr, advr
