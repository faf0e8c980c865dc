"""`self.history[TradeBar](symbols, count, resolution)` for a list of symbols: Lean returns the bars as a time-ordered
sequence of TradeBars dictionaries, one per end time, each holding the symbols that have a bar then."""
from __future__ import annotations

from typing import Any

from pylean.data.slice import TradeBars


def trade_bars_by_time(algorithm: Any, symbols: Any, periods: int, resolution: Any) -> list[TradeBars]:
    by_end: dict[Any, TradeBars] = {}
    from pylean.enums import Resolution

    for symbol in symbols:
        # no resolution given: each symbol's own subscription resolution
        chosen = resolution if resolution is not None else algorithm._subscription(symbol).resolution
        for bar in algorithm._history_bars(symbol, periods, Resolution(chosen)):
            by_end.setdefault(bar.end_time, TradeBars())[bar.symbol] = bar
    return [by_end[end] for end in sorted(by_end)]
