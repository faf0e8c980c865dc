"""PositionSide (Common/Global.cs): the side of a position; Lean's Python trailing-stop model compares it."""
from __future__ import annotations

from pylean.enums import _add_pascal_aliases, _LeanIntEnum


class PositionSide(_LeanIntEnum):
    SHORT = -1
    NONE = 0
    LONG = 1


_add_pascal_aliases(PositionSide)
