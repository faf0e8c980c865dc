"""`algorithm.universe_manager` (Lean's UniverseManager as QCAlgorithm shows it): the run's universes keyed by
their symbols, and `active_securities`, the securities some universe holds."""
from __future__ import annotations

from typing import Any, Iterator

from pylean.naming import lean_api


def universe_key(universe: Any) -> Any:
    found = universe.__dict__.get("_pylean_symbol") if hasattr(universe, "__dict__") else None
    return found if found is not None else getattr(universe, "_key", id(universe))


@lean_api
class UniverseManagerView:
    def __init__(self, rt: Any) -> None:
        self._rt = rt

    def _universes(self) -> dict[Any, Any]:
        manager = getattr(self._rt, "universe_manager", None)
        found: dict[Any, Any] = {}
        for universe in (manager.universes + manager.external) if manager is not None else []:
            found.setdefault(universe_key(universe), universe)
        return found

    @property
    def count(self) -> int:
        return len(self._universes())

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Any]:
        return iter(self._universes())

    def keys(self) -> list[Any]:
        return list(self._universes())

    def values(self) -> list[Any]:
        return list(self._universes().values())

    def items(self) -> list[tuple[Any, Any]]:
        return list(self._universes().items())

    def __getitem__(self, key: Any) -> Any:
        return self._universes()[key]

    def contains_key(self, key: Any) -> bool:
        return key in self._universes()

    __contains__ = contains_key

    @property
    def active_securities(self) -> "_ActiveSecurities":
        securities = self._rt.securities
        active: dict[Any, Any] = {}
        for universe in self._universes().values():
            members = universe.__dict__.get("_pylean_members")
            if members is not None:
                for symbol, (security, _) in members.items():
                    active.setdefault(symbol, security)
            for symbol in getattr(universe, "symbols", ()):  # a manual universe: its fixed symbols
                if symbol in securities:
                    active.setdefault(symbol, securities[symbol])
        return _ActiveSecurities(active)


class _ActiveSecurities(dict):
    @property
    def count(self) -> int:
        return len(self)

    Count = count

    def contains_key(self, key: Any) -> bool:
        return key in self

    ContainsKey = contains_key
