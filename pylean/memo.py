"""Bounded memos: a run meets the same prices, quantities and times thousands of times, so texts and
conversions made from them are worth keeping, but a long run's distinct values must not pile up."""
from __future__ import annotations

from typing import Any, Callable

DEFAULT_LIMIT = 100_000


class BoundedMemo(dict):  # type: ignore[type-arg]
    """`memo[key]` is `make(key)`, made once per key; past `limit` keys the memo starts over.
    A dict subclass so that a hit is a plain dict look-up."""

    __slots__ = ("_make", "_limit")

    def __init__(self, make: Callable[[Any], Any], limit: int = DEFAULT_LIMIT) -> None:
        super().__init__()
        self._make = make
        self._limit = limit

    def __missing__(self, key: Any) -> Any:
        if len(self) >= self._limit:
            self.clear()
        value = self[key] = self._make(key)
        return value


class ListMemo:
    """`memo(values)` is `make(values)` for a list, kept while that list object keeps its length (a
    security's subscriptions: appended to, never edited in place). Lists are not hashable, so the memo is
    keyed by id and holds the list itself (its id stays its own); past `limit` lists it starts over."""

    __slots__ = ("_make", "_limit", "_known")

    def __init__(self, make: Callable[[list[Any]], Any], limit: int = 10_000) -> None:
        self._make = make
        self._limit = limit
        self._known: dict[int, tuple[list[Any], int, Any]] = {}

    def __call__(self, values: list[Any]) -> Any:
        known = self._known.get(id(values))
        if known is not None and known[0] is values and known[1] == len(values):
            return known[2]
        result = self._make(values)
        if len(self._known) >= self._limit:
            self._known.clear()
        self._known[id(values)] = (values, len(values), result)
        return result
