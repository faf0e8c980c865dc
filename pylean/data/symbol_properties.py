"""Symbol-properties database (mirrors Common/Securities/SymbolPropertiesDatabase.cs and SymbolProperties.cs)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

_COLUMNS = ("market", "symbol", "type", "description", "quote_currency", "contract_multiplier",
            "minimum_price_variation", "lot_size", "market_ticker", "minimum_order_size",
            "price_magnifier", "strike_multiplier")


@dataclass(frozen=True)
class SymbolProperties:
    """Contract terms of a symbol; numbers are Decimal as in Lean."""

    description: str
    quote_currency: str
    contract_multiplier: Decimal
    minimum_price_variation: Decimal
    lot_size: Decimal
    market_ticker: str
    minimum_order_size: Decimal | None
    price_magnifier: Decimal
    strike_multiplier: Decimal = Decimal(1)


def default_properties(quote_currency: str = "USD") -> SymbolProperties:
    """Lean's SymbolProperties.GetDefault: multiplier 1, tick 0.01, lot 1."""
    return SymbolProperties("", quote_currency, Decimal(1), Decimal("0.01"), Decimal(1), "", None, Decimal(1))


def _decimal(text: str, default: Decimal) -> Decimal:
    text = text.strip()
    return Decimal(text) if text else default


def _optional_decimal(text: str) -> Decimal | None:
    text = text.strip()
    return Decimal(text) if text else None


def _parse_row(cells: list[str]) -> SymbolProperties:
    cells = cells + [""] * (len(_COLUMNS) - len(cells))
    return SymbolProperties(
        description=cells[3].strip(),
        quote_currency=cells[4].strip(),
        contract_multiplier=_decimal(cells[5], Decimal(1)),
        minimum_price_variation=_decimal(cells[6], Decimal("0.01")),
        lot_size=_decimal(cells[7], Decimal(1)),
        market_ticker=cells[8].strip(),
        minimum_order_size=_optional_decimal(cells[9]),
        price_magnifier=_decimal(cells[10], Decimal(1)),
        strike_multiplier=_decimal(cells[11], Decimal(1)),
    )


class SymbolPropertiesDatabase:
    """symbol-properties/symbol-properties-database.csv, keyed by (market, symbol, type).

    Rows are kept as raw cells and parsed on first use: a run looks up only a handful of its ~10,800 rows.
    """

    def __init__(self, rows: dict[tuple[str, str, str], list[str]]) -> None:
        self._rows = rows
        self._parsed: dict[tuple[str, str, str], SymbolProperties] = {}

    @classmethod
    def from_data_folder(cls, data_folder: Path | str) -> SymbolPropertiesDatabase:
        """Read the database; a missing file leaves only Lean's defaults."""
        path = Path(data_folder) / "symbol-properties" / "symbol-properties-database.csv"
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls({})
        return cls.from_text(text)

    @classmethod
    def from_text(cls, text: str) -> SymbolPropertiesDatabase:
        rows: dict[tuple[str, str, str], list[str]] = {}
        for line in text.splitlines():
            if not line.strip() or line.lstrip().startswith("#") or line.startswith("market,"):
                continue
            cells = line.split(",")
            if len(cells) < 8:
                continue  # not a data row
            key = (cells[0].strip().lower(), cells[1].strip().upper(), cells[2].strip().lower())
            rows.setdefault(key, cells)  # Lean keeps the first row of a duplicate key
        return cls(rows)

    def _lookup(self, key: tuple[str, str, str]) -> SymbolProperties | None:
        found = self._parsed.get(key)
        if found is None:
            cells = self._rows.get(key)
            if cells is None:
                return None
            found = self._parsed[key] = _parse_row(cells)
        return found

    def get(self, market: str, ticker: str, security_type: str = "equity") -> SymbolProperties:
        """The row for the ticker, else the market's `[*]` row, else Lean's defaults."""
        market, kind = market.lower(), security_type.lower()
        found = self._lookup((market, ticker.upper(), kind)) or self._lookup((market, "[*]", kind))
        return found if found is not None else default_properties()
