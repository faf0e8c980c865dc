"""What the indicator-driven alpha models share: the insight period of `count` bars of a resolution, and the
insights a model emitted per symbol so it can cancel them (Lean's models keep an InsightCollection)."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

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
