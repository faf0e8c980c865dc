"""Insight (Common/Algorithm/Framework/Alphas/Insight.cs): a prediction an alpha model or the algorithm emits.

The period is given as a timedelta, a resolution and bar count, a local close time or a function of the local
generation time; the framework stamps the generation time and turns the period into a close time in market hours
(`set_period_and_close_time`)."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable

from pylean.enums import Resolution, _add_pascal_aliases, _LeanIntEnum
from pylean.framework.insight_score import InsightScore, InsightScoreType
from pylean.framework.insight_period import (END_OF_TIME, END_OF_TIME_SPAN, BarCountPeriod, CloseTimePeriod,
                                             EndOfTimePeriod, FuncPeriod, TimeSpanPeriod)
from pylean.naming import lean_api

__all__ = ["Insight", "InsightDirection", "InsightType", "InsightScore", "InsightScoreType", "InsightCollection"]


class InsightDirection(_LeanIntEnum):
    DOWN = -1
    FLAT = 0
    UP = 1


class InsightType(_LeanIntEnum):
    PRICE = 0
    VOLATILITY = 1


for _enum in (InsightDirection, InsightType):
    _add_pascal_aliases(_enum)

ONE_SECOND = timedelta(seconds=1)


def _period_spec(period: Any) -> Any:
    if isinstance(period, timedelta):
        return EndOfTimePeriod() if period == END_OF_TIME_SPAN else TimeSpanPeriod(period)
    if isinstance(period, datetime):
        return EndOfTimePeriod() if period == END_OF_TIME else CloseTimePeriod(period)
    if isinstance(period, Resolution):
        return BarCountPeriod(period, 1)
    if callable(period):
        return FuncPeriod(period)
    raise TypeError(f"an insight period is a timedelta, a close time, a resolution or a function, not {period!r}")


@lean_api
class Insight:
    def __init__(self, symbol: Any, period: Any, type: InsightType = InsightType.PRICE,
                 direction: InsightDirection = InsightDirection.FLAT, magnitude: float | None = None,
                 confidence: float | None = None, source_model: str | None = None, weight: float | None = None,
                 tag: str = "") -> None:
        if isinstance(symbol, datetime):  # Insight(generatedTimeUtc, symbol, period, type, direction, ...)
            generated, args = symbol, (period, type, direction, magnitude, confidence, source_model, weight, tag)
            self.__init__(*args)  # type: ignore[misc]
            self.generated_time_utc: datetime | None = generated
            self.close_time_utc: datetime | None = generated + (self.period or timedelta(0))
            return
        if isinstance(magnitude, str) and confidence is None:  # Insight(symbol, period, type, direction, tag)
            magnitude, tag = None, magnitude
        self.id = uuid.uuid4()
        self.group_id: uuid.UUID | None = None
        self.source_model = source_model
        self.symbol = symbol
        self.type = InsightType(type)
        self.direction = InsightDirection(direction)
        self.magnitude, self.confidence, self.weight = magnitude, confidence, weight
        self.tag = tag
        self.score = InsightScore()
        self.reference_value = 0.0
        self.reference_value_final = 0.0
        self.estimated_value = 0.0
        self.generated_time_utc = None  # set when the framework initializes it
        self.close_time_utc = None
        self._period_spec = _period_spec(period)
        self.period: timedelta | None = self._period_spec.initial_period()

    # ------------------------------------------------------------ factories
    @staticmethod
    def price(symbol: Any, period: Any, direction: Any = None, magnitude: Any = None, confidence: Any = None,
              source_model: Any = None, weight: Any = None, tag: Any = "", *more: Any) -> "Insight":
        """Insight.Price(symbol, period | close time | expiry function, direction, ...) or
        Insight.Price(symbol, resolution, bar count, direction, ...)."""
        symbol = _as_symbol(symbol)
        if isinstance(period, Resolution) and not isinstance(direction, InsightDirection) and direction is not None:
            bar_count = int(direction)
            if bar_count < 1:
                raise ValueError("Insight barCount must be greater than zero.")
            # positional arguments after the bar count move one place; keyword ones are where they belong
            weight_given = None if isinstance(tag, str) else tag
            tag = tag if isinstance(tag, str) else (more[0] if more else "")
            insight = Insight(symbol, timedelta(0), InsightType.PRICE, magnitude, confidence, source_model, weight,
                              weight_given, tag or "")
            insight._period_spec = BarCountPeriod(period, bar_count)
            insight.period = None
            return insight
        if isinstance(period, timedelta) and period < ONE_SECOND:
            raise ValueError("Insight period must be greater than or equal to 1 second.")
        return Insight(symbol, period, InsightType.PRICE, direction, magnitude, confidence, source_model, weight,
                       tag)

    @staticmethod
    def group(*insights: Any) -> list["Insight"]:
        flat = [i for item in insights for i in (item if isinstance(item, (list, tuple)) else [item])]
        group_id = uuid.uuid4()
        for insight in flat:
            if insight.group_id is not None:
                raise ValueError(f"Unable to set group id on insight {insight} because it has already been "
                                 "assigned to a group.")
            insight.group_id = group_id
        return flat

    # ------------------------------------------------------------ lifetime
    def set_period_and_close_time(self, exchange_hours: Any) -> None:
        if self.generated_time_utc is None:
            raise ValueError(f"The insight's ({self.id}) period cannot be set before its generated time.")
        self._period_spec.set_period_and_close_time(self, exchange_hours)

    def is_expired(self, utc_time: datetime) -> bool:
        return self.close_time_utc < utc_time  # type: ignore[operator]

    def is_active(self, utc_time: datetime) -> bool:
        return not self.is_expired(utc_time)

    def expire(self, utc_time: datetime) -> None:
        """Close it one second before `utc_time` (if still active then)."""
        if self.is_active(utc_time):
            self.close_time_utc = utc_time - ONE_SECOND
            self.period = self.close_time_utc - self.generated_time_utc  # type: ignore[operator]

    cancel = expire

    def clone(self) -> "Insight":
        copy = Insight(self.symbol, self.period or timedelta(0), self.type, self.direction, self.magnitude,
                       self.confidence, weight=self.weight, tag=self.tag)
        for name in ("generated_time_utc", "close_time_utc", "score", "id", "estimated_value", "reference_value",
                     "reference_value_final", "source_model", "group_id"):
            setattr(copy, name, getattr(self, name))
        copy._period_spec = self._period_spec
        return copy

    def __str__(self) -> str:
        text = f"{self.id}: {self.symbol} {self.type} {self.direction} within {self.period}"
        if self.magnitude is not None:
            text += f" by {self.magnitude}%"
        if self.confidence is not None:
            text += f" with {round(100 * self.confidence, 1)}% confidence"
        if self.weight is not None:
            text += f" and {round(100 * self.weight, 1)}% weight"
        if self.tag:
            text += f": {self.tag}"
        return text

    __repr__ = __str__

    def short_to_string(self) -> str:
        text = f"{self.symbol.value if hasattr(self.symbol, 'value') else self.symbol} {self.type} {self.direction} {self.period}"
        if self.magnitude is not None:
            text += f" M:{self.magnitude}"
        if self.confidence is not None:
            text += f" C:{self.confidence}"
        if self.weight is not None:
            text += f" W:{self.weight}"
        if self.tag:
            text += f". {self.tag}"
        return text


def _as_symbol(symbol: Any) -> Any:
    """Insight.Price("SPY", ...): a ticker becomes the Symbol the algorithm knows (Lean's implicit conversion)."""
    if isinstance(symbol, str):
        from pylean.symbol_cache import SymbolCache
        from pylean.symbols import Symbol

        known, found = SymbolCache.try_get_symbol(symbol)
        return found if known and found is not None else Symbol.create(symbol)
    return symbol


@lean_api
class InsightCollection:
    """Insights by symbol (the open ones) plus every insight ever added, in order (InsightCollection.cs)."""

    def __init__(self) -> None:
        self._open: dict[Any, list[Insight]] = {}
        self._all: list[Insight] = []
        self._open_count = 0
        self._total_count = 0

    @property
    def count(self) -> int:
        return self._open_count

    @property
    def total_count(self) -> int:
        return self._total_count

    def __len__(self) -> int:
        return self._open_count

    def add(self, insight: Insight) -> None:
        self._open_count += 1
        self._total_count += 1
        self._all.append(insight)
        self._open.setdefault(insight.symbol, []).append(insight)

    def add_range(self, insights: Iterable[Insight]) -> None:
        for insight in insights:
            self.add(insight)

    def contains(self, insight: Insight) -> bool:
        return insight in self._open.get(insight.symbol, ())

    def contains_key(self, symbol: Any) -> bool:
        return bool(self._open.get(symbol))

    def __contains__(self, item: Any) -> bool:
        return self.contains(item) if isinstance(item, Insight) else self.contains_key(item)

    def remove(self, insight: Insight) -> bool:
        insights = self._open.get(insight.symbol)
        if not insights or insight not in insights:
            return False
        insights.remove(insight)
        self._open_count -= 1
        if not insights:
            del self._open[insight.symbol]
        return True

    def __getitem__(self, symbol: Any) -> list[Insight]:
        return list(self._open[symbol])

    def __setitem__(self, symbol: Any, insights: list[Insight] | None) -> None:
        self._open_count -= len(self._open.get(symbol) or ())
        if insights is not None:
            self._open_count += len(insights)
            self._total_count += len(insights)
        self._open[symbol] = insights  # type: ignore[assignment]

    def try_get_value(self, symbol: Any) -> tuple[bool, list[Insight] | None]:
        found = self._open.get(symbol)
        return (True, list(found)) if found is not None else (False, None)

    def __iter__(self) -> Any:
        return iter([insight for insights in self._open.values() for insight in insights])

    def clear(self, symbols: Iterable[Any]) -> None:
        for symbol in symbols:
            removed = self._open.pop(symbol, None)
            if removed:
                self._open_count -= len(removed)

    def get_next_expiry_time(self) -> datetime | None:
        if self._open_count == 0:
            return None
        return min(insight.close_time_utc for insights in self._open.values() for insight in insights)  # type: ignore[type-var]

    def get_active_insights(self, utc_time: datetime) -> list[Insight]:
        return [insight for insights in self._open.values() for insight in insights if insight.is_active(utc_time)]

    def has_active_insights(self, symbol: Any, utc_time: datetime) -> bool:
        return any(insight.is_active(utc_time) for insight in self._open.get(symbol, ()))

    def remove_expired_insights(self, utc_time: datetime) -> list[Insight]:
        removed = [insight for insights in self._open.values() for insight in insights if insight.is_expired(utc_time)]
        for insight in removed:
            self.remove(insight)
        return removed

    def remove_insights(self, filter: Callable[[Insight], bool]) -> None:
        self._all = [insight for insight in self._all if not filter(insight)]
        for insight in [i for insights in self._open.values() for i in insights if filter(i)]:
            self.remove(insight)

    def get_insights(self, filter: Callable[[Insight], bool] | None = None) -> list[Insight]:
        if filter is None:
            return list(self._all)
        return [insight for insight in self._all if filter(insight)]


@lean_api
class GeneratedInsightsCollection:
    """What the insights-generated event hands its handlers (GeneratedInsightsCollection.cs)."""

    def __init__(self, date_time_utc: datetime, insights: Iterable[Insight], clone: bool = True) -> None:
        self.date_time_utc = date_time_utc
        self.insights = [insight.clone() for insight in insights] if clone else list(insights)
