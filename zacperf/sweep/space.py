"""The search space: `NAME=v1,v2,v3` or `NAME=lo:hi:step` per parameter, as a grid or a random sample of it."""
from __future__ import annotations

import itertools
import random
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from zacperf.errors import ZacperfError

MAX_POINTS = 10_000


@dataclass(frozen=True)
class Param:
    name: str
    values: tuple[str, ...]


def _range(name: str, text: str) -> tuple[str, ...]:
    try:
        lo, hi, step = (Decimal(p) for p in text.split(":"))
    except (InvalidOperation, ValueError) as exc:
        raise ZacperfError(f"--param {name}={text}: a range is lo:hi:step with three numbers") from exc
    if step <= 0 or hi < lo:
        raise ZacperfError(f"--param {name}={text}: need step > 0 and hi >= lo")
    count = int((hi - lo) / step) + 1
    if count > MAX_POINTS:
        raise ZacperfError(f"--param {name}={text}: {count} values is too many")
    return tuple(str((lo + i * step).normalize()) if (lo + i * step) % 1 else str(int(lo + i * step))
                 for i in range(count))


def parse_param(spec: str) -> Param:
    name, sep, text = spec.partition("=")
    name, text = name.strip(), text.strip()
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or not text:
        raise ZacperfError(f"--param {spec!r}: write NAME=v1,v2,... or NAME=lo:hi:step")
    values = _range(name, text) if text.count(":") == 2 else tuple(v.strip() for v in text.split(",") if v.strip())
    if not values or len(set(values)) != len(values):
        raise ZacperfError(f"--param {spec!r}: give distinct values")
    return Param(name, values)


def grid(params: list[Param]) -> list[dict[str, str]]:
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise ZacperfError("--param: a parameter is given twice")
    size = 1
    for p in params:
        size *= len(p.values)
    if size > MAX_POINTS:
        raise ZacperfError(f"the grid has {size} points (limit {MAX_POINTS}); use --strategy random --samples N")
    return [dict(zip(names, combo)) for combo in itertools.product(*(p.values for p in params))]


def random_points(params: list[Param], samples: int, seed: int) -> list[dict[str, str]]:
    """`samples` distinct grid points drawn with a fixed seed (the whole grid when it is smaller)."""
    if samples < 1:
        raise ZacperfError("--samples must be >= 1")
    points = grid(params)
    return points if samples >= len(points) else random.Random(seed).sample(points, samples)
