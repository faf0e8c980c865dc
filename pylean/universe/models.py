"""Universe selection models that create pylean universes (Algorithm.Framework/Selection): Custom,
InceptionDate, Scheduled and ETF constituents. Their state is kept in `_pylean_*` entries of the instance
dictionary, so a user subclass can use any public name."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Callable

from pylean.framework.selection import UniverseSelectionModel
from pylean.naming import lean_api, user_method
from pylean.symbols import Symbol
from pylean.universe.base import UNCHANGED
from pylean.universe.file_universes import ETFConstituentsUniverse
from pylean.universe.fundamental import FundamentalUniverse
from pylean.universe.user_defined import ScheduledUniverse, UserDefinedUniverse


@lean_api
class CustomUniverseSelectionModel(UniverseSelectionModel):
    """CustomUniverseSelectionModel(name, selector): one user-defined universe selecting daily with
    `select(algorithm, date)` (the selector by default; subclasses override select)."""

    def __init__(self, *args: Any) -> None:
        super().__init__()
        rest = list(args)
        if rest and not isinstance(rest[0], str):  # (security_type, name, market, selector, settings, interval)
            rest = [rest[1], rest[3]] + ([rest[4]] if len(rest) > 4 else []) + ([rest[5]] if len(rest) > 5 else [])
        self.__dict__["_pylean_name"] = rest[0]
        self.__dict__["_pylean_selector"] = rest[1] if len(rest) > 1 else None
        self.__dict__["_pylean_settings"] = rest[2] if len(rest) > 2 else None
        self.__dict__["_pylean_interval"] = rest[3] if len(rest) > 3 else timedelta(days=1)

    def create_universes(self, algorithm: Any) -> list[Any]:
        state = self.__dict__
        settings = state["_pylean_settings"] or algorithm.universe_settings
        name = f"{state['_pylean_name']}-EQUITY-USA"
        select = user_method(self, "select")
        return [UserDefinedUniverse(name, lambda when: select(algorithm, when), settings, state["_pylean_interval"])]

    def select(self, algorithm: Any, date: datetime) -> Any:
        selector = self.__dict__["_pylean_selector"]
        if selector is None:
            raise ValueError("CustomUniverseSelectionModel: no selector")
        return selector(date)

    def __str__(self) -> str:
        return f"{self.__dict__['_pylean_name']}-EQUITY-USA"


@lean_api
class InceptionDateUniverseSelectionModel(CustomUniverseSelectionModel):
    """Adds each ticker once its inception date has come, and keeps it (Unchanged when nothing new)."""

    def __init__(self, name: str, tickers_by_date: dict[str, datetime]) -> None:
        super().__init__(name, None)
        self.__dict__["_pylean_queue"] = list(dict(tickers_by_date).items())
        self.__dict__["_pylean_tickers"] = []

    def select(self, algorithm: Any, date: datetime) -> Any:
        queue, tickers = self.__dict__["_pylean_queue"], self.__dict__["_pylean_tickers"]
        added = []
        while queue and queue[0][1] <= date:
            added.append(queue.pop(0)[0])
        if not added:
            return UNCHANGED
        tickers.extend(added)
        return list(tickers)


@lean_api
class ScheduledUniverseSelectionModel(UniverseSelectionModel):
    """ScheduledUniverseSelectionModel([time_zone,] date_rule, time_rule, selector[, settings])."""

    def __init__(self, *args: Any) -> None:
        super().__init__()
        rest = list(args)
        if rest and not hasattr(rest[0], "get_dates"):
            rest.pop(0)  # a time zone: pylean's rules produce New York times
        self.__dict__["_pylean_args"] = rest

    def create_universes(self, algorithm: Any) -> list[Any]:
        date_rule, time_rule, selector, *settings = self.__dict__["_pylean_args"]
        return [ScheduledUniverse(date_rule, time_rule, selector,
                                  (settings[0] if settings else None) or algorithm.universe_settings)]


@lean_api
class ETFConstituentsUniverseSelectionModel(UniverseSelectionModel):
    """ETFConstituentsUniverseSelectionModel(etf, [settings], [filter]): the ETF's constituents universe."""

    def __init__(self, etf_symbol: Any, universe_settings: Any = None,
                 universe_filter_func: Callable[[list[Any]], Any] | None = None) -> None:
        super().__init__()
        if callable(universe_settings) and universe_filter_func is None:
            universe_settings, universe_filter_func = None, universe_settings
        symbol = etf_symbol if isinstance(etf_symbol, Symbol) else Symbol.create(str(etf_symbol))
        self.__dict__["_pylean_args"] = (symbol, universe_settings, universe_filter_func)
        self.__dict__["_pylean_universe"] = None

    def create_universes(self, algorithm: Any) -> list[Any]:
        if self.__dict__["_pylean_universe"] is None:
            symbol, settings, chosen = self.__dict__["_pylean_args"]
            self.__dict__["_pylean_universe"] = ETFConstituentsUniverse(symbol, settings or algorithm.universe_settings,
                                                                        chosen)
        return [self.__dict__["_pylean_universe"]]


@lean_api
class FundamentalUniverseSelectionModel(UniverseSelectionModel):
    """FundamentalUniverseSelectionModel(selector[, settings]): one fundamental universe (Lean's C# model).
    Subclasses may override `select(algorithm, fundamental)` instead of passing a selector."""

    def __init__(self, *args: Any) -> None:
        super().__init__()
        selector = next((a for a in args if callable(a) and not isinstance(a, bool)), None)
        settings = next((a for a in args if hasattr(a, "resolution") and hasattr(a, "fill_forward")), None)
        self.__dict__["_pylean_args"] = (selector, settings)

    def create_universes(self, algorithm: Any) -> list[Any]:
        selector, settings = self.__dict__["_pylean_args"]
        select = user_method(self, "select")
        chosen = selector if selector is not None else (lambda fundamental: select(algorithm, fundamental))
        return [FundamentalUniverse(chosen, settings or algorithm.universe_settings)]

    def select(self, algorithm: Any, fundamental: list[Any]) -> Any:
        raise NotImplementedError("FundamentalUniverseSelectionModel: give a selector or override select")


@lean_api
class CoarseFundamentalUniverseSelectionModel(FundamentalUniverseSelectionModel):
    """CoarseFundamentalUniverseSelectionModel(coarse_selector[, settings])."""
