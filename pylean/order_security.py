"""QCAlgorithm.GetSecurityForOrder (Algorithm/QCAlgorithm.Trading.cs): an order entry point (market, market on
open/close, limit, stop, stop limit, limit if touched, trailing stop) given a symbol the algorithm has not added
adds it first, with the default universe settings (minute data, filled forward), and then places the order.

Adding a security mid-run re-triggers the user-defined universe, one data point, as `add_equity` does. A ticker
string the symbol cache does not know becomes, through Lean's implicit string -> Symbol conversion, a custom
(Base) symbol: its security has no data, so the order fails on its zero price, and Lean hides custom securities
from the user's OnSecuritiesChanged."""
from __future__ import annotations

from typing import Any

from pylean.enums import DataNormalizationMode, Resolution
from pylean.symbol_cache import SymbolCache
from pylean.symbols import Symbol, symbol_of


def order_symbol(ctx: Any, key: Any) -> Symbol:
    """The Symbol an order names, its security added first when the algorithm does not hold it yet."""
    securities = ctx.securities
    symbol = symbol_of(key, securities)
    if symbol in securities or ctx.cursor.block is None:  # not running yet: Lean refuses orders in Initialize
        return symbol
    unknown_ticker = isinstance(key, str) and not SymbolCache.try_get_symbol(key)[0]
    security = ctx.add_equity(symbol.value, Resolution.MINUTE, True, 0.0, False, DataNormalizationMode.ADJUSTED)
    if unknown_ticker:
        ctx.pending_changes.added.remove(security)  # a custom security: filtered out of user notifications
    return security.symbol
