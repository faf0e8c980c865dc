"""Tick (Common/Data/Market/Tick.cs): pylean reads no tick data, but algorithms name the type (a fill model
that asks the cache for its last Tick gets None)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pylean.naming import lean_api


@lean_api
class Tick:
    def __init__(self, time: datetime | None = None, symbol: Any = None, value: float = 0.0, bid_price: float = 0.0,
                 ask_price: float = 0.0, quantity: float = 0.0, tick_type: Any = None) -> None:
        self.time = self.end_time = time
        self.symbol = symbol
        self.value = self.price = float(value)
        self.bid_price, self.ask_price, self.quantity = float(bid_price), float(ask_price), float(quantity)
        self.tick_type = tick_type
