"""Target statistic and constraints over Lean's summary statistics ("Sharpe Ratio", "Net Profit", ...).

Statistic names match case- and space-insensitively ("net_profit" finds "Net Profit"). Values are
Lean's strings read as numbers: "$1,234.50" -> 1234.5, "12.3%" -> 12.3 (percent units), "-0.5" -> -0.5.
A constraint is `NAME OP NUMBER` with OP one of < <= > >= == !=, e.g. "Drawdown < 5".
"""
from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from zacperf.errors import ZacperfError

_OPS: dict[str, Callable[[float, float], bool]] = {"<=": operator.le, ">=": operator.ge, "==": operator.eq,
                                                   "!=": operator.ne, "<": operator.lt, ">": operator.gt}
_CONSTRAINT = re.compile(r"^\s*([^<>=!]*[^<>=!\s])\s*(<=|>=|==|!=|<|>)\s*(-?(?:\d+\.?\d*|\.\d+))\s*%?\s*$")


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def number(text: Any) -> float | None:
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    cleaned = re.sub(r"[$,%\s]", "", str(text or ""))
    try:
        return float(cleaned)
    except ValueError:
        return None


def statistic(stats: Mapping[str, Any], name: str) -> float | None:
    wanted = _key(name)
    for key, value in stats.items():
        if _key(key) == wanted:
            return number(value)
    return None


@dataclass(frozen=True)
class Constraint:
    name: str
    op: str
    value: float

    def holds(self, stats: Mapping[str, Any]) -> bool:
        actual = statistic(stats, self.name)
        return actual is not None and _OPS[self.op](actual, self.value)

    def __str__(self) -> str:
        return f"{self.name} {self.op} {self.value:g}"


def parse_constraint(text: str) -> Constraint:
    match = _CONSTRAINT.match(text)
    if not match:
        raise ZacperfError(f"--constraint {text!r}: write NAME OP NUMBER, e.g. \"Drawdown < 5\"")
    return Constraint(match.group(1), match.group(2), float(match.group(3)))


def check_names(stats: Mapping[str, Any], names: list[str]) -> None:
    """One line naming a target or constraint statistic the results do not have."""
    known = {_key(k) for k in stats}
    for name in names:
        if _key(name) not in known:
            raise ZacperfError(f"unknown statistic {name!r}; the runs report: {', '.join(sorted(stats))}")
