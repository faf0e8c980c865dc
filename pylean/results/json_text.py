"""The result files' JSON text, byte for byte what `json.dumps` writes, made by orjson (Engine/Results writes
them with Newtonsoft; pylean's layout is Python's `json.dumps(..., indent=1)`). The largest parts (orders,
order events) are written as text by the writer itself and spliced in as `Written` members.

orjson serializes in C; what it writes differently from `json.dumps` is made up here or sent back to
`json.dumps`, so the text never changes:

* indentation: orjson indents by two spaces, `indent=1` by one: every line's leading spaces are halved
  (strings never hold a raw newline, so every newline is a line break of the layout);
* non-ASCII characters (and DEL): `json.dumps` escapes them (`ensure_ascii`), orjson writes UTF-8: they
  are escaped afterwards exactly as `json.dumps` does (`\\uXXXX`, lower-case, surrogate pairs);
* decimals: `default` turns them into the numbers `jsonable` makes (integral ones ints);
* what orjson cannot match goes to `json.dumps` itself: a non-finite float (orjson writes null), a float
  outside 1e-4 <= |x| < 1e16 (where Python's repr uses an exponent and orjson's shortest form may not, or
  pads it differently: "1e-05" / "0.00001"), an int beyond 64 bits, a non-string key, any type orjson
  refuses or would write where `json.dumps` raises. Inside that range both write the shortest repr.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any, Callable

import numpy as np
import orjson

_PASSTHROUGH = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_ESCAPED = re.compile("[\x7f-\U0010ffff]")


class _Unsupported(Exception):
    """orjson met something only `json.dumps` writes (or refuses) the way the files expect."""


def dumps_indent1(value: Any, decimal: Callable[[Decimal], Any]) -> str:
    """`json.dumps(jsonable(value), indent=1)`, where `decimal` is what `jsonable` makes of a Decimal."""
    try:
        return _fast(value, decimal)
    except (_Unsupported, RecursionError):
        return json.dumps(_plain(value, decimal), indent=1)


class Written(str):
    """A member value's JSON text, already as `json.dumps(..., indent=1)` writes it one level in."""


class WrittenParts(list):  # type: ignore[type-arg]
    """A member value's JSON text as consecutive parts (as `Written`): a large text is handed to the file
    as it is, never copied into a larger string (each copy of megabytes costs milliseconds)."""


def dumps_indent1_object(members: dict[str, Any], decimal: Callable[[Decimal], Any]) -> str:
    """`dumps_indent1` of a top-level object whose members may be written already (`Written`, `WrittenParts`)."""
    return "".join(indent1_object_parts(members, decimal))


def indent1_object_parts(members: dict[str, Any], decimal: Callable[[Decimal], Any]) -> list[str]:
    """`dumps_indent1_object`'s text as consecutive parts (what the result writer writes to the file)."""
    if not members:
        return ["{}"]
    parts = ["{\n"]
    for key, value in members.items():
        if len(parts) > 1:
            parts.append(",\n")
        parts.append(f" {_key(key)}: ")
        kind = type(value)
        if kind is WrittenParts:
            parts.extend(value)
        else:
            parts.append(value if kind is Written else dumps_indent1(value, decimal).replace("\n", "\n "))
    parts.append("\n}")
    return parts


def _key(key: str) -> str:
    if type(key) is not str:
        raise TypeError("keys of a written object must be strings")
    return json.dumps(key)


def _fast(value: Any, decimal: Callable[[Decimal], Any]) -> str:
    if not plain_floats(value):
        raise _Unsupported

    def default(item: Any) -> Any:
        if isinstance(item, Decimal) and item.is_finite():
            number = decimal(item)
            if type(number) is not float or _plain_float(number):
                return number
        raise TypeError

    try:
        data = orjson.dumps(value, default=default, option=orjson.OPT_INDENT_2 | _PASSTHROUGH)
    except (orjson.JSONEncodeError, TypeError, ValueError) as err:
        raise _Unsupported from err
    data = halve_indentation(data)
    text = data.decode("utf-8")
    if not text.isascii() or "\x7f" in text:
        text = _ESCAPED.sub(_escape, text)
    return text


def _plain_float(x: float) -> bool:
    """Both write it the same: finite, and no exponent in Python's repr."""
    return x == 0.0 or 1e-4 <= abs(x) < 1e16


class CheckedDict(dict):  # type: ignore[type-arg]
    """A dict whose floats are all `_plain_float` (the maker checked them): the walk below skips it, so a
    dict shared by many parts is walked once."""


# nothing to check (decimals: see `default`)
_LEAVES = frozenset([str, int, bool, Decimal, type(None), CheckedDict])


def plain_floats(value: Any) -> bool:
    """Every float inside is a `_plain_float` (decimals are checked when orjson hands them to `default`)."""
    kind = type(value)
    if kind is dict or kind is list or kind is tuple:
        leaves = _LEAVES
        for item in (value.values() if kind is dict else value):
            if type(item) not in leaves and not plain_floats(item):
                return False
        return True
    if kind is float:
        return value == 0.0 or 1e-4 <= abs(value) < 1e16  # NaN fails both tests
    if isinstance(value, float):
        return False  # a float subclass: json.dumps writes float.__repr__, leave it to it
    if isinstance(value, (dict, list, tuple)):
        return plain_floats(dict(value) if isinstance(value, dict) else list(value))
    return True


def halve_indentation(data: bytes) -> bytes:
    """orjson's two-space indentation made one space per level (vectorized: one pass per level)."""
    arr = np.frombuffer(data, dtype=np.uint8)
    lines = np.flatnonzero(arr == 10) + 1  # first byte of every line but the first
    if not len(lines):
        return data
    size = len(arr)
    keep = np.ones(size, dtype=bool)
    level = 0
    while len(lines):
        pos = lines + 2 * level
        inside = pos + 1 < size
        lines, pos = lines[inside], pos[inside]
        deeper = (arr[pos] == 32) & (arr[pos + 1] == 32)
        lines, pos = lines[deeper], pos[deeper]
        keep[pos] = False  # one space of this level's pair goes
        level += 1
    return arr[keep].tobytes()


def _escape(match: re.Match[str]) -> str:
    """What json.dumps(ensure_ascii=True) writes for one character outside printable ASCII."""
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xd800 | (code >> 10):04x}\\u{0xdc00 | (code & 0x3ff):04x}"


def _plain(value: Any, decimal: Callable[[Decimal], Any]) -> Any:
    """Decimals made numbers, containers rebuilt as dicts and lists (what json.dumps is then given)."""
    if isinstance(value, Decimal):
        return decimal(value)
    if isinstance(value, dict):
        return {k: _plain(v, decimal) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, decimal) for v in value]
    return value
