"""Symbol and SecurityIdentifier (Common/Symbol.cs, Common/SecurityIdentifier.cs) for US equities."""
from __future__ import annotations

from datetime import date
from typing import Any, Callable

from pylean.enums import SecurityType
from pylean.naming import lean_api

_BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_OA_EPOCH = date(1899, 12, 30)
_MARKET_CODES = {"usa": 1}

# Set by the launcher for the duration of a run: ticker -> (first ticker, first date) from the map
# files, as Lean's Symbol.Create consults the configured map-file provider.
MapResolver = Callable[[str], tuple[str, date]]
_map_resolver: MapResolver | None = None


def set_map_resolver(resolver: MapResolver | None) -> None:
    global _map_resolver
    _map_resolver = resolver


# Set by the runtime for a run: SecurityIdentifier text -> its industry identifiers (security-database.csv).
_definitions: Callable[[str], Any] | None = None


def set_security_definitions(lookup: Callable[[str], Any] | None) -> None:
    global _definitions
    _definitions = lookup


def _definition_field(symbol: "Symbol", name: str) -> Any:
    found = _definitions(str(symbol.id)) if _definitions is not None else None
    return getattr(found, name) if found is not None else None


def _base36(value: int) -> str:
    digits = []
    while value:
        value, rem = divmod(value, 36)
        digits.append(_BASE36[rem])
    return "".join(reversed(digits)) or "0"


@lean_api
class SecurityIdentifier:
    """`<FIRST_TICKER> <base36(OADate(first date) * 10^14 + market * 100 + type)>` (spec §6.5)."""

    __slots__ = ("symbol", "date", "market", "security_type", "_text")

    def __init__(self, first_ticker: str, first_date: date, market: str = "usa",
                 security_type: SecurityType = SecurityType.EQUITY) -> None:
        self.symbol = first_ticker.upper()
        self.date = first_date
        self.market = market
        self.security_type = security_type
        properties = (first_date - _OA_EPOCH).days * 10**14 + _MARKET_CODES.get(market, 0) * 100 + int(security_type)
        self._text = f"{self.symbol} {_base36(properties)}"

    @classmethod
    def generate_equity(cls, ticker: str, market: str = "usa") -> "SecurityIdentifier":
        first_ticker, first_date = (_map_resolver(ticker) if _map_resolver else (ticker.upper(), _OA_EPOCH))
        return cls(first_ticker, first_date, market, SecurityType.EQUITY)

    def __str__(self) -> str:
        return self._text

    __repr__ = __str__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SecurityIdentifier) and other._text == self._text

    def __hash__(self) -> int:
        return hash(self._text)


@lean_api
class Symbol:
    """A ticker (`value`) bound to its permanent identifier (`id`); equal iff the ids are equal."""

    __slots__ = ("value", "id", "__weakref__")

    # One instance per identifier (Lean's equality): equal symbols are the same object, so hashing
    # can be object identity at C speed (every bar of every slice goes into a Symbol-keyed dict).
    _interned: dict[str, "Symbol"] = {}

    def __new__(cls, sid: SecurityIdentifier, value: str) -> "Symbol":
        key = str(sid)
        found = cls._interned.get(key)
        if found is None:
            found = object.__new__(cls)
            found.id = sid
            found.value = value.upper()
            cls._interned[key] = found
        return found

    def __init__(self, sid: SecurityIdentifier, value: str) -> None:
        pass  # __new__ did the work; the instance may be a cached one

    def __copy__(self) -> "Symbol":
        return self

    def __deepcopy__(self, memo: dict) -> "Symbol":
        return self

    def __reduce__(self) -> tuple:
        return (Symbol, (self.id, self.value))

    @classmethod
    def create(cls, ticker: str, security_type: SecurityType = SecurityType.EQUITY, market: str = "usa") -> "Symbol":
        if security_type != SecurityType.EQUITY:
            raise NotImplementedError(f"pylean supports US equities only, not {security_type!s}")
        return cls(SecurityIdentifier.generate_equity(ticker, market), ticker)

    @property
    def security_type(self) -> SecurityType:
        return self.id.security_type

    @property
    def permtick(self) -> str:
        return self.id.symbol

    def is_canonical(self) -> bool:
        """An option or future chain's symbol is canonical; pylean's equities never are."""
        return False

    IsCanonical = is_canonical

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return self.value

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Symbol):
            return other.id == self.id
        if isinstance(other, str):  # Lean compares a Symbol with a ticker string through the cache
            return other.upper() == self.value
        return NotImplemented

    __hash__ = object.__hash__  # identity: symbols are interned (see __new__)

    def __lt__(self, other: "Symbol") -> bool:
        return str(self.id) < str(other.id)


Symbol.ID = Symbol.id  # type: ignore[attr-defined]  # Lean's C# name is `ID`, not `Id`
for _name, _lean in (("cusip", "CUSIP"), ("composite_figi", "CompositeFIGI"), ("sedol", "SEDOL"), ("isin", "ISIN"),
                     ("cik", "CIK")):
    _property = property(lambda self, _n=_name: _definition_field(self, _n))
    setattr(Symbol, _name, _property)
    setattr(Symbol, _lean, _property)


def symbol_of(key: Any, securities: Any) -> Symbol:
    """The Symbol a Lean API argument names: a Symbol itself, anything carrying one (`.symbol`: a Security,
    a bar), or a ticker (the added security's Symbol, else a new equity Symbol; tickers are case-blind)."""
    if isinstance(key, Symbol):
        return key
    if isinstance(getattr(key, "symbol", None), Symbol):
        return key.symbol
    text = str(key)
    return securities[text].symbol if text in securities else Symbol.create(text)
