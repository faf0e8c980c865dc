"""Symbols named by their identifier text, as universe data files carry them ("AAPL R735QTJ8XC9X")."""
from __future__ import annotations

from datetime import timedelta

from pylean.enums import SecurityType
from pylean.symbols import _MARKET_CODES, _OA_EPOCH, SecurityIdentifier, Symbol

_MARKET_NAMES = {code: name for name, code in _MARKET_CODES.items()}


def parse_identifier(text: str) -> SecurityIdentifier | None:
    """The identifier a `<FIRST_TICKER> <base36 properties>` string encodes; None for Lean's empty one ("NONE 0")."""
    first_ticker, _, encoded = text.strip().partition(" ")
    properties = int(encoded, 36) if encoded else 0
    if properties == 0:
        return None
    days, rest = divmod(properties, 10**14)
    market_code, security_type = divmod(rest, 100)
    return SecurityIdentifier(first_ticker, _OA_EPOCH + timedelta(days=days),
                              _MARKET_NAMES.get(market_code % 1000, "usa"), SecurityType(security_type % 100))


def symbol_from_file(ticker: str, identifier: str) -> Symbol | None:
    sid = parse_identifier(identifier)
    return Symbol(sid, ticker) if sid is not None else None

