"""The universe base (Common/Data/UniverseSelection/Universe.cs): a selector of symbols, its settings and members.

A pylean universe says when it selects (`trigger_times`, local exchange times) and what it selects
(`select(local_time, data)`); UniverseSelection (selection.py) turns the selection into added and removed
securities. Engine state lives in `_pylean_*` attributes so a user subclass can use any public name.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Iterable

from pylean.naming import lean_api


class _Unchanged:
    """Lean's Universe.Unchanged: the selection keeps the current members."""

    def __repr__(self) -> str:
        return "Universe.Unchanged"

    def __iter__(self):  # an empty enumerable, as Lean's
        return iter(())


UNCHANGED = _Unchanged()


@lean_api
class Universe:
    Unchanged = UNCHANGED
    UNCHANGED = UNCHANGED
    first_data_starts_feed = False  # see ETFConstituentsUniverse

    def __init__(self, symbol: Any = None, universe_settings: Any = None) -> None:
        self.__dict__["_pylean_symbol"] = symbol
        self.__dict__["_pylean_settings"] = universe_settings
        self.__dict__["_pylean_members"] = {}   # Symbol -> (Security, added local time)
        self.__dict__["_pylean_selected"] = set()

    # ---- what users see
    @property
    def universe_settings(self) -> Any:
        return self.__dict__["_pylean_settings"]

    @universe_settings.setter
    def universe_settings(self, value: Any) -> None:
        self.__dict__["_pylean_settings"] = value

    @property
    def configuration(self) -> Any:
        return _Configuration(self.__dict__["_pylean_symbol"])

    @property
    def members(self) -> dict[Any, Any]:
        return {s: m[0] for s, m in self.__dict__["_pylean_members"].items()}

    securities = members

    @property
    def selected(self) -> set[Any]:
        return set(self.__dict__["_pylean_selected"])

    def contains_member(self, symbol: Any) -> bool:
        return symbol in self.__dict__["_pylean_members"]

    def can_remove_member(self, local_time: datetime, security: Any) -> bool:
        """Members stay at least `minimum_time_in_universe` (UniverseSettings, one day by default)."""
        member = self.__dict__["_pylean_members"].get(security.symbol)
        if member is None:
            return True
        minimum = getattr(self.universe_settings, "minimum_time_in_universe", timedelta(days=1))
        return member[1] + (minimum or timedelta(0)) <= local_time

    # ---- what the engine asks
    def trigger_times(self, start: datetime, end: datetime, hours: Any) -> Iterable[datetime]:
        """Local times at which this universe selects, in [start, end] (data-driven universes: their data times)."""
        return ()

    def selection_data(self, local_time: datetime) -> Any:
        """The data handed to `select_symbols` at a trigger (None: the trigger carries no data)."""
        return None

    def data_points(self, data: Any) -> int:
        """How many data points Lean counts for one trigger of this universe."""
        return 1

    def select_symbols(self, local_time: datetime, data: Any) -> Iterable[Any]:
        raise NotImplementedError("a Universe subclass implements select_symbols(time, data)")


class _Configuration:
    __slots__ = ("symbol",)

    def __init__(self, symbol: Any) -> None:
        self.symbol = symbol

    @property
    def Symbol(self) -> Any:  # noqa: N802 - Lean's PascalCase
        return self.symbol


def each_day(start: date, end: date) -> Iterable[date]:
    d = start
    while d <= end:
        yield d
        d += timedelta(days=1)
