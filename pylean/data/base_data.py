"""BaseData (Common/Data/BaseData.cs): the base of Lean's data types, a symbol's value at a time.

pylean's own bars do not derive from it (they keep their slotted layouts); the name exists so code can
construct plain data points and name the type, e.g. `consolidate(BaseData, symbol, count, handler)`."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pylean.naming import lean_api


@lean_api
class BaseData:
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
