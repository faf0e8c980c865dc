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
