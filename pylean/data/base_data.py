"""BaseData (Common/Data/BaseData.cs): the base of Lean's data types, a symbol's value at a time, and the type
Lean's signatures name for any data point (`data: BaseData`).

pylean's own bars keep their separate slotted layouts for speed, so they are registered with BaseData rather
than derived from it: `isinstance(bar, BaseData)` holds for trade and quote bars, ticks, dividends and splits.
Code can still construct plain data points and name the type, e.g. `consolidate(BaseData, symbol, count, ...)`.
"""
from __future__ import annotations

from abc import ABC
from datetime import datetime
from typing import Any

from pylean.data.corporate_events import Dividend, Split
from pylean.data.market_data import QuoteBar, TradeBar
from pylean.data.tick import Tick
from pylean.naming import lean_api


@lean_api
class BaseData(ABC):  # noqa: B024 - constructible; ABC only for registering pylean's slotted data classes
    def __init__(self) -> None:
        self.symbol: Any = None
        self.time: datetime | None = None
        self._end_time: datetime | None = None
        self.value = 0.0

    @property
    def end_time(self) -> datetime | None:
        return self._end_time if self._end_time is not None else self.time

    @end_time.setter
    def end_time(self, value: datetime | None) -> None:
        self._end_time = value

    @property
    def price(self) -> float:
        return self.value

    def clone(self) -> "BaseData":
        other = type(self).__new__(type(self))
        other.__dict__.update(self.__dict__)
        return other


for _data_class in (TradeBar, QuoteBar, Tick, Dividend, Split):
    BaseData.register(_data_class)
