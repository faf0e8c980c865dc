"""BaseData (Common/Data/BaseData.cs), the type Lean's signatures name for any data point (`data: BaseData`).

pylean's data classes are separate slotted classes for speed, so BaseData is an abstract class they are
registered with: `isinstance(bar, BaseData)` holds for trade and quote bars, ticks, dividends and splits.
"""
from __future__ import annotations

from abc import ABC

from pylean.data.corporate_events import Dividend, Split
from pylean.data.market_data import QuoteBar, TradeBar
from pylean.data.tick import Tick


class BaseData(ABC):  # noqa: B024 - a type to name and test against, with nothing abstract to implement
    pass


for _data_class in (TradeBar, QuoteBar, Tick, Dividend, Split):
    BaseData.register(_data_class)
