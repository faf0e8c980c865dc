"""BaseDataConsolidator (Common/Data/Consolidators/BaseDataConsolidator.cs): any data's value into a TradeBar
(open, high, low and close of the values; no volume), by time period, bar count or calendar."""
from __future__ import annotations

from typing import Any

from pylean.consolidators.period import PeriodCountConsolidatorBase
from pylean.data.market_data import TradeBar
from pylean.naming import lean_api


@lean_api
class BaseDataConsolidator(PeriodCountConsolidatorBase):
    __slots__ = ()

    @property
    def input_kind(self) -> str | None:
        return None  # Lean's input type is BaseData: the symbol's first subscription

    @property
    def output_type(self) -> type:
        return TradeBar

    def _set_bar_period(self, working: Any) -> bool:
        return working is not None

    def _aggregate(self, data: Any) -> None:
        value = data.value
        working = self._working
        if working is None:
            time = self._rounded_data_time(data)
            self._working = TradeBar(time, data.symbol, value, value, value, value, 0.0,
                                     end_time=time + self._working_span(data))
            return
        working.close = value
        if value < working.low:
            working.low = value
        if value > working.high:
            working.high = value
