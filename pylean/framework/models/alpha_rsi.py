"""RsiAlphaModel (Algorithm.Framework/Alphas/RsiAlphaModel.cs): a Wilder RSI per security; crossing above 70 trips
high (a Down insight), below 30 trips low (an Up insight); a tripped state resets to the middle past 65 / 35.
Insights last `period` bars. The RSI is warmed up by pushing history bars through its consolidator."""
from __future__ import annotations

from typing import Any

from pylean.enums import Resolution
from pylean.framework.alpha import AlphaModel
from pylean.framework.insight import Insight, InsightDirection
from pylean.framework.models.alpha_support import bars_span, warm_with_history
from pylean.indicators import MovingAverageType, RelativeStrengthIndex
from pylean.naming import lean_api

TRIPPED_LOW, MIDDLE, TRIPPED_HIGH = 0, 1, 2


def next_state(rsi: float, previous: int) -> int:
    if rsi > 70:
        return TRIPPED_HIGH
    if rsi < 30:
        return TRIPPED_LOW
    if previous == TRIPPED_LOW and rsi > 35:
        return MIDDLE
    if previous == TRIPPED_HIGH and rsi < 65:
        return MIDDLE
    return previous


class _RsiSymbolData:
    def __init__(self, algorithm: Any, symbol: Any, period: int, resolution: Resolution) -> None:
        self.algorithm, self.symbol, self.state = algorithm, symbol, MIDDLE
        self.rsi = RelativeStrengthIndex(period, MovingAverageType.WILDERS)
        self.consolidator = algorithm.resolve_consolidator(symbol, resolution)
        algorithm.register_indicator(symbol, self.rsi, self.consolidator)

    def dispose(self) -> None:
        self.algorithm.subscription_manager.remove_consolidator(self.symbol, self.consolidator)


@lean_api
class RsiAlphaModel(AlphaModel):
    def __init__(self, period: int = 14, resolution: Resolution = Resolution.DAILY) -> None:
        super().__init__()
        state = self.__dict__
        state["_pylean_period"], state["_pylean_resolution"] = int(period), Resolution(resolution)
        state["_pylean_symbol_data"] = {}
        self.name = f"RsiAlphaModel({period},{Resolution(resolution)})"

    def update(self, algorithm: Any, data: Any) -> list[Insight]:
        state = self.__dict__
        period = bars_span(state["_pylean_resolution"], state["_pylean_period"])
        insights = []
        for symbol, symbol_data in state["_pylean_symbol_data"].items():
            rsi = symbol_data.rsi
            previous = symbol_data.state
            current = next_state(rsi.current.value, previous)
            if current != previous and rsi.is_ready:
                if current == TRIPPED_LOW:
                    insights.append(Insight.price(symbol, period, InsightDirection.UP))
                elif current == TRIPPED_HIGH:
                    insights.append(Insight.price(symbol, period, InsightDirection.DOWN))
            symbol_data.state = current
        return insights

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        state = self.__dict__
        by_symbol = state["_pylean_symbol_data"]
        for removed in changes.removed_securities:
            found = by_symbol.pop(removed.symbol, None)
            if found is not None:
                found.dispose()
        added = []
        for security in changes.added_securities:
            if security.symbol not in by_symbol:
                by_symbol[security.symbol] = _RsiSymbolData(algorithm, security.symbol, state["_pylean_period"],
                                                            state["_pylean_resolution"])
                added.append(security.symbol)
        if added:
            warm_with_history(algorithm, by_symbol, added, state["_pylean_period"], state["_pylean_resolution"],
                              lambda data, bar: data.consolidator.update(bar))
