"""A .NET-style event Python code subscribes to with `+=` (QCAlgorithm.InsightsGenerated)."""
from __future__ import annotations

from typing import Any, Callable


class AlgorithmEvent:
    def __init__(self) -> None:
        self._handlers: list[Callable[..., Any]] = []

    def __iadd__(self, handler: Callable[..., Any]) -> "AlgorithmEvent":
        self._handlers.append(handler)
        return self

    def __isub__(self, handler: Callable[..., Any]) -> "AlgorithmEvent":
        if handler in self._handlers:
            self._handlers.remove(handler)
        return self

    def __bool__(self) -> bool:
        return bool(self._handlers)

    def __call__(self, *args: Any) -> None:
        for handler in list(self._handlers):
            handler(*args)
