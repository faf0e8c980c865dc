"""PortfolioBias (Algorithm/Portfolio/PortfolioBias.cs): which directions a portfolio may hold."""
from __future__ import annotations

from pylean.enums import _add_pascal_aliases, _LeanIntEnum


class PortfolioBias(_LeanIntEnum):
    SHORT = -1
    LONG_SHORT = 0
    LONG = 1


_add_pascal_aliases(PortfolioBias)
