"""Field: ready-made selectors of a bar's value for indicators (Common/Field.cs)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from pylean.data.market_data import QuoteBar, TradeBar
from pylean.indicators.base import bar_field, data_value
from pylean.indicators.numbers import ZERO, dec


def _bar_or_value(field: str) -> Any:
    def select(data: Any) -> Decimal:
        if isinstance(data, (TradeBar, QuoteBar)):
            return bar_field(data, field)
        return data_value(data)
    return select


def _side(side: str, field: str) -> Any:
    def select(data: Any) -> Decimal:
        if isinstance(data, QuoteBar):
            bar = getattr(data, side)
            return dec(getattr(bar, field)) if bar is not None else ZERO
        return data_value(data)
    return select


def _combination(weights: tuple[int, int, int, int], divisor: int) -> Any:
    def select(data: Any) -> Decimal:
        if not isinstance(data, (TradeBar, QuoteBar)):
            return data_value(data)
        total = ZERO
        for weight, field in zip(weights, ("open", "high", "low", "close")):
            if weight:
                value = bar_field(data, field)
                total = total + (value if weight == 1 else weight * value)
        return total / divisor
    return select


def _volume(data: Any) -> Decimal:
    return dec(data.volume) if isinstance(data, TradeBar) else data_value(data)


class Field:
    """`Field.HIGH` etc.; quote-side fields make the helpers subscribe to quote bars."""

    OPEN = Open = staticmethod(_bar_or_value("open"))
    HIGH = High = staticmethod(_bar_or_value("high"))
    LOW = Low = staticmethod(_bar_or_value("low"))
    CLOSE = Close = staticmethod(data_value)
    VOLUME = Volume = staticmethod(_volume)
    AVERAGE = Average = staticmethod(_combination((1, 1, 1, 1), 4))
    MEDIAN = Median = staticmethod(_combination((0, 1, 1, 0), 2))
    TYPICAL = Typical = staticmethod(_combination((0, 1, 1, 1), 3))
    WEIGHTED = Weighted = staticmethod(_combination((0, 1, 1, 2), 4))
    SEVEN_BAR = SevenBar = staticmethod(_combination((2, 1, 1, 3), 7))
    BID_OPEN = BidOpen = staticmethod(_side("bid", "open"))
    BID_HIGH = BidHigh = staticmethod(_side("bid", "high"))
    BID_LOW = BidLow = staticmethod(_side("bid", "low"))
    BID_CLOSE = BidClose = BID_PRICE = BidPrice = staticmethod(_side("bid", "close"))
    ASK_OPEN = AskOpen = staticmethod(_side("ask", "open"))
    ASK_HIGH = AskHigh = staticmethod(_side("ask", "high"))
    ASK_LOW = AskLow = staticmethod(_side("ask", "low"))
    ASK_CLOSE = AskClose = ASK_PRICE = AskPrice = staticmethod(_side("ask", "close"))


QUOTE_FIELDS = frozenset(getattr(Field, name) for name in ("BID_OPEN", "BID_HIGH", "BID_LOW", "BID_CLOSE", "ASK_OPEN",
                                                           "ASK_HIGH", "ASK_LOW", "ASK_CLOSE"))
