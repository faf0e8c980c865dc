"""`System.Collections.Generic` as Lean projects use it: List, Dictionary, HashSet, KeyValuePair.

`List[Symbol]()` and `Dictionary[str, str]` work both as constructors and as type hints; the collections are
Python's own list/dict/set with the .NET member names added, as pythonnet's collection mixins present them.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class _Typed:
    """`Collection[T]` answers the collection class itself: the element type is not enforced."""

    def __class_getitem__(cls, item: Any) -> type:
        return cls


class List(_Typed, list):  # type: ignore[misc]
    def Add(self, item: Any) -> None:  # noqa: N802 - .NET's names
        self.append(item)

    def AddRange(self, items: Iterable[Any]) -> None:  # noqa: N802
        self.extend(items)

    def Contains(self, item: Any) -> bool:  # noqa: N802
        return item in self

    def Remove(self, item: Any) -> bool:  # noqa: N802
        if item in self:
            list.remove(self, item)
            return True
        return False

    def Clear(self) -> None:  # noqa: N802
        self.clear()

    def ToArray(self) -> list[Any]:  # noqa: N802
        return list(self)

    @property
    def Count(self) -> int:  # noqa: N802
        return len(self)

    add, add_range, contains, to_array = Add, AddRange, Contains, ToArray
    count = Count  # type: ignore[assignment]


class HashSet(_Typed, set):  # type: ignore[misc]
    def Add(self, item: Any) -> bool:  # noqa: N802
        added = item not in self
        set.add(self, item)
        return added

    def Contains(self, item: Any) -> bool:  # noqa: N802
        return item in self

    def Remove(self, item: Any) -> bool:  # noqa: N802
        found = item in self
        self.discard(item)
        return found

    @property
    def Count(self) -> int:  # noqa: N802
        return len(self)

    contains, count = Contains, Count


class Dictionary(_Typed, dict):  # type: ignore[misc]
    def Add(self, key: Any, value: Any) -> None:  # noqa: N802
        if key in self:
            raise ValueError(f"An item with the same key has already been added. Key: {key}")
        self[key] = value

    def ContainsKey(self, key: Any) -> bool:  # noqa: N802
        return key in self

    def Remove(self, key: Any) -> bool:  # noqa: N802
        return self.pop(key, _ABSENT) is not _ABSENT

    def Clear(self) -> None:  # noqa: N802
        self.clear()

    @property
    def Count(self) -> int:  # noqa: N802
        return len(self)

    @property
    def Keys(self) -> list[Any]:  # noqa: N802
        return list(self.keys())

    @property
    def Values(self) -> list[Any]:  # noqa: N802
        return list(self.values())

    add, contains_key, count = Add, ContainsKey, Count

    def __iter__(self) -> Any:
        """As pythonnet enumerates a .NET dictionary: key-value pairs (`keys()` gives the keys)."""
        return (KeyValuePair(key, value) for key, value in dict.items(self))


_ABSENT = object()


class KeyValuePair(_Typed):
    """One entry of a .NET dictionary, what iterating one yields: `.key` / `.value` (and .NET's `.Key` / `.Value`)."""

    __slots__ = ("key", "value")

    def __init__(self, key: Any, value: Any) -> None:
        self.key = key
        self.value = value

    @property
    def Key(self) -> Any:  # noqa: N802
        return self.key

    @property
    def Value(self) -> Any:  # noqa: N802
        return self.value

    def __iter__(self) -> Any:  # `for key, value in ...` unpacking, a Python convenience
        yield self.key
        yield self.value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KeyValuePair) and (self.key, self.value) == (other.key, other.value)

    def __hash__(self) -> int:
        return hash((self.key, self.value))

    def __repr__(self) -> str:
        return f"[{self.key}, {self.value}]"


IEnumerable = IList = ICollection = IReadOnlyList = Iterable
IDictionary = IReadOnlyDictionary = dict

__all__ = ["Dictionary", "HashSet", "ICollection", "IDictionary", "IEnumerable", "IList", "IReadOnlyDictionary",
           "IReadOnlyList", "KeyValuePair", "List"]
