"""Both spellings Lean's Python API accepts (pythonnet's snake_case and .NET's PascalCase), from one definition."""
from __future__ import annotations

import functools
from typing import Any, TypeVar

T = TypeVar("T")

# Words whose PascalCase is not a plain capitalisation (Lean: IsUSA, GetMaximumOrderQuantity...).
_SPECIAL_WORDS = {"id": "Id", "utc": "Utc", "moo": "MOO", "moc": "MOC"}


def to_pascal(snake: str) -> str:
    """`set_holdings` -> `SetHoldings`; `is_warming_up` -> `IsWarmingUp`."""
    return "".join(_SPECIAL_WORDS.get(part, part[:1].upper() + part[1:]) for part in snake.split("_") if part)


def lean_api(cls: type[T]) -> type[T]:
    """Class decorator: give every public snake_case attribute a PascalCase alias.

    Methods, properties and class constants defined on `cls` are aliased as they are, so lookups by
    either name cost the same. Slotted instance attributes are aliased by their slot descriptors
    (`bar.Close` is `bar.close` at C speed). Instance attributes kept in __dict__ get a property
    alias for every public name the class's own methods use (`security.Symbol` -> `symbol`).

    There is deliberately no __getattr__ fallback: any __getattr__ stops CPython specializing
    attribute reads on the class and its user subclasses, which doubles the cost of every
    `self.x` in an algorithm, every `bar.close` and every method call.
    """
    namespace = vars(cls)
    for name, value in list(namespace.items()):
        if _public_snake(name) and to_pascal(name) not in namespace:
            setattr(cls, to_pascal(name), value)
    for klass in cls.__mro__[:-1]:
        slots = vars(klass).get("__slots__", ())
        for name in (slots,) if isinstance(slots, str) else slots:
            if _public_snake(name) and not hasattr(cls, to_pascal(name)):
                setattr(cls, to_pascal(name), vars(klass)[name])
    if cls.__dictoffset__:  # type: ignore[attr-defined]
        alias_attributes(cls, sorted(_names_used_by(cls)))
    return cls


def _public_snake(name: str) -> bool:
    return not name.startswith("_") and name.islower() and to_pascal(name) != name


def _names_used_by(cls: type[Any]) -> set[str]:
    """Public snake_case attribute names the class's own code uses (its instance attributes among
    them), plus its annotated fields. A code object's co_names also holds the globals it reads, so
    the module's globals are dropped (builtins are kept: `type` and `id` are attribute names too),
    as are names that are class attributes."""
    names: set[str] = set(getattr(cls, "__annotations__", {}))
    not_attributes: set[str] = set()
    codes = []
    for value in vars(cls).values():
        for fn in (value.fget, value.fset) if isinstance(value, property) else (value,):
            fn = getattr(fn, "__func__", fn)
            code = getattr(fn, "__code__", None)
            if code is not None:
                codes.append(code)
                not_attributes.update(getattr(fn, "__globals__", {}))
    while codes:
        code = codes.pop()
        names.update(code.co_names)
        codes.extend(const for const in code.co_consts if hasattr(const, "co_names"))
    return {name for name in names - not_attributes
            if name.isidentifier() and _public_snake(name) and not hasattr(cls, name)}


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
    """Alias instance attributes (`quantity` -> `Quantity`) through properties that read and write them."""
    for name in names:
        alias = to_pascal(name)
        if hasattr(obj_cls, alias):
            continue
        setattr(obj_cls, alias, property(lambda self, _n=name: getattr(self, _n),
                                         lambda self, v, _n=name: setattr(self, _n, v)))


def user_method(obj: Any, snake: str) -> Any:
    """The bound method a user subclass meant, whichever spelling it used.

    Walks the MRO from the most derived class; the first class that defines either `snake` or its
    PascalCase alias wins. Our own base classes define both (the alias generated), so a user
    override in either spelling takes precedence over the base implementation.
    """
    name = _resolved_name(type(obj), snake)
    return None if name is None else getattr(obj, name)


@functools.lru_cache(maxsize=4096)
def _resolved_name(klass: type, snake: str) -> str | None:
    """Which spelling `klass` resolves `snake` to (cached: the engine asks per order, classes do not change)."""
    pascal = to_pascal(snake)
    for base in klass.__mro__:
        namespace = vars(base)
        if snake in namespace:
            return snake
        if pascal in namespace:
            return pascal
    return None
