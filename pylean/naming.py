"""Both spellings Lean's Python API accepts (pythonnet's snake_case and .NET's PascalCase), from one definition."""
from __future__ import annotations

import re
from typing import Any, TypeVar

T = TypeVar("T")

# Words whose PascalCase is not a plain capitalisation (Lean: IsUSA, GetMaximumOrderQuantity...).
_SPECIAL_WORDS = {"id": "Id", "utc": "Utc", "moo": "MOO", "moc": "MOC"}


def to_pascal(snake: str) -> str:
    """`set_holdings` -> `SetHoldings`; `is_warming_up` -> `IsWarmingUp`."""
    return "".join(_SPECIAL_WORDS.get(part, part[:1].upper() + part[1:]) for part in snake.split("_") if part)


_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def to_snake(pascal: str) -> str:
    """`SetHoldings` -> `set_holdings`; `OrderID` -> `order_id`."""
    return _CAMEL_BOUNDARY.sub("_", pascal).lower()


def lean_api(cls: type[T]) -> type[T]:
    """Class decorator: give every public snake_case attribute a PascalCase alias.

    Methods, properties and class constants defined on `cls` itself are aliased once at class
    creation, so lookups by either name cost the same (no __getattr__ on the hot path).
    """
    for name, value in list(vars(cls).items()):
        if name.startswith("_") or not name.islower():
            continue
        alias = to_pascal(name)
        if alias != name and alias not in vars(cls):
            setattr(cls, alias, value)
    if "__getattr__" not in vars(cls) and not any("__getattr__" in vars(base) for base in cls.__mro__[1:-1]):
        cls.__getattr__ = _pascal_getattr  # type: ignore[attr-defined]
    return cls


def _pascal_getattr(self: Any, name: str) -> Any:
    """Read fallback for PascalCase names of instance attributes (`security.Symbol` -> `symbol`).

    Python calls __getattr__ only after the normal lookup failed, so snake_case access pays nothing.
    """
    if name[:1].isupper():
        try:
            return object.__getattribute__(self, to_snake(name))
        except AttributeError:
            pass
    raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")


def lean_enum(cls: type[T]) -> type[T]:
    """Class decorator for Lean enums written as UPPER_SNAKE constants: add PascalCase aliases.

    Lean's Python enums accept `Resolution.MINUTE` and `Resolution.Minute`.
    """
    for name, value in list(vars(cls).items()):
        if name.startswith("_") or not name.isupper():
            continue
        alias = to_pascal(name.lower())
        if alias not in vars(cls):
            setattr(cls, alias, value)
    return cls


def alias_attributes(obj_cls: type[Any], names: list[str]) -> None:
    """Alias instance attributes stored in __slots__ (`quantity` -> `Quantity`) through properties."""
    for name in names:
        alias = to_pascal(name)
        if alias in vars(obj_cls):
            continue
        setattr(obj_cls, alias, property(lambda self, _n=name: getattr(self, _n),
                                         lambda self, v, _n=name: setattr(self, _n, v)))


def user_method(obj: Any, snake: str) -> Any:
    """The bound method a user subclass meant, whichever spelling it used.

    Walks the MRO from the most derived class; the first class that defines either `snake` or its
    PascalCase alias wins. Our own base classes define both (the alias generated), so a user
    override in either spelling takes precedence over the base implementation.
    """
    pascal = to_pascal(snake)
    for klass in type(obj).__mro__:
        namespace = vars(klass)
        if snake in namespace:
            return getattr(obj, snake)
        if pascal in namespace:
            return getattr(obj, pascal)
    return None
