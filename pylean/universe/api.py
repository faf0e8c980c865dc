"""QCAlgorithm's universe members: `add_universe` in its Lean forms and `universe` (UniverseDefinitions:
`self.universe.etf(...)`). The universes themselves live in the run's UniverseManager, not on the algorithm."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from pylean.algorithm_state import ctx_of
from pylean.enums import Resolution
from pylean.naming import lean_api
from pylean.symbols import Symbol
from pylean.universe.base import Universe
from pylean.universe.file_universes import ETFConstituentsUniverse
from pylean.universe.fundamental import FundamentalUniverse
from pylean.universe.manager import manager_of
from pylean.universe.manager_view import UniverseManagerView
from pylean.universe.user_defined import UserDefinedUniverse

_RESOLUTION_SPAN = {Resolution.DAILY: timedelta(days=1), Resolution.HOUR: timedelta(hours=1),
                    Resolution.MINUTE: timedelta(minutes=1), Resolution.SECOND: timedelta(seconds=1)}


def _is_settings(value: Any) -> bool:
    return hasattr(value, "resolution") and hasattr(value, "fill_forward")


def algorithm_settings(algorithm: Any) -> Any:
    return getattr(algorithm, "universe_settings", None)


def universe_default(algorithm: Any, name: str, fallback: Any) -> Any:
    """A subscription default Lean takes from the algorithm's UniverseSettings (resolution, normalization)."""
    value = getattr(algorithm_settings(algorithm), name, None)
    return type(fallback)(value) if value is not None else fallback




def register(algorithm: Any, universe: Universe) -> Universe:
    """Lean's AddUniverse(Universe): a universe without settings takes the algorithm's."""
    if universe.universe_settings is None:
        universe.universe_settings = algorithm_settings(algorithm)
    return manager_of(ctx_of(algorithm)).add(universe)


@lean_api
class UniverseDefinitions:
    """`self.universe`: helpers that build universes (Algorithm/UniverseDefinitions.cs)."""

    def __init__(self, algorithm: Any) -> None:
        self._algorithm = algorithm

    def etf(self, etf_ticker: Any, *args: Any, universe_settings: Any = None,
            universe_filter_func: Any = None, market: str | None = None) -> Universe:
        for arg in args:
            if _is_settings(arg):
                universe_settings = arg
            elif callable(arg):
                universe_filter_func = arg
            elif isinstance(arg, str):
                market = arg
        algorithm = self._algorithm
        symbol = etf_ticker if isinstance(etf_ticker, Symbol) else Symbol.create(str(etf_ticker))
        return ETFConstituentsUniverse(symbol, universe_settings or algorithm_settings(algorithm),
                                       universe_filter_func)


@lean_api
class UniverseMixin:
    def add_universe(self, *args: Any, **kwargs: Any) -> Universe:
        if len(args) == 1 and isinstance(args[0], Universe):
            return register(self, args[0])
        if args and isinstance(args[0], str):  # (name, [resolution,] selector)
            name, rest = args[0], list(args[1:])
            selector: Any = kwargs.get("selector", rest[-1] if rest else None)
            resolution = kwargs.get("resolution", rest[0] if len(rest) > 1 else Resolution.DAILY)
            universe = UserDefinedUniverse(name, selector, algorithm_settings(self),
                                           _RESOLUTION_SPAN.get(Resolution(resolution), timedelta(days=1)))
            return register(self, universe)
        if args and callable(args[0]) and not isinstance(args[0], type):  # (coarse[, fine]): fundamental data
            fine = args[1] if len(args) > 1 and callable(args[1]) else None
            return register(self, FundamentalUniverse(args[0], None, fine))
        raise NotImplementedError(f"pylean: add_universe{tuple(type(a).__name__ for a in args)} is not supported")

    @property
    def universe_manager(self) -> Any:
        own = self.__dict__.get("_pylean_user_universe_manager")
        return own if own is not None else UniverseManagerView(ctx_of(self))

    @universe_manager.setter
    def universe_manager(self, value: Any) -> None:  # the user's own attribute; the engine never reads this one
        self.__dict__["_pylean_user_universe_manager"] = value

    @property
    def universe(self) -> Any:
        own = self.__dict__.get("_pylean_user_universe")
        return own if own is not None else UniverseDefinitions(self)

    @universe.setter
    def universe(self, value: Any) -> None:  # a user attribute of that name shadows Lean's definitions
        self.__dict__["_pylean_user_universe"] = value

