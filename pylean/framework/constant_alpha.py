"""ConstantAlphaModel (Algorithm.Framework/Alphas/ConstantAlphaModel.cs): the same insight for every security
with a price, again each time the previous one's period has passed."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pylean.framework.alpha import AlphaModel
from pylean.framework.insight import Insight, InsightDirection, InsightType
from pylean.naming import lean_api, user_method


@lean_api
class ConstantAlphaModel(AlphaModel):
    def __init__(self, type: InsightType, direction: InsightDirection, period: timedelta,
                 magnitude: float | None = None, confidence: float | None = None, weight: float | None = None
                 ) -> None:
        super().__init__()
        self.__dict__["_pylean_constant"] = (InsightType(type), InsightDirection(direction), period, magnitude,
                                             confidence, weight)
        self.__dict__["_pylean_securities"] = []
        self.__dict__["_pylean_insight_times"] = {}
        name = f"ConstantAlphaModel({InsightType(type)},{InsightDirection(direction)},{_time_span(period)}"
        if magnitude is not None:
            name += f",{magnitude}"
        if confidence is not None:
            name += f",{confidence}"
        self.name = name + ")"

    def update(self, algorithm: Any, data: Any) -> list[Insight]:
        type_, direction, period, magnitude, confidence, weight = self.__dict__["_pylean_constant"]
        should_emit = user_method(self, "should_emit_insight")
        utc = algorithm.utc_time
        return [Insight(security.symbol, period, type_, direction, magnitude, confidence, weight=weight)
                for security in list(self.__dict__["_pylean_securities"])
                if security.price != 0 and should_emit(utc, security.symbol)]

    def on_securities_changed(self, algorithm: Any, changes: Any) -> None:
        securities = self.__dict__["_pylean_securities"]
        for added in changes.added_securities:
            if added not in securities:
                securities.append(added)
        for removed in changes.removed_securities:
            if removed in securities:
                securities.remove(removed)
            self.__dict__["_pylean_insight_times"].pop(removed.symbol, None)

    def should_emit_insight(self, utc_time: datetime, symbol: Any) -> bool:
        if getattr(symbol, "is_canonical", lambda: False)():
            return False
        times = self.__dict__["_pylean_insight_times"]
        period = self.__dict__["_pylean_constant"][2]
        generated = times.get(symbol)
        if generated is not None and utc_time - generated < period:
            return False
        times[symbol] = utc_time
        return True


def _time_span(period: timedelta) -> str:
    """.NET's TimeSpan.ToString(): [-][d.]hh:mm:ss[.fffffff]."""
    seconds = int(period.total_seconds())
    days, rest = divmod(seconds, 86400)
    text = f"{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"
    if days:
        text = f"{days}.{text}"
    if period.microseconds:
        text += f".{period.microseconds * 10:07d}"
    return text
