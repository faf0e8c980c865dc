"""FuncRiskFreeRateInterestRateModel (Common/Data/FuncRiskFreeRateInterestRateModel.cs): the risk-free rate on
a date is whatever the user's function returns, crossing to Lean as a decimal and back as a float."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from pylean.naming import lean_api
from pylean.numbers import to_decimal, to_float


@lean_api
class FuncRiskFreeRateInterestRateModel:
    def __init__(self, get_interest_rate_func: Callable[[datetime], Any]) -> None:
        self._func = get_interest_rate_func

    def get_interest_rate(self, date: datetime) -> float:
        return to_float(to_decimal(self._func(date)))
