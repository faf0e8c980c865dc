"""What the indicator-driven alpha models share: the insight period of `count` bars of a resolution, and the
insights a model emitted per symbol so it can cancel them (Lean's models keep an InsightCollection)."""
from __future__ import annotations

from datetime import timedelta
from typing import Any, Callable

from pylean.consolidators.period import resolution_span
from pylean.enums import Resolution


def bars_span(resolution: Any, count: int) -> timedelta:
    """Resolution.ToTimeSpan().Multiply(count)."""
    return resolution_span(Resolution(resolution)) * int(count)


class EmittedInsights:
    """The insights a model emitted, by symbol, until it cancels them."""

    def __init__(self) -> None:
        self._by_symbol: dict[Any, list[Any]] = {}

    def add(self, insight: Any) -> None:
        self._by_symbol.setdefault(insight.symbol, []).append(insight)

    def cancel(self, algorithm: Any, symbol: Any) -> None:
        insights = self._by_symbol.pop(symbol, None)
        if insights:
            algorithm.insights.cancel(insights)


def warm_with_history(algorithm: Any, by_symbol: dict[Any, Any], symbols: list[Any], count: int, resolution: Any,
                      feed: Callable[[Any, Any], None]) -> None:
    """Lean's models warm newly added symbols with `count` bars of history, in time order:
    `feed(symbol_data, bar)` for each bar of a symbol that has data."""
    from pylean.typed_history import trade_bars_by_time  # the algorithm's modules import the models

    for bars in trade_bars_by_time(algorithm, symbols, count, resolution):
        for symbol, bar in bars.items():
            found = by_symbol.get(symbol)
            if found is not None:
                feed(found, bar)
