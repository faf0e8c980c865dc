"""Delistings (Common/Data/Market/Delisting.cs, Engine/DataFeeds/Enumerators/DelistingEventProvider.cs,
Engine/DataFeeds/UniverseSelection.cs HandleDelisting).

A ticker's map file ends on its delisting date D. Its trade subscription delivers a Warning at the start of
the first trading day on or after D and a Delisted event (dated D + 1 day) at the start of the first trading
day after D; the subscription fills forward no further. When Delisted arrives the security is marked delisted
and untradable before the algorithm sees the slice, and leaves the algorithm's securities changes as removed.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from pylean.enums import _add_pascal_aliases, _LeanIntEnum
from pylean.naming import lean_api
from pylean.symbols import Symbol

ONE_DAY = timedelta(days=1)
LAST_LISTED_YEAR = 2049  # map files of listed tickers end on 2050-12-31 (Lean's end of time for them)


class DelistingType(_LeanIntEnum):
    WARNING = 0
    DELISTED = 1


_add_pascal_aliases(DelistingType)


@lean_api
class Delisting:
    __slots__ = ("symbol", "time", "price", "type")

    def __init__(self, symbol: Symbol, time: datetime, price: float, type: DelistingType) -> None:  # noqa: A002
        self.symbol = symbol
        self.time = time
        self.price = price
        self.type = type

    @property
    def value(self) -> float:
        return self.price

    @property
    def end_time(self) -> datetime:
        return self.time

    def __repr__(self) -> str:
        kind = "Delisting warning" if self.type == DelistingType.WARNING else "Delisted"
        return f"{kind}: {self.symbol} {self.price}"


def delisting_date(config: Any) -> date | None:
    """The subscription's delisting date, or None for a ticker that is still listed."""
    map_file = config.map_file
    if map_file is None or not getattr(map_file, "has_file", True):
        return None
    last = map_file.delisting_date
    return last if last.year <= LAST_LISTED_YEAR else None


def delisting_events(config: Any, is_trading_day: Any) -> list[tuple[date, Delisting]]:
    """(the trading day whose first step delivers it, the event) for the Warning and the Delisted event."""
    last = delisting_date(config)
    if last is None:
        return []
    warning_day = last
    while not is_trading_day(warning_day):
        warning_day += ONE_DAY
    delisted_day = last + ONE_DAY
    while not is_trading_day(delisted_day):
        delisted_day += ONE_DAY
    at = datetime(last.year, last.month, last.day)
    return [(warning_day, Delisting(config.symbol, at, 0.0, DelistingType.WARNING)),
            (delisted_day, Delisting(config.symbol, at + ONE_DAY, 0.0, DelistingType.DELISTED))]


def past_delisting(config: Any, d: date) -> bool:
    """After its delisting date a subscription emits nothing, not even fill-forward copies."""
    last = delisting_date(config)
    return last is not None and d > last


def apply_delistings(runtime: Any, events: list[Any]) -> None:
    """At the step delivering them: each event gets the security's last price; a Delisted security stops
    trading and is reported removed."""
    for event in events:
        if type(event) is not Delisting or event.symbol not in runtime.securities:
            continue
        security = runtime.securities[event.symbol]
        event.price = security.price
        if event.type == DelistingType.DELISTED and not security.is_delisted:
            security.is_delisted = True
            security.is_tradable = False
            runtime.pending_changes.removed.append(security)
