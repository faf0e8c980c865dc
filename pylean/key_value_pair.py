"""What iterating a Lean dictionary from Python yields (pythonnet's KeyValuePair): `.key` and `.value`, in both
spellings. Lean's own Python framework modules iterate `algorithm.securities` this way."""
from __future__ import annotations

from typing import Any


class KeyValuePair:
    __slots__ = ("key", "value")

    def __init__(self, key: Any, value: Any) -> None:
        self.key = key
        self.value = value

    @property
    def Key(self) -> Any:  # noqa: N802 - .NET's spelling
        return self.key

    @property
    def Value(self) -> Any:  # noqa: N802 - .NET's spelling
        return self.value

    def __repr__(self) -> str:
        return f"[{self.key}, {self.value}]"
