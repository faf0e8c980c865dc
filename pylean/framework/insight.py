"""Insight (Common/Algorithm/Framework/Alphas/Insight.cs): a prediction an algorithm emits. pylean records
emitted insights (stamped with the algorithm's time); with no framework models set they do not trade."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pylean.enums import _add_pascal_aliases, _LeanIntEnum
from pylean.naming import lean_api


class InsightDirection(_LeanIntEnum):
    DOWN = -1
    FLAT = 0
    UP = 1


class InsightType(_LeanIntEnum):
    PRICE = 0
    VOLATILITY = 1


for _enum in (InsightDirection, InsightType):
    _add_pascal_aliases(_enum)


@lean_api
class Insight:
    def __init__(self, symbol: Any, period: Any, type: InsightType, direction: InsightDirection,
                 magnitude: float | None = None, confidence: float | None = None, source_model: str | None = None,
                 weight: float | None = None, tag: str = "") -> None:
        self.symbol, self.period, self.type, self.direction = symbol, period, type, direction
        self.magnitude, self.confidence, self.weight = magnitude, confidence, weight
        self.source_model, self.tag = source_model, tag
        self.generated_time_utc: datetime | None = None
        self.close_time_utc: datetime | None = None

    @staticmethod
    def price(symbol: Any, period: Any, direction: InsightDirection, magnitude: float | None = None,
              confidence: float | None = None, source_model: str | None = None, weight: float | None = None,
              tag: str = "") -> "Insight":
        return Insight(symbol, period, InsightType.PRICE, direction, magnitude, confidence, source_model, weight,
                       tag)

    def _stamp(self, utc: datetime) -> None:
        self.generated_time_utc = utc
        if isinstance(self.period, timedelta):
            self.close_time_utc = utc + self.period

    def __repr__(self) -> str:
        return f"{self.symbol}: {self.type} {self.direction} within {self.period}"


@lean_api
class InsightCollection:
    """The insights an algorithm emitted, in order."""

    def __init__(self) -> None:
        self._items: list[Insight] = []

    def add(self, insight: Insight) -> None:
        self._items.append(insight)

    @property
    def count(self) -> int:
        return len(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Any:
        return iter(self._items)
