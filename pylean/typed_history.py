"""`self.history[TradeBar](symbols, count, resolution)` for a list of symbols: Lean returns the bars as a time-ordered
sequence of TradeBars dictionaries, one per end time, each holding the symbols that have a bar then."""
from __future__ import annotations

from typing import Any

from pylean.algorithm_indicators import history_bars_for, subscription_for
from pylean.data.slice import TradeBars
from pylean.enums import Resolution


def trade_bars_by_time(algorithm: Any, symbols: Any, periods: int, resolution: Any) -> list[TradeBars]:
    by_end: dict[Any, TradeBars] = {}
    for symbol in symbols:
        # no resolution given: each symbol's own subscription resolution
        chosen = resolution if resolution is not None else subscription_for(algorithm, symbol).resolution
        for bar in history_bars_for(algorithm, symbol, periods, Resolution(chosen)):
            by_end.setdefault(bar.end_time, TradeBars())[bar.symbol] = bar
    return [by_end[end] for end in sorted(by_end)]
