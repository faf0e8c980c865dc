"""BuyingPowerModelExtensions (Common/Securities/BuyingPowerModelExtensions.cs): the minimum order margin check
execution models apply before ordering."""
from __future__ import annotations

from typing import Any

from pylean.naming import lean_api
from pylean.numbers import to_decimal


@lean_api
class BuyingPowerModelExtensions:
    @staticmethod
    def above_minimum_order_margin_portfolio_percentage(model: Any, security: Any, quantity: Any, portfolio: Any,
                                                        minimum_order_margin_portfolio_percentage: Any) -> bool:
        """False when the order's margin is under the minimum share of the portfolio value, unless the margin
        remaining is not positive (then a reducing order must pass)."""
        minimum = to_decimal(minimum_order_margin_portfolio_percentage)
        if minimum == 0:
            return True
        margin = abs(to_decimal(model.get_initial_margin_requirement(security, to_decimal(quantity))))
        if portfolio.total_portfolio_value_decimal() * minimum > margin and portfolio.margin_remaining_decimal() > 0:
            return False
        return True
