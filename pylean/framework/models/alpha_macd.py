"""MacdAlphaModel (Algorithm.Framework/Alphas/MacdAlphaModel.cs): a MACD per security; its signal line over the
price above +1 % gives an Up insight, below -1 % a Down insight (lasting `fast_period` bars); a move back inside the
band cancels the symbol's insights. The same direction twice in a row emits nothing."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from pylean.enums import Resolution
from pylean.framework.alpha import AlphaModel
from pylean.framework.insight import Insight, InsightDirection
from pylean.framework.models.alpha_support import EmittedInsights, bars_span
from pylean.indicators import MovingAverageConvergenceDivergence, MovingAverageType
from pylean.naming import lean_api
from pylean.numbers import to_decimal

BOUNCE_THRESHOLD = Decimal("0.01")


class _MacdSymbolData:
    def __init__(self, algorithm: Any, security: Any, fast: int, slow: int, signal: int,
                 moving_average_type: Any, resolution: Resolution) -> None:
        self.security = security
        self.previous_direction: InsightDirection | None = None
        self.consolidator = algorithm.resolve_consolidator(security.symbol, resolution)
        algorithm.subscription_manager.add_consolidator(security.symbol, self.consolidator)
        self.macd = MovingAverageConvergenceDivergence(fast, slow, signal, moving_average_type)
        algorithm.register_indicator(security.symbol, self.macd, self.consolidator)
        algorithm.warm_up_indicator(security.symbol, self.macd, resolution)


@lean_api
class MacdAlphaModel(AlphaModel):
    def __init__(self, fast_period: int = 12, slow_period: int = 26, signal_period: int = 9,
                 moving_average_type: Any = MovingAverageType.EXPONENTIAL,
                 resolution: Resolution = Resolution.DAILY) -> None:
        super().__init__()
        state = self.__dict__
        state["_pylean_periods"] = (int(fast_period), int(slow_period), int(signal_period))
        state["_pylean_moving_average_type"] = moving_average_type
        state["_pylean_resolution"] = Resolution(resolution)
        state["_pylean_symbol_data"] = {}
        state["_pylean_emitted"] = EmittedInsights()
        self.name = (f"MacdAlphaModel({fast_period},{slow_period},{signal_period},{moving_average_type},"
                     f"{Resolution(resolution)})")

    def update(self, algorithm: Any, data: Any) -> list[Insight]:
        state = self.__dict__
        emitted = state["_pylean_emitted"]
        insights = []
        for symbol_data in state["_pylean_symbol_data"].values():
            security = symbol_data.security
            price = to_decimal(security.price)
            if price == 0:
                continue
            normalized = to_decimal(symbol_data.macd.signal.current.value) / price
            direction = InsightDirection.FLAT
            if normalized > BOUNCE_THRESHOLD:
                direction = InsightDirection.UP
            elif normalized < -BOUNCE_THRESHOLD:
                direction = InsightDirection.DOWN
            if direction == symbol_data.previous_direction:
                continue
            symbol_data.previous_direction = direction
            if direction == InsightDirection.FLAT:
                emitted.cancel(algorithm, security.symbol)
                continue
            insight = Insight.price(security.symbol, bars_span(state["_pylean_resolution"],
                                                               state["_pylean_periods"][0]), direction)
            emitted.add(insight)
            insights.append(insight)
        return insights

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        state = self.__dict__
        by_symbol = state["_pylean_symbol_data"]
        for added in changes.added_securities:
            if added.symbol not in by_symbol:
                fast, slow, signal = state["_pylean_periods"]
                by_symbol[added.symbol] = _MacdSymbolData(algorithm, added, fast, slow, signal,
                                                          state["_pylean_moving_average_type"],
                                                          state["_pylean_resolution"])
        for removed in changes.removed_securities:
            found = by_symbol.pop(removed.symbol, None)
            if found is not None:
                algorithm.subscription_manager.remove_consolidator(removed.symbol, found.consolidator)
            state["_pylean_emitted"].cancel(algorithm, removed.symbol)
