"""Universes whose selection is a user function of time: `add_universe(name, selector)` (UserDefinedUniverse,
one selection per trading day at midnight) and ScheduledUniverse (a date rule and a time rule)."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Callable, Iterable

from pylean.naming import lean_api
from pylean.symbols import Symbol
from pylean.universe.base import UNCHANGED, Universe


def to_symbols(selected: Any) -> Any:
    """A selector's result as Symbols (tickers become US-equity Symbols); Unchanged and None pass through."""
    if selected is UNCHANGED or selected is None:
        return selected
    return [s if isinstance(s, Symbol) else Symbol.create(str(s)) for s in selected]


def universe_symbol(name: str) -> Symbol:
    return Symbol.create(name)


@lean_api
class UserDefinedUniverse(Universe):
    """Selects with `selector(local_time)` at the start and then at midnight of each trading day."""

    def __init__(self, name: str, selector: Callable[[datetime], Any], universe_settings: Any = None,
                 interval: timedelta = timedelta(days=1)) -> None:
        super().__init__(universe_symbol(name), universe_settings)
        self.__dict__["_pylean_selector"] = selector
        self.__dict__["_pylean_interval"] = interval

    def trigger_times(self, start: datetime, end: datetime, hours: Any) -> Iterable[datetime]:
        # UserDefinedUniverse.GetTriggerTimes: the start itself, then every interval the exchange is open in
        interval = self.__dict__["_pylean_interval"]
        yield start
        when = start + interval
        while when <= end:
            if hours.is_trading_day(when.date()):
                yield when
            when += interval

    def select_symbols(self, local_time: datetime, data: Any) -> Any:
        return to_symbols(self.__dict__["_pylean_selector"](local_time))


@lean_api
class ScheduledUniverse(Universe):
    """ScheduledUniverse(date_rule, time_rule, selector[, settings]): selects at the rules' times."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        rest = list(args)
        # Lean's overloads: (dateRule, timeRule, selector[, settings]) and (timeZone, dateRule, timeRule, ...)
        if rest and not hasattr(rest[0], "get_dates"):
            rest.pop(0)
        date_rule = kwargs.get("date_rule", rest[0] if rest else None)
        time_rule = kwargs.get("time_rule", rest[1] if len(rest) > 1 else None)
        selector = kwargs.get("selector", rest[2] if len(rest) > 2 else None)
        settings = kwargs.get("settings", kwargs.get("universe_settings", rest[3] if len(rest) > 3 else None))
        super().__init__(universe_symbol(f"scheduled-universe-{id(self)}"), settings)
        self.__dict__["_pylean_rules"] = (date_rule, time_rule, selector)

    def trigger_times(self, start: datetime, end: datetime, hours: Any) -> Iterable[datetime]:
        date_rule, time_rule, _ = self.__dict__["_pylean_rules"]
        dates = list(date_rule.get_dates(start.date(), end.date()))
        for when in time_rule.create_event_times(dates):
            if start <= when <= end:
                yield when

    def select_symbols(self, local_time: datetime, data: Any) -> Any:
        return to_symbols(self.__dict__["_pylean_rules"][2](local_time))
