"""A Security's custom properties (Common/Securities/Security.cs is a DynamicObject): besides plain attribute
assignment, Python may use add(key, value), security[key], security.get[T](key), try_get and remove."""
from __future__ import annotations

from typing import Any


class _TypedGetter:
    __slots__ = ("_owner",)

    def __init__(self, owner: Any) -> None:
        self._owner = owner

    def __getitem__(self, _type: Any) -> Any:
        return self

    def __call__(self, key: str) -> Any:
        return self._owner[key]


class _GetDescriptor:
    def __get__(self, owner: Any, owner_type: Any = None) -> Any:
        return self if owner is None else _TypedGetter(owner)


class DynamicProperties:
    """Mixed into Security: the properties live in the instance's __dict__, as attributes do."""

    get = Get = _GetDescriptor()

    def add(self, key: str, value: Any) -> None:
        if key in self.__dict__:
            raise KeyError(f"An item with the same key has already been added. Key: {key}")
        setattr(self, key, value)

    def __getitem__(self, key: str) -> Any:
        try:
            return self.__dict__[key]
        except KeyError:
            raise KeyError(f"The given key '{key}' was not present in the dictionary.") from None

    def __setitem__(self, key: str, value: Any) -> None:
        setattr(self, key, value)

    def try_get(self, key: str, _value: Any = None) -> tuple[bool, Any]:
        return (True, self.__dict__[key]) if key in self.__dict__ else (False, None)

    def remove(self, key: str) -> bool:
        return self.__dict__.pop(key, _MISSING) is not _MISSING

    Add, TryGet, Remove = add, try_get, remove


_MISSING = object()
