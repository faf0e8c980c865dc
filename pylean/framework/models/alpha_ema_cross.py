"""EmaCrossAlphaModel (Algorithm.Framework/Alphas/EmaCrossAlphaModel.cs): a fast and a slow EMA per security, fed by
consolidators of the model's resolution and warmed up from history; when the fast EMA crosses above the slow one an
Up insight, below a Down insight, each lasting `fast_period` bars."""
from __future__ import annotations

from typing import Any

from pylean.enums import Resolution
from pylean.framework.alpha import AlphaModel
from pylean.framework.insight import Insight, InsightDirection
from pylean.framework.models.alpha_support import bars_span
from pylean.indicators import ExponentialMovingAverage
from pylean.naming import lean_api


class _EmaCrossSymbolData:
    def __init__(self, algorithm: Any, security: Any, fast_period: int, slow_period: int,
                 resolution: Resolution) -> None:
        symbol = self.symbol = security.symbol
        self.algorithm = algorithm
        self.fast_consolidator = algorithm.resolve_consolidator(symbol, resolution)
        self.slow_consolidator = algorithm.resolve_consolidator(symbol, resolution)
        algorithm.subscription_manager.add_consolidator(symbol, self.fast_consolidator)
        algorithm.subscription_manager.add_consolidator(symbol, self.slow_consolidator)
        self.fast = ExponentialMovingAverage(str(symbol), fast_period,
                                             ExponentialMovingAverage.smoothing_factor_default(fast_period))
        self.slow = ExponentialMovingAverage(str(symbol), slow_period,
                                             ExponentialMovingAverage.smoothing_factor_default(slow_period))
        algorithm.register_indicator(symbol, self.fast, self.fast_consolidator)
        algorithm.register_indicator(symbol, self.slow, self.slow_consolidator)
        algorithm.warm_up_indicator(symbol, self.fast, resolution)
        algorithm.warm_up_indicator(symbol, self.slow, resolution)
        self.fast_is_over_slow = False

    def remove_consolidators(self) -> None:
        self.algorithm.subscription_manager.remove_consolidator(self.symbol, self.fast_consolidator)
        self.algorithm.subscription_manager.remove_consolidator(self.symbol, self.slow_consolidator)


@lean_api
class EmaCrossAlphaModel(AlphaModel):
    def __init__(self, fast_period: int = 12, slow_period: int = 26, resolution: Resolution = Resolution.DAILY
                 ) -> None:
        super().__init__()
        state = self.__dict__
        state["_pylean_fast_period"], state["_pylean_slow_period"] = int(fast_period), int(slow_period)
        state["_pylean_resolution"] = Resolution(resolution)
        state["_pylean_symbol_data"] = {}
        self.name = f"EmaCrossAlphaModel({fast_period},{slow_period},{Resolution(resolution)})"

    def update(self, algorithm: Any, data: Any) -> list[Insight]:
        state = self.__dict__
        period = bars_span(state["_pylean_resolution"], state["_pylean_fast_period"])
        insights = []
        for symbol_data in state["_pylean_symbol_data"].values():
            fast, slow = symbol_data.fast.current.value, symbol_data.slow.current.value
            if symbol_data.fast.is_ready and symbol_data.slow.is_ready:
                if symbol_data.fast_is_over_slow:
                    if slow > fast:
                        insights.append(Insight.price(symbol_data.symbol, period, InsightDirection.DOWN))
                elif fast > slow:
                    insights.append(Insight.price(symbol_data.symbol, period, InsightDirection.UP))
            symbol_data.fast_is_over_slow = fast > slow
        return insights

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        state = self.__dict__
        by_symbol = state["_pylean_symbol_data"]
        for added in changes.added_securities:
            found = by_symbol.get(added.symbol)
            if found is None:
                by_symbol[added.symbol] = _EmaCrossSymbolData(
                    algorithm, added, state["_pylean_fast_period"], state["_pylean_slow_period"],
                    state["_pylean_resolution"])
            else:  # re-added: start the averages again
                found.fast.reset()
                found.slow.reset()
        for removed in changes.removed_securities:
            found = by_symbol.pop(removed.symbol, None)
            if found is not None:
                found.remove_consolidators()
