"""SymbolCache (Common/SymbolCache.cs): the process-wide ticker -> Symbol map that adding a security fills.
Python's out-parameter calls return (found, value) tuples, as pythonnet does."""
from __future__ import annotations

from typing import Any

from pylean.naming import lean_api
from pylean.symbols import Symbol

_SYMBOLS: dict[str, Symbol] = {}


@lean_api
class SymbolCache:
    @staticmethod
    def set(ticker: str, symbol: Symbol) -> None:
        _SYMBOLS[ticker] = symbol

    @staticmethod
    def try_get_symbol(ticker: str, _symbol: Any = None) -> tuple[bool, Symbol | None]:
        if isinstance(ticker, Symbol):  # Lean converts a Symbol to its ticker string, which finds it again
            ticker = ticker.value
        symbol = _SYMBOLS.get(ticker) or _SYMBOLS.get(ticker.upper())
        return symbol is not None, symbol

    @staticmethod
    def get_symbol(ticker: str) -> Symbol:
        found, symbol = SymbolCache.try_get_symbol(ticker)
        if not found:
            raise KeyError(f"We were unable to locate the ticker '{ticker}'.")
        return symbol  # type: ignore[return-value]

    @staticmethod
    def try_get_ticker(symbol: Symbol, _ticker: Any = None) -> tuple[bool, str | None]:
        for ticker, cached in _SYMBOLS.items():
            if cached == symbol:
                return True, ticker
        return False, None

    @staticmethod
    def get_ticker(symbol: Symbol) -> str:
        found, ticker = SymbolCache.try_get_ticker(symbol)
        return ticker if found else str(symbol.id)  # type: ignore[return-value]

    @staticmethod
    def try_remove(key: Any) -> bool:
        tickers = [t for t, s in _SYMBOLS.items() if t == key or s == key]
        for ticker in tickers:
            del _SYMBOLS[ticker]
        return bool(tickers)

    @staticmethod
    def clear() -> None:
        _SYMBOLS.clear()
