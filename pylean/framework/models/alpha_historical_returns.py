"""HistoricalReturnsAlphaModel (Algorithm.Framework/Alphas/HistoricalReturnsAlphaModel.cs): the rate of change over
`lookback` bars per security; on each new sample of a ready indicator, a positive return gives an Up insight, a
negative one a Down insight (magnitude = the return, lasting `lookback` bars), a zero return cancels the symbol's
insights. Warmed up from history."""
from __future__ import annotations

from typing import Any

from pylean.enums import Resolution
from pylean.framework.alpha import AlphaModel
from pylean.framework.insight import Insight, InsightDirection
from pylean.framework.models.alpha_support import EmittedInsights, bars_span, warm_with_history
from pylean.indicators import RateOfChange
from pylean.naming import lean_api


class _ReturnsSymbolData:
    def __init__(self, algorithm: Any, security: Any, lookback: int, resolution: Resolution) -> None:
        self.security = security
        self.consolidator = algorithm.resolve_consolidator(security.symbol, resolution)
        algorithm.subscription_manager.add_consolidator(security.symbol, self.consolidator)
        self.roc = RateOfChange(str(security.symbol), lookback)
        algorithm.register_indicator(security.symbol, self.roc, self.consolidator)
        self.previous_samples = 0

    def can_emit(self) -> bool:
        """Once per new sample, when ready."""
        if self.previous_samples == self.roc.samples:
            return False
        self.previous_samples = self.roc.samples
        return self.roc.is_ready


@lean_api
class HistoricalReturnsAlphaModel(AlphaModel):
    def __init__(self, lookback: int = 1, resolution: Resolution = Resolution.DAILY) -> None:
        super().__init__()
        state = self.__dict__
        state["_pylean_lookback"], state["_pylean_resolution"] = int(lookback), Resolution(resolution)
        state["_pylean_symbol_data"] = {}
        state["_pylean_emitted"] = EmittedInsights()
        self.name = f"HistoricalReturnsAlphaModel({lookback},{Resolution(resolution)})"

    def update(self, algorithm: Any, data: Any) -> list[Insight]:
        state = self.__dict__
        emitted = state["_pylean_emitted"]
        period = bars_span(state["_pylean_resolution"], state["_pylean_lookback"])
        insights = []
        for symbol, symbol_data in state["_pylean_symbol_data"].items():
            if not symbol_data.can_emit():
                continue
            magnitude = float(symbol_data.roc.current.value)
            if magnitude == 0:
                emitted.cancel(algorithm, symbol)
                continue
            direction = InsightDirection.UP if magnitude > 0 else InsightDirection.DOWN
            insights.append(Insight.price(symbol_data.security.symbol, period, direction, magnitude, None))
        for insight in insights:
            emitted.add(insight)
        return insights

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        state = self.__dict__
        by_symbol = state["_pylean_symbol_data"]
        for removed in changes.removed_securities:
            found = by_symbol.pop(removed.symbol, None)
            if found is not None:
                algorithm.subscription_manager.remove_consolidator(removed.symbol, found.consolidator)
            state["_pylean_emitted"].cancel(algorithm, removed.symbol)
        added = []
        for security in changes.added_securities:
            if security.symbol not in by_symbol:
                by_symbol[security.symbol] = _ReturnsSymbolData(algorithm, security, state["_pylean_lookback"],
                                                                state["_pylean_resolution"])
                added.append(security.symbol)
        if added:
            warm_with_history(algorithm, by_symbol, added, state["_pylean_lookback"], state["_pylean_resolution"],
                              lambda data, bar: data.roc.update(bar.end_time, bar.close))
