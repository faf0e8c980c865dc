"""Universe selection model bases (Algorithm/Selection/): UniverseSelectionModel, ManualUniverseSelectionModel,
NullUniverseSelectionModel, CompositeUniverseSelectionModel.

A selection model creates universes. A manual universe is a fixed list of symbols: the framework adds them with
the universe settings when it starts (`ManualUniverse.apply`). Other universe kinds are handed to
`algorithm.add_universe`."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pylean.naming import lean_api, user_method
from pylean.symbol_cache import SymbolCache

NEVER = datetime.max  # Lean's DateTime.MaxValue: no refresh scheduled


@lean_api
class UniverseSelectionModel:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def get_next_refresh_time_utc(self) -> datetime:
        return NEVER

    def create_universes(self, algorithm: Any) -> list[Any]:
        raise NotImplementedError("Types deriving from 'UniverseSelectionModel' must implement the "
                                  "'IEnumerable<Universe> CreateUniverses(QCAlgorithm) method.")


IUniverseSelectionModel = UniverseSelectionModel


@lean_api
class NullUniverseSelectionModel(UniverseSelectionModel):
    def create_universes(self, algorithm: Any) -> list[Any]:
        return []


@lean_api
class ManualUniverse:
    """A fixed set of symbols subscribed with the given settings (Lean's ManualUniverse, a user-defined one)."""

    def __init__(self, symbols: list[Any], universe_settings: Any, key: str) -> None:
        self.symbols = list(symbols)
        self.universe_settings = universe_settings
        self._key = key

    def apply(self, algorithm: Any) -> list[Any]:
        """Add the symbols' securities; those already in the algorithm are kept as they are."""
        from pylean.algorithm_framework import add_universe_security

        return [add_universe_security(algorithm, symbol, self.universe_settings) for symbol in self.symbols]


@lean_api
class ManualUniverseSelectionModel(UniverseSelectionModel):
    """One universe of the given symbols (canonical ones dropped), under the algorithm's universe settings
    unless settings are given."""

    def __init__(self, *symbols: Any, universe_settings: Any = None) -> None:
        super().__init__()
        if len(symbols) == 2 and not _is_symbol(symbols[1]) and isinstance(symbols[0], (list, tuple, set)):
            symbols, universe_settings = tuple(symbols[0]), symbols[1]
        if len(symbols) == 1 and not _is_symbol(symbols[0]) and symbols[0] is not None:
            symbols = tuple(symbols[0])
        flat = [s for s in symbols if s is not None and not getattr(s, "is_canonical", lambda: False)()]
        for symbol in flat:
            SymbolCache.set(symbol.value, symbol)
        self.__dict__["_pylean_manual_symbols"] = flat
        self.__dict__["_pylean_universe_settings"] = universe_settings

    def create_universes(self, algorithm: Any) -> list[Any]:
        settings = self.__dict__["_pylean_universe_settings"] or algorithm.universe_settings
        symbols = self.__dict__["_pylean_manual_symbols"]
        if not symbols:
            return []
        key = "manual-universe-selection-model-" + ",".join(str(s.id) for s in symbols)
        return [ManualUniverse(symbols, settings, key)]


def _is_symbol(value: Any) -> bool:
    return hasattr(value, "id") and hasattr(value, "value") and not isinstance(value, (list, tuple, set, str))


@lean_api
class CompositeUniverseSelectionModel(UniverseSelectionModel):
    """The universes of several models; after the first call, only of those whose refresh is due."""

    def __init__(self, *universe_selection_models: Any) -> None:
        super().__init__()
        if len(universe_selection_models) == 1 and isinstance(universe_selection_models[0], (list, tuple)):
            universe_selection_models = tuple(universe_selection_models[0])
        if not universe_selection_models:
            raise ValueError("Must specify at least 1 universe selection model for the "
                             "CompositeUniverseSelectionModel")
        self.__dict__["_pylean_selection_models"] = list(universe_selection_models)
        self.__dict__["_pylean_created"] = False

    def add_universe_selection(self, universe_selection_model: Any) -> None:
        self.__dict__["_pylean_selection_models"].append(universe_selection_model)

    def get_next_refresh_time_utc(self) -> datetime:
        return min(user_method(m, "get_next_refresh_time_utc")() for m in self.__dict__["_pylean_selection_models"])

    def create_universes(self, algorithm: Any) -> list[Any]:
        universes: list[Any] = []
        now = algorithm.utc_time
        for model in self.__dict__["_pylean_selection_models"]:
            refresh = user_method(model, "get_next_refresh_time_utc")()
            if not self.__dict__["_pylean_created"] or now >= refresh or refresh == NEVER:
                universes.extend(user_method(model, "create_universes")(algorithm) or [])
        self.__dict__["_pylean_created"] = True
        return universes
