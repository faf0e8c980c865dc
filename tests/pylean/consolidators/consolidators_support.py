"""Consolidator tests' support: hand-built bars, a stand-in runtime and an engine-like step driver.

The driver calls the SubscriptionManager exactly as pylean/engine.py does at each time step: `scan(t)`
(step 2), then `feed(config, bar)` for every bar emitted at t and `scan(t)` again (step 14).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Iterable

from pylean.consolidators import SubscriptionManager
from pylean.data.market_data import Bar, QuoteBar, TradeBar
from pylean.data.subscription import SubscriptionDataConfig
from pylean.enums import Resolution
from pylean.securities import FeedCursor
from pylean.symbols import SecurityIdentifier, Symbol
from support.exchange_hours import us_equity_hours

SPY = Symbol(SecurityIdentifier("SPY", date(1998, 1, 2)), "SPY")
AAPL = Symbol(SecurityIdentifier("AAPL", date(1998, 1, 2)), "AAPL")
EARLY_CLOSE = date(2013, 11, 29)   # 13:00 close (the day after Thanksgiving)
HOLIDAY = date(2013, 11, 28)


HOURS = us_equity_hours(HOLIDAY, EARLY_CLOSE)


class _Securities(dict):
    """Ticker-indexable like SecurityManager."""

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, str(key).upper())

    def __getitem__(self, key: Any) -> Any:
        return dict.__getitem__(self, str(key).upper())


@dataclass
class _Security:
    symbol: Symbol


@dataclass
class _Feed:
    configs: list[SubscriptionDataConfig] = field(default_factory=list)


class FakeRuntime:
    """The attributes SubscriptionManager reads from AlgorithmRuntime."""

    def __init__(self) -> None:
        self.feed = _Feed()
        self.securities = _Securities()
        self.hours = HOURS
        self.cursor = FeedCursor()
        self.subscription_manager = SubscriptionManager(self)

    def subscribe(self, symbol: Symbol, resolution: Resolution, kind: str = "trade") -> SubscriptionDataConfig:
        config = SubscriptionDataConfig(symbol, resolution, kind)
        self.feed.configs.append(config)
        self.securities[symbol.value] = _Security(symbol)
        return config


def trade(start: datetime, o: float, h: float, low: float, c: float, v: float = 100.0,
          period: timedelta = timedelta(seconds=1), symbol: Symbol = SPY, ff: bool = False) -> TradeBar:
    return TradeBar(start, symbol, o, h, low, c, 0.0 if ff else v, end_time=start + period, is_fill_forward=ff)


def flat(start: datetime, price: float, v: float = 100.0, period: timedelta = timedelta(seconds=1),
         symbol: Symbol = SPY) -> TradeBar:
    return trade(start, price, price, price, price, v, period, symbol)


def fill_forward(bar: TradeBar, start: datetime) -> TradeBar:
    """Lean's FF copy: same OHLC, volume 0, new times."""
    return trade(start, bar.open, bar.high, bar.low, bar.close, 0.0, bar.end_time - bar.time, bar.symbol, ff=True)


def quote(start: datetime, bid: tuple[float, float, float, float] | None, ask: tuple[float, float, float, float] | None,
          bid_size: float = 100.0, ask_size: float = 200.0, period: timedelta = timedelta(minutes=1),
          symbol: Symbol = SPY) -> QuoteBar:
    return QuoteBar(start, symbol, Bar(*bid) if bid else None, bid_size, Bar(*ask) if ask else None, ask_size,
                    end_time=start + period)


@dataclass
class Emission:
    """A consolidated bar and the algorithm clock when the handler saw it."""

    clock: datetime
    bar: Any


class Driver:
    """Steps the SubscriptionManager like the engine and records every consolidator output."""

    def __init__(self, runtime: FakeRuntime) -> None:
        self.rt = runtime
        self.manager = runtime.subscription_manager
        self.outputs: list[Emission] = []

    def record(self, consolidator: Any) -> Any:
        consolidator.data_consolidated += lambda sender, bar: self.outputs.append(Emission(self.rt.cursor.time, bar))
        return consolidator

    def step(self, now: datetime, bars: Iterable[tuple[SubscriptionDataConfig, Any]] = ()) -> None:
        manager, cursor = self.manager, self.rt.cursor
        cursor.time = now
        manager.scan(now)                      # 2. consolidators whose period ended before now
        cursor.time = now                      # 3. the clock
        for config, bar in bars:               # 14. this step's bars, then a scan at now
            if config.consolidators:
                manager.feed(config, bar)
        manager.scan(now)

    def run(self, config: SubscriptionDataConfig, bars: Iterable[Any]) -> None:
        """One step per bar, at the bar's end time."""
        for bar in bars:
            self.step(bar.end_time, [(config, bar)])

    def spans(self) -> list[tuple[str, str, str]]:
        """(clock, bar start, bar end) of each output as HH:MM:SS strings."""
        return [(f"{e.clock:%H:%M:%S}", f"{e.bar.time:%H:%M:%S}", f"{e.bar.end_time:%H:%M:%S}") for e in self.outputs]


def seconds(day: date, start: str, count: int) -> list[datetime]:
    """`count` consecutive second starts from "HH:MM:SS"."""
    first = datetime.combine(day, time.fromisoformat(start))
    return [first + timedelta(seconds=i) for i in range(count)]


def minutes(day: date, start: str, end: str) -> list[datetime]:
    """Minute starts in [start, end)."""
    t = datetime.combine(day, time.fromisoformat(start))
    stop = datetime.combine(day, time.fromisoformat(end))
    out = []
    while t < stop:
        out.append(t)
        t += timedelta(minutes=1)
    return out
