"""OrderSizing (Common/Orders/OrderSizing.cs): order quantities for framework targets, rounded to lots."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from pylean.algorithm_state import ctx_of
from pylean.naming import lean_api
from pylean.numbers import to_decimal


def _sign(value: Decimal) -> int:
    return (value > 0) - (value < 0)


@lean_api
class OrderSizing:
    @staticmethod
    def adjust_by_lot_size(security: Any, quantity: Any) -> Decimal:
        """Truncate towards zero to whole lots; a shortfall of under a millionth of a lot counts as a lot."""
        quantity = to_decimal(quantity)
        lot = to_decimal(security.symbol_properties.lot_size)
        absolute = abs(quantity)
        remainder = absolute % lot
        if lot - remainder < lot / 1000000:
            remainder -= lot
        return (absolute - remainder) * _sign(quantity)

    @staticmethod
    def get_unordered_quantity(algorithm: Any, target: Any, security: Any = None,
                               account_for_fees: bool = False) -> Decimal:
        """The target's quantity less holdings and open orders (equities pay fees in cash: no adjustment)."""
        from pylean.framework.targets import projected_quantity

        if security is None:
            security = algorithm.securities[target.symbol]
        quantity = to_decimal(target.quantity) - projected_quantity(security, ctx_of(algorithm).transactions)
        return OrderSizing.adjust_by_lot_size(security, quantity)

    @staticmethod
    def get_order_size_for_percent_volume(security: Any, maximum_percent_current_volume: Any,
                                          desired_order_size: Any) -> Decimal:
        desired = to_decimal(desired_order_size)
        maximum = to_decimal(maximum_percent_current_volume) * to_decimal(security.volume)
        size = min(maximum, abs(desired))
        return _sign(desired) * OrderSizing.adjust_by_lot_size(security, size)

    @staticmethod
    def get_order_size_for_maximum_value(security: Any, maximum_order_value_in_account_currency: Any,
                                         desired_order_size: Any) -> Decimal:
        desired = to_decimal(desired_order_size)
        price = to_decimal(security.price) * to_decimal(security.symbol_properties.contract_multiplier)
        if price == 0:
            return Decimal(0)
        size = min(to_decimal(maximum_order_value_in_account_currency) / price, abs(desired))
        return _sign(desired) * OrderSizing.adjust_by_lot_size(security, size)
