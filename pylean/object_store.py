"""ObjectStore (Common/Storage/ObjectStore.cs): the algorithm's key -> bytes store. pylean keeps it in memory
for the run (a fresh, empty store each backtest), with Lean's text and bytes accessors."""
from __future__ import annotations

from typing import Any, Iterator

from pylean.naming import lean_api


@lean_api
class ObjectStore:
    def __init__(self) -> None:
        self._data: dict[str, bytes] = {}

    def contains_key(self, key: str) -> bool:
        return key in self._data

    def save(self, key: str, value: Any = None) -> bool:
        if isinstance(value, str):
            return self.save_bytes(key, value.encode("utf-8"))
        return self.save_bytes(key, bytes(value) if value is not None else b"")

    def save_string(self, key: str, text: str) -> bool:
        return self.save_bytes(key, text.encode("utf-8"))

    def save_bytes(self, key: str, contents: Any) -> bool:
        self._data[key] = bytes(contents)
        return True

    def read(self, key: str) -> str:
        return self.read_bytes(key).decode("utf-8")

    read_string = read

    def read_bytes(self, key: str) -> bytes:
        if key not in self._data:
            raise KeyError(f"This key '{key}' was not found in the object store")
        return self._data[key]

    def delete(self, key: str) -> bool:
        return self._data.pop(key, None) is not None

    @property
    def keys(self) -> list[str]:
        return list(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)
