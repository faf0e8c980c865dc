"""Symbol changes (Common/Data/Market/SymbolChangedEvent.cs, Engine/DataFeeds/Enumerators/MappingEventProvider.cs):
a security's ticker remapped by its map file, delivered at midnight of the first tradable date it applies to."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Callable

from pylean.naming import lean_api
from pylean.symbols import Symbol


@lean_api
class SymbolChangedEvent:
    """The security's ticker changed on `time` (a map file row): `old_symbol` -> `new_symbol`."""

    __slots__ = ("symbol", "time", "old_symbol", "new_symbol")

    def __init__(self, symbol: Symbol, time: datetime, old_symbol: str, new_symbol: str) -> None:
        self.symbol = symbol
        self.time = time
        self.old_symbol = old_symbol
        self.new_symbol = new_symbol

    end_time = property(lambda self: self.time)
    value = property(lambda self: 0.0)

    def __repr__(self) -> str:
        return f"{self.time:%Y-%m-%d} {self.old_symbol}->{self.new_symbol}"


def symbol_change_dates(map_file: Any, is_trading_day: Callable[[date], bool]) -> list[tuple[date, str, str]]:
    """(date, old ticker, new ticker) of each remapping: on the first tradable date after a map row whose
    following row names another ticker, the mapped ticker (the first row dated on or after the date) changes."""
    rows = getattr(map_file, "rows", None) or []
    changes = []
    for row, following in zip(rows, rows[1:]):
        if following.ticker == row.ticker:
            continue
        day = row.date + timedelta(days=1)
        while not is_trading_day(day) and day < following.date:
            day += timedelta(days=1)
        changes.append((day, row.ticker, following.ticker))
    return changes


def symbol_changed_events(config: Any, is_trading_day: Callable[[date], bool]) -> list[tuple[date, SymbolChangedEvent]]:
    return [(day, SymbolChangedEvent(config.symbol, datetime(day.year, day.month, day.day), old, new))
            for day, old, new in symbol_change_dates(config.map_file, is_trading_day)]
