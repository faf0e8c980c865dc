"""QCAlgorithm.Consolidate(type, symbol, size, tickType, handler) (Algorithm/QCAlgorithm.Python.cs and
QCAlgorithm.Indicators.cs CreateConsolidator(symbol, size, type, tickType)): the bar type picks the
consolidator; `size` is a brick size, a range in ticks, or a bar count."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from pylean.algorithm_clock import timed_if_user
from pylean.consolidators.bars import QuoteBarConsolidator, TradeBarConsolidator
from pylean.consolidators.base_data import BaseDataConsolidator
from pylean.consolidators.base import QUOTE, TRADE
from pylean.consolidators.manager import consolidated_event
from pylean.consolidators.timeless import RangeConsolidator, RenkoConsolidator, VolumeRenkoConsolidator
from pylean.data.market_data import QuoteBar, TradeBar
from pylean.data.range_bars import RangeBar, VolumeRenkoBar
from pylean.data.renko_bar import RenkoBar
from pylean.enums import Resolution
from pylean.algorithm_state import ctx_of, symbol_for


def sized_consolidator(bar_type: type, size: Any) -> Any:
    if bar_type is VolumeRenkoBar:
        return VolumeRenkoConsolidator(size)
    if bar_type is RenkoBar:
        return RenkoConsolidator(size)
    if bar_type is RangeBar:
        return RangeConsolidator(int(size))
    if bar_type is TradeBar:
        return TradeBarConsolidator(int(size))
    if bar_type is QuoteBar:
        return QuoteBarConsolidator(int(size))
    return BaseDataConsolidator(int(size))  # any other type: the values of the first subscription


def consolidate_sized(algorithm: Any, bar_type: type, symbol: Any, size: Any, *args: Any, **kwargs: Any) -> Any:
    handler = kwargs.get("handler")
    tick_type = kwargs.get("tick_type")
    for arg in args:
        if callable(arg) and handler is None:
            handler = arg
        elif arg is not None:
            tick_type = arg
    if isinstance(size, (Resolution, timedelta)) or callable(size):
        # a time period with a bar type: the type says which data to consolidate
        wanted = QUOTE if bar_type is QuoteBar else TRADE if bar_type is TradeBar else tick_type
        return algorithm.consolidate(symbol, size, wanted, handler)
    symbol = symbol_for(algorithm, symbol)
    consolidator = sized_consolidator(bar_type, size)
    if handler is not None:
        user_handler = timed_if_user(handler)
        consolidated_event(consolidator).__iadd__(lambda sender, bar: user_handler(bar))
        ctx_of(algorithm).subscription_manager.add_consolidator(symbol, consolidator, tick_type)
    return consolidator
