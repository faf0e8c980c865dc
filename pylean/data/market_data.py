"""TradeBar, QuoteBar and Bar (Common/Data/Market/TradeBar.cs, QuoteBar.cs, Bar.cs) as plain slotted objects."""
from __future__ import annotations

from datetime import datetime, timedelta

from pylean.naming import lean_api
from pylean.symbols import Symbol


@lean_api
class Bar:
    """One side (bid or ask) of a QuoteBar."""

    __slots__ = ("open", "high", "low", "close")

    def __init__(self, open: float = 0.0, high: float = 0.0, low: float = 0.0, close: float = 0.0) -> None:
        self.open = open
        self.high = high
        self.low = low
        self.close = close

    def __repr__(self) -> str:
        return f"O:{self.open} H:{self.high} L:{self.low} C:{self.close}"


@lean_api
class BaseBar:
    """What every bar answers the same way (Common/Data/BaseData.cs): value and price are the close."""

    __slots__ = ()

    @property
    def value(self) -> float:
        return self.close  # type: ignore[attr-defined, no-any-return]

    @property
    def price(self) -> float:
        return self.close  # type: ignore[attr-defined, no-any-return]

    @property
    def period(self) -> timedelta:
        return self.end_time - self.time  # type: ignore[attr-defined, no-any-return]


@lean_api
class TradeBar(BaseBar):
    """OHLCV bar; `time` is the bar start and `end_time` when it is emitted (exchange-local, naive)."""

    __slots__ = ("symbol", "time", "end_time", "open", "high", "low", "close", "volume", "is_fill_forward")

    def __init__(self, time: datetime | None = None, symbol: Symbol | None = None, open: float = 0.0,
                 high: float = 0.0, low: float = 0.0, close: float = 0.0, volume: float = 0.0,
                 period: timedelta = timedelta(minutes=1), end_time: datetime | None = None,
                 is_fill_forward: bool = False) -> None:
        self.symbol = symbol
        self.time = time
        self.end_time = end_time if end_time is not None else (time + period if time is not None else None)
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.is_fill_forward = is_fill_forward

    def __repr__(self) -> str:
        return (f"{self.symbol}: O: {self.open} H: {self.high} L: {self.low} C: {self.close} V: {self.volume}"
                f" ({self.time} -> {self.end_time})")


@lean_api
class QuoteBar(BaseBar):
    """Bid and ask bars; OHLC are the mid when both sides exist, else the side present (spec §1.4)."""

    __slots__ = ("symbol", "time", "end_time", "bid", "ask", "last_bid_size", "last_ask_size", "is_fill_forward")

    def __init__(self, time: datetime | None = None, symbol: Symbol | None = None, bid: Bar | None = None,
                 last_bid_size: float = 0.0, ask: Bar | None = None, last_ask_size: float = 0.0,
                 period: timedelta = timedelta(minutes=1), end_time: datetime | None = None,
                 is_fill_forward: bool = False) -> None:
        self.symbol = symbol
        self.time = time
        self.end_time = end_time if end_time is not None else (time + period if time is not None else None)
        self.bid = bid
        self.ask = ask
        self.last_bid_size = last_bid_size
        self.last_ask_size = last_ask_size
        self.is_fill_forward = is_fill_forward

    def _mid(self, field: str) -> float:
        bid = getattr(self.bid, field) if self.bid is not None else 0.0
        ask = getattr(self.ask, field) if self.ask is not None else 0.0
        if bid and ask:
            return (bid + ask) / 2
        return bid or ask

    @property
    def open(self) -> float:
        return self._mid("open")

    @property
    def high(self) -> float:
        return self._mid("high")

    @property
    def low(self) -> float:
        return self._mid("low")

    @property
    def close(self) -> float:
        return self._mid("close")

    def __repr__(self) -> str:
        return f"{self.symbol}: bid {self.bid} ask {self.ask} ({self.time} -> {self.end_time})"
